"""Shared fixtures only. Tests that read ``../shared`` skip cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ANNOTATIONS = REPO / "annotations"


@pytest.fixture
def shared() -> Path:
    """``../shared`` (corpus, gold, spec) beside the repository; skips when it is absent."""
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED
