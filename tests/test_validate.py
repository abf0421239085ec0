"""``kcextract validate``: gold files against ``schema.Record`` and the spec's checks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kcextract.cli import main
from kcextract.validate import validate_paths

ARTICLE = "Hỗ trợ tỉnh\nNăm 2022, tỉnh hỗ trợ 9 mô hình với tổng kinh phí 1.600\u00a0triệu  đồng.\n"


def good() -> dict[str, Any]:
    return {
        "doc_id": "kc-t01",
        "title": "Hỗ trợ tỉnh",
        "amounts": [{"text": "1.600 triệu đồng", "value_vnd": 1_600_000_000, "level": "total"}],
        "periods": [{"text": "Năm 2022", "start": 2022, "end": 2022}],
        "targets": [{"text": "9 mô hình", "quantity": 9, "unit": "mô hình"}],
        "organizations": [{"name": "Hợp tác xã Yến Dương", "type": "cooperative"}],
    }


def _set(path: str, value: Any):
    def edit(rec: dict[str, Any]) -> None:
        *head, last = path.split(".")
        obj: Any = rec
        for k in head:
            obj = obj[int(k)] if k.isdigit() else obj[k]
        obj[int(last) if last.isdigit() else last] = value

    return edit


def _dup_org(rec: dict[str, Any]) -> None:
    rec["organizations"].append({"name": "HTX Yến Dương", "type": "cooperative"})


# (case id, edit of the good record, file name, expected problem fragments, exit code)
# fmt: off
CASES = [
    ("good",                lambda r: None,                           "kc-t01", [], 0),
    ("bad-enum",            _set("amounts.0.level", "whole"),         "kc-t01", ["error: amounts.0.level: Input should be 'total', 'part', 'project' or 'other'"], 1),
    ("extra-field",         _set("amounts.0.currency", "VND"),        "kc-t01", ["error: amounts.0.currency: Extra inputs are not permitted"], 1),
    ("bad-month",           _set("periods.0.start", "2022-13"),       "kc-t01", ["error: periods.0.start"], 1),
    ("text-not-in-article", _set("amounts.0.text", "1.700 triệu đồng"), "kc-t01", ["error: amounts[0].text '1.700 triệu đồng' does not occur in the article"], 1),
    ("doc-id-not-stem",     lambda r: None,                           "kc-t02", ["doc_id 'kc-t01' differs from the file name 'kc-t02'", "no article with doc_id 'kc-t01'"], 1),
    ("text-not-folded",     _set("targets.0.unit", "mô  hình"),       "kc-t01", ["error: targets[0].unit 'mô  hình' is not NFC with white space folded"], 1),
    ("duplicate-key-warns", _dup_org,                                 "kc-t01", ["warning: organizations[1] has the same matching key as organizations[0]"], 0),
]
# fmt: on


@pytest.mark.parametrize(
    "edit,stem,fragments,code", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_validate_gold_file(tmp_path, capsys, edit, stem, fragments, code):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "kc-t01.txt").write_text(ARTICLE, encoding="utf-8")
    rec = good()
    edit(rec)
    gold = tmp_path / f"{stem}.json"
    gold.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(tmp_path), "--corpus", str(tmp_path / "corpus")]) == code
    out = capsys.readouterr().out
    for frag in fragments:
        assert frag in out
    assert len(out.strip().splitlines()) == len(fragments) + 1  # + the summary line
    assert str(gold) in out or not fragments


def test_validate_without_corpus_skips_text_checks(tmp_path):
    rec = good()
    rec["amounts"][0]["text"] = "không có trong bài"
    (tmp_path / "kc-t01.json").write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    assert validate_paths([tmp_path]) == []


def test_validate_unreadable_json(tmp_path):
    (tmp_path / "kc-t01.json").write_text("{", encoding="utf-8")
    [problem] = validate_paths([tmp_path])
    assert problem.severity == "error" and "not a readable JSON file" in problem.message


def test_validate_shared_gold_is_clean(shared):
    corpus = [d for d in (shared / "corpus").iterdir() if d.is_dir() and d.name != "general"]
    problems = validate_paths(sorted((shared / "gold").iterdir()), corpus)
    assert [str(p) for p in problems] == []
