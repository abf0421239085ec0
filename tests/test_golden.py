"""Golden outputs: the rules-only records of a few of our own articles, snapshot as JSON.

Answers "did anything change?" (the eval gate answers "did quality drop?"). After a
deliberate extraction change, rewrite the snapshots and review their diff:

    KC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kcextract.api import iter_extract
from kcextract.errors import Reject

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
# One of each format and kind: plan (txt), HTML results page, cp1258, NFD, UTF-16, JSONL dump.
CASES = [
    ("corpus/north/kc-n01.txt", "kc-n01"),
    ("corpus/north/kc-n06.html", "kc-n06"),
    ("corpus/north/kc-n04.txt", "kc-n04"),
    ("corpus/central/kc-c16.txt", "kc-c16"),
    ("corpus/north/kc-n08.txt", "kc-n08"),
    ("corpus/south/crawl_2024_south.jsonl", "kc-s-crawl-03"),
]


def _record(path: str, doc_id: str) -> dict:
    for rec in iter_extract(REPO / path, use_models=False):
        if not isinstance(rec, Reject) and rec.doc_id == doc_id:
            data = rec.model_dump(mode="json")
            data["source"] = path  # machine-independent
            return data
    raise AssertionError(f"{doc_id} not produced from {path}")


@pytest.mark.parametrize(("path", "doc_id"), CASES, ids=[c[1] for c in CASES])
def test_golden_output_unchanged(path, doc_id):
    got = _record(path, doc_id)
    snap = GOLDEN / f"{doc_id}.json"
    if os.environ.get("KC_UPDATE_GOLDEN"):
        snap.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(snap.read_text(encoding="utf-8"))
    assert got == expected, f"{doc_id} changed: review, then KC_UPDATE_GOLDEN=1 to accept"
