"""Every file of models/ is installed with the package (pyproject's data-files), so that a
plain ``pip install .`` gets the same pipeline as an editable checkout."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_packaging_every_model_file_is_in_data_files():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    listed = {
        p.resolve() for patterns in data_files.values() for pat in patterns for p in REPO.glob(pat)
    }
    on_disk = {p.resolve() for p in (REPO / "models").rglob("*") if p.is_file()}
    missing = sorted(str(p.relative_to(REPO)) for p in on_disk - listed)
    assert missing == [], f"add to [tool.setuptools.data-files] in pyproject.toml: {missing}"


def test_packaging_each_file_goes_to_its_own_folder():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    for target, patterns in config["tool"]["setuptools"]["data-files"].items():
        for pat in patterns:
            for p in REPO.glob(pat):
                rel = p.parent.relative_to(REPO / "models")
                assert target == str(Path("share/kcextract/models") / rel).rstrip("/."), (
                    target,
                    pat,
                )
