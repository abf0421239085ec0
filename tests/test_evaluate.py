"""The scorer (``kcextract.evaluate``): matching rules of the spec on hand-built cases.

Empty sides follow one convention (see the module docstring of ``kcextract.evaluate``):
precision is 1.0 when nothing was predicted, recall is 1.0 when nothing was to be found,
so 0 gold and 0 predicted facts give P = R = F1 = 1.0, and attribute accuracies with no
matched pair are ``None``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ANNOTATIONS, SHARED

from kcextract.cli import main
from kcextract.evaluate import evaluate, load_gold, load_predictions
from kcextract.schema import FACT_FIELDS, Record, RecordOut


def rec(doc_id: str = "d", **facts: Any) -> dict[str, Any]:
    return {"doc_id": doc_id, **facts}


def amt(value: int, text: str = "x", **kw: Any) -> dict[str, Any]:
    return {"text": text, "value_vnd": value, **kw}


def org(name: str, **kw: Any) -> dict[str, Any]:
    return {"name": name, **kw}


def proj(title: str, **kw: Any) -> dict[str, Any]:
    return {"title": title, **kw}


def per(start: Any, end: Any) -> dict[str, Any]:
    return {"text": "x", "start": start, "end": end}


def tgt(q: int, unit: str, qmax: int | None = None, **kw: Any) -> dict[str, Any]:
    return {"text": f"{q} {unit}", "quantity": q, "quantity_max": qmax, "unit": unit, **kw}


def prog(name: str, province: str | None, start: int | None, end: int | None, **kw: Any) -> dict:
    return {"name": name, "province": province, "start": start, "end": end, **kw}


T10 = "hỗ trợ máy sấy chè cho hợp tác xã chè xanh bản muông"  # 10 tokens


def scores(ftype: str, gold: list, pred: list) -> dict[str, Any]:
    return evaluate([rec(**{ftype: pred})], [rec(**{ftype: gold})])["types"][ftype]


# (case id, type, gold facts, predicted facts, gold, pred, TP, partial TP)
# fmt: off
MATCH_CASES = [
    ("title-f1-0.900-matches",     "projects", [proj(T10)], [proj(T10.replace("muông", "mường"))], 1, 1, 1, 1),
    ("title-f1-0.889-partial",     "projects", [proj("hỗ trợ máy sấy chè cho hợp tác xã")], [proj("hỗ trợ máy sấy lúa cho hợp tác xã")], 1, 1, 0, 1),
    ("title-f1-0.500-partial",     "projects", [proj("máy cán tôn mạ")], [proj("máy cán thép hình")], 1, 1, 0, 1),
    ("title-f1-0.250-none",        "projects", [proj("máy cán tôn mạ")], [proj("máy sấy thép hình")], 1, 1, 0, 0),
    ("title-de-an-quotes-folded",  "projects", [proj("Hỗ trợ máy cán tôn")], [proj("Đề án “Hỗ trợ máy cán tôn”.")], 1, 1, 1, 1),
    ("org-htx-expanded",           "organizations", [org("Hợp tác xã Phi Đoàn")], [org("HTX  Phi Đoàn")], 1, 1, 1, 1),
    ("org-contained-partial",      "organizations", [org("Sở Công Thương")], [org("Sở Công Thương tỉnh Bắc Kạn")], 1, 1, 0, 1),
    ("org-not-whole-token",        "organizations", [org("Công ty TNHH An")], [org("Công ty TNHH Anh")], 1, 1, 0, 0),
    ("org-equal-keys-count-once",  "organizations", [org("Hợp tác xã Yến Dương")], [org("HTX Yến Dương"), org("Hợp tác xã Yến Dương.")], 1, 1, 1, 1),
    ("amount-equal-key",           "amounts", [amt(18_246_000_000, "18,246 tỷ đồng")], [amt(18_246_000_000, "18.246 triệu đồng")], 1, 1, 1, 1),
    ("amount-per-differs",         "amounts", [amt(100_000_000, per="mô hình")], [amt(100_000_000)], 1, 1, 0, 0),
    ("amount-max-differs",         "amounts", [amt(200_000_000, max_vnd=300_000_000)], [amt(200_000_000)], 1, 1, 0, 0),
    ("amount-equal-keys-once",     "amounts", [amt(5, "a")], [amt(5, "a"), amt(5, "b", level="total")], 1, 1, 1, 1),
    ("period-equal",               "periods", [per(2021, 2025)], [per(2021, 2025)], 1, 1, 1, 1),
    ("period-month-vs-year",       "periods", [per("2022-01", "2022-06")], [per(2022, 2022)], 1, 1, 0, 0),
    ("period-open-end",            "periods", [per(2016, None)], [per(2016, 2016)], 1, 1, 0, 0),
    ("target-unit-contained",      "targets", [tgt(25, "lượt cơ sở")], [tgt(25, "cơ sở")], 1, 1, 1, 1),
    ("target-unit-disjoint",       "targets", [tgt(25, "lượt cơ sở")], [tgt(25, "sản phẩm")], 1, 1, 0, 0),
    ("target-range-differs",       "targets", [tgt(8, "sản phẩm", 10)], [tgt(8, "sản phẩm")], 1, 1, 0, 0),
    ("programme-same-key",         "programmes", [prog("khuyến công năm 2022", "Bắc Kạn", 2022, 2022)], [prog("kế hoạch khuyến công", "Bắc Kạn", 2022, 2022)], 1, 1, 1, 1),
    ("programme-province-differs", "programmes", [prog("khuyến công năm 2022", "Bắc Kạn", 2022, 2022)], [prog("khuyến công năm 2022", None, 2022, 2022)], 1, 1, 0, 0),
    ("empty-vs-one",               "targets", [], [tgt(1, "lớp")], 0, 1, 0, 0),
]
# fmt: on


@pytest.mark.parametrize(
    "ftype,gold,pred,n_gold,n_pred,tp,partial_tp",
    [c[1:] for c in MATCH_CASES],
    ids=[c[0] for c in MATCH_CASES],
)
def test_evaluate_match_counts(ftype, gold, pred, n_gold, n_pred, tp, partial_tp):
    s = scores(ftype, gold, pred)
    assert (s["gold"], s["pred"], s["tp"], s["partial"]["tp"]) == (n_gold, n_pred, tp, partial_tp)
    assert (s["fp"], s["fn"]) == (n_pred - tp, n_gold - tp)


# One to one, best first: (case id, type, gold, pred, evidence of the gold facts left missed)
# fmt: off
PAIRING_CASES = [
    ("target-closest-unit-first",  "targets", [tgt(10, "cơ sở"), tgt(10, "lượt cơ sở")], [tgt(10, "lượt cơ sở")], ["10 cơ sở"]),
    ("title-best-f1-first",        "projects", [proj(T10.replace("muông", "mường")), proj(T10)], [proj(T10)], [T10.replace("muông", "mường")]),
    ("programme-closest-name",     "programmes", [prog("khuyến công năm 2022", "Bắc Kạn", 2022, 2022), prog("khuyến nông năm 2022", "Bắc Kạn", 2022, 2022)], [prog("kế hoạch khuyến nông năm 2022", "Bắc Kạn", 2022, 2022)], ["khuyến công năm 2022"]),
    ("tie-keeps-gold-order",       "periods", [per(2020, 2020), per(2020, 2020)], [per(2020, 2020)], []),
    ("one-pred-one-gold",          "amounts", [amt(7, "a"), amt(7, "b", per="hộ")], [amt(7, "c")], ["b"]),
]
# fmt: on


@pytest.mark.parametrize(
    "ftype,gold,pred,missed", [c[1:] for c in PAIRING_CASES], ids=[c[0] for c in PAIRING_CASES]
)
def test_evaluate_pairs_one_to_one_best_first(ftype, gold, pred, missed):
    doc = evaluate([rec(**{ftype: pred})], [rec(**{ftype: gold})])["documents"]["d"]
    evidence = [next(iter(m.values())) for m in doc["types"][ftype]["missed"]]
    assert evidence == missed


def test_evaluate_partial_tie_takes_first_prediction():
    gold = [org("Sở Công Thương")]
    pred = [org("Sở Công Thương Bắc Kạn"), org("Sở Công Thương Cao Bằng")]
    s = evaluate([rec(organizations=pred)], [rec(organizations=gold)])
    t = s["types"]["organizations"]
    assert (t["tp"], t["partial"]["tp"], t["partial"]["precision"]) == (0, 1, 0.5)
    spurious = s["documents"]["d"]["types"]["organizations"]["spurious"]
    assert [x["name"] for x in spurious] == [p["name"] for p in pred]  # strict: both spurious
    [near] = s["documents"]["d"]["types"]["organizations"]["partial"]
    assert (near["gold"]["name"], near["pred"]["name"]) == (gold[0]["name"], pred[0]["name"])


# (case id, type, gold fact, predicted fact, {attribute: correct?})
# fmt: off
ATTR_CASES = [
    ("amount-level-wrong",     "amounts", amt(5, level="total", status="planned"), amt(5, level="part", status="planned"), {"level": False, "status": True, "funding": True, "qualifier": True}),
    ("amount-defaults",        "amounts", amt(5, qualifier="exact", level="other", status="unknown", funding=None), amt(5), {"level": True, "status": True, "funding": True, "qualifier": True}),
    ("org-role-wrong",         "organizations", org("HTX A", type="cooperative", role="beneficiary"), org("Hợp tác xã A", type="cooperative", role="other"), {"type": True, "role": False}),
    ("project-beneficiary-set", "projects", proj("máy cán tôn", beneficiaries=["HTX A", "Công ty TNHH B"]), proj("máy cán tôn", beneficiaries=["Công ty TNHH B", "Hợp tác xã A"]), {"beneficiaries": True, "amount_vnd": True, "funding": True, "year": True, "status": True}),
    ("project-amount-year",    "projects", proj("máy cán tôn", amount_vnd=5, year=2022), proj("máy cán tôn", amount_vnd=6), {"beneficiaries": True, "amount_vnd": False, "funding": True, "year": False, "status": True}),
    ("target-status-default",  "targets", tgt(9, "mô hình", status="planned", qualifier="exact"), tgt(9, "mô hình"), {"status": True, "qualifier": True}),
    ("target-status",          "targets", tgt(9, "mô hình", status="achieved"), tgt(9, "mô hình", status="planned"), {"status": False, "qualifier": True}),
    ("programme-budget",       "programmes", prog("p", None, 2021, 2025, total_vnd=9, local_vnd=4), prog("q", None, 2021, 2025, total_vnd=9), {"total_vnd": True, "local_vnd": False, "national_vnd": True}),
]
# fmt: on


@pytest.mark.parametrize(
    "ftype,gold,pred,expected", [c[1:] for c in ATTR_CASES], ids=[c[0] for c in ATTR_CASES]
)
def test_evaluate_attribute_accuracy(ftype, gold, pred, expected):
    s = scores(ftype, [gold], [pred])
    assert s["tp"] == 1
    assert {a: v["accuracy"] == 1.0 for a, v in s["attributes"].items()} == expected


def test_evaluate_empty_lists_score_one_and_accuracy_none():
    r = evaluate([rec()], [rec()])
    for t in FACT_FIELDS:
        s = r["types"][t]
        assert (s["precision"], s["recall"], s["f1"], s["partial"]["f1"]) == (1.0, 1.0, 1.0, 1.0)
        assert all(a["accuracy"] is None for a in s["attributes"].values())


def test_evaluate_missing_and_extra_documents():
    gold = [
        rec("a", periods=[per(2020, 2020)]),
        rec("b", periods=[per(2021, 2021), per(2022, 2022)]),
    ]
    pred = [rec("a", periods=[per(2020, 2020)]), rec("z", periods=[per(2021, 2021)])]
    r = evaluate(pred, gold)
    s = r["types"]["periods"]
    assert (s["gold"], s["pred"], s["tp"], s["recall"], s["precision"]) == (3, 1, 1, 1 / 3, 1.0)
    assert r["summary"]["missing_docs"] == ["b"]
    assert r["summary"]["extra_docs"] == 1
    assert r["documents"]["b"]["predicted"] is False
    assert len(r["documents"]["b"]["types"]["periods"]["missed"]) == 2


def test_evaluate_document_fields():
    gold = [
        rec("a", title="Cao Bằng: đề án", published="2020-04-20", provinces=["Cao Bằng", "Bắc Kạn"])
    ]
    pred = [
        rec("a", title="Cao Bằng:\u00a0 đề án ", published="2020-04-21", provinces=["Cao Bằng"])
    ]
    f = evaluate(pred, gold)["document_fields"]
    assert (f["title"]["accuracy"], f["published"]["accuracy"]) == (1.0, 0.0)
    assert (f["provinces"]["precision"], f["provinces"]["recall"]) == (1.0, 0.5)


def test_evaluate_spurious_keep_spans():
    pred = [rec(amounts=[{**amt(5, "5 đồng"), "spans": [[3, 9]]}])]
    doc = evaluate(pred, [rec()])["documents"]["d"]
    assert doc["types"]["amounts"]["spurious"] == [{"text": "5 đồng", "spans": [[3, 9]]}]


# --- gold against itself ---------------------------------------------------------------


def _gold_files() -> list[Path]:
    files = sorted(SHARED.glob("gold/*/*.json")) if SHARED.exists() else []
    return files + sorted(ANNOTATIONS.glob("*.json"))


def _assert_perfect(r: dict[str, Any]) -> None:
    for t, s in r["types"].items():
        assert (s["precision"], s["recall"], s["f1"], s["partial"]["f1"]) == (1, 1, 1, 1), t
        assert all(a["accuracy"] in (1.0, None) for a in s["attributes"].values()), t
    f = r["document_fields"]
    assert (f["title"]["accuracy"], f["published"]["accuracy"], f["provinces"]["f1"]) == (1, 1, 1)


@pytest.mark.parametrize("path", _gold_files() or [None], ids=lambda p: p.stem if p else "none")
def test_evaluate_gold_against_itself_is_perfect(path):
    if path is None:
        pytest.skip("no gold files (../shared/gold, annotations/)")
    gold = load_gold([path])
    _assert_perfect(evaluate(gold, gold))
    # the same record as pydantic models on the prediction side (defaults filled in)
    _assert_perfect(evaluate([RecordOut.model_validate(g) for g in gold], gold))
    _assert_perfect(evaluate(gold, [Record.model_validate(g) for g in gold]))


def test_evaluate_perturbed_gold_scores_hand_figures(shared):
    """seed-000 has 3 amounts, 2 organizations, 1 period: drop one amount, add a spurious
    org, shift the period: amounts P 1 R 2/3, orgs P 2/3 R 1, periods 0, the rest 1."""
    gold = load_gold([shared / "gold/seeds/seed-000.json"])[0]
    counts = tuple(len(gold[t]) for t in ("amounts", "organizations", "periods"))
    assert counts == (3, 2, 1), "seed-000 gold changed: recompute the figures of this test"
    pred = copy.deepcopy(gold)
    del pred["amounts"][0]
    pred["organizations"].append({"name": "Công ty TNHH Không Có Thật", "type": "company"})
    pred["periods"][0]["end"] += 1
    t = evaluate([pred], [gold])["types"]
    # fmt: off
    expected = {
        "amounts":       (3, 2, 2, 1.0, 2 / 3, 0.8),
        "organizations": (2, 3, 2, 2 / 3, 1.0, 0.8),
        "periods":       (1, 1, 0, 0.0, 0.0, 0.0),
    }
    # fmt: on
    for ftype in FACT_FIELDS:
        s = t[ftype]
        got = (s["gold"], s["pred"], s["tp"], s["precision"], s["recall"], s["f1"])
        want = expected.get(ftype, (s["gold"], s["gold"], s["gold"], 1.0, 1.0, 1.0))
        assert got == pytest.approx(want), ftype


# --- files and CLI ---------------------------------------------------------------------


def test_evaluate_cli_writes_table_and_json(tmp_path, capsys):
    gdir = tmp_path / "gold"
    gdir.mkdir()
    (gdir / "a.json").write_text(json.dumps(rec("a", periods=[per(2020, 2020)])), encoding="utf-8")
    preds = tmp_path / "pred.jsonl"
    preds.write_text(json.dumps(rec("a", periods=[per(2020, 2021)])) + "\n\n", encoding="utf-8")
    assert len(load_predictions(preds)) == 1
    code = main(["evaluate", str(preds), "--gold", str(gdir), "--json", str(tmp_path / "r.json")])
    assert code == 0
    out = capsys.readouterr().out
    assert any(line.startswith("periods ") for line in out.splitlines()[-10:])  # table last
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["types"]["periods"]["fn"] == 1
    assert report["documents"]["a"]["types"]["periods"]["missed"] == [{"text": "x"}]
