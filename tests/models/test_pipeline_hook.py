"""The pipeline with models on changes only what ``enabled.json`` switched on."""

from __future__ import annotations

import pytest
from tiny_gold import TINY

from kcextract.ingest import document_from_text
from kcextract.models.registry import active_bundle
from kcextract.pipeline import Pipeline

pytestmark = pytest.mark.skipif(active_bundle() is None, reason="no model bundle in models/")

# Attributes the models may change, per field (the rest of a record must stay the rules').
TOUCHED = {
    "amounts": {"level", "status", "funding"},
    "targets": {"status"},
    "organizations": {"type", "role"},
}


def _strip(facts: list[dict], drop: set[str]) -> list[dict]:
    return [{k: v for k, v in f.items() if k not in drop} for f in facts]


@pytest.mark.parametrize("case", TINY, ids=[c[0] for c in TINY])
def test_models_touch_only_their_fields(case):
    doc_id, text, _ = case
    rules = Pipeline(use_models=False)(document_from_text(text, doc_id)).model_dump()
    models = Pipeline(use_models=True)(document_from_text(text, doc_id)).model_dump()
    for field in ("periods", "programmes", "provinces", "title", "published"):
        assert models[field] == rules[field]
    for field, attrs in TOUCHED.items():
        if field == "organizations":
            continue  # the span model may add names
        assert _strip(models[field], attrs) == _strip(rules[field], attrs)
