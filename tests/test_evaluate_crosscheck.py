"""kcextract.evaluate agrees with an independent scorer of the spec, per type, within 0.01."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from independent_scorer import f1_per_type

from kcextract.api import iter_extract
from kcextract.errors import Reject
from kcextract.evaluate import evaluate, load_gold

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _predict(paths: list[Path]) -> dict[str, dict]:
    out = {}
    for path in paths:
        for rec in iter_extract(path, use_models=False):
            if not isinstance(rec, Reject):
                out[rec.doc_id] = json.loads(rec.model_dump_json())
    return out


def _sets():
    yield "annotations", [REPO / "annotations"], [REPO / "corpus"]
    if SHARED.exists():
        gold_dirs = sorted((SHARED / "gold").iterdir())
        ids = {p.stem for d in gold_dirs for p in d.glob("*.json")}
        files = [p for p in sorted((SHARED / "corpus").glob("*/*.txt")) if p.stem in ids]
        yield "shared", gold_dirs, files


@pytest.mark.parametrize(
    ("name", "gold_dirs", "inputs"), list(_sets()), ids=lambda x: x if isinstance(x, str) else ""
)
def test_evaluate_agrees_with_an_independent_scorer(name, gold_dirs, inputs):
    preds = _predict(inputs)
    golds = [
        json.loads(p.read_text(encoding="utf-8"))
        for d in gold_dirs
        for p in sorted(d.glob("*.json"))
    ]
    ours = evaluate(list(preds.values()), load_gold(gold_dirs))
    theirs = f1_per_type(preds, golds)
    for t, f1 in theirs.items():
        assert ours["types"][t]["f1"] == pytest.approx(f1, abs=0.01), t
