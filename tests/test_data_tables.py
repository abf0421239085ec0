"""Every vocabulary table in kcextract/data: NFC, no duplicates, no empty entries, documented."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "kcextract" / "data"
TABLES = sorted(p for p in DATA.iterdir() if p.suffix in (".txt", ".tsv", ".json"))


def _rows(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_data_table_is_nfc_and_parses(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text), f"{path.name} is not NFC"
    if path.suffix == ".json":
        json.loads(text)
        return
    rows = _rows(path)
    assert rows, f"{path.name} has no entries"
    assert all(r == r.rstrip(" ") for r in rows), f"{path.name}: trailing spaces"


@pytest.mark.parametrize(
    "path", [p for p in TABLES if p.suffix in (".txt", ".tsv")], ids=lambda p: p.name
)
def test_data_table_has_no_duplicate_keys(path):
    # a word list: each word once; a TSV: each row once (its first column may repeat, as a
    # province's name does before and after the 2025 merger)
    keys = [r if path.suffix == ".tsv" else r.strip() for r in _rows(path)]
    dups = sorted({k for k in keys if keys.count(k) > 1})
    assert dups == [], f"{path.name}: duplicate entries {dups}"


@pytest.mark.parametrize("path", [p for p in TABLES if p.suffix == ".tsv"], ids=lambda p: p.name)
def test_data_tsv_rows_have_one_width(path):
    widths = {len(r.split("\t")) for r in _rows(path)}
    assert len(widths) == 1, f"{path.name}: rows of widths {sorted(widths)}"


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_data_table_is_documented_in_readme(path):
    assert f"**{path.name}**" in (DATA / "README.md").read_text(encoding="utf-8")
