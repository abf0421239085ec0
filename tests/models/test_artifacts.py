"""The committed models: small, carded, switched on by measurement, holding no sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kcextract.models import models_dir
from kcextract.models.apply import ALL_KEYS, SETTINGS
from kcextract.models.registry import active_path

MODELS = models_dir()
BUNDLE = active_path()
pytestmark = pytest.mark.skipif(BUNDLE is None, reason="no model bundle in models/")
LIMIT = 50_000_000


def test_models_stay_under_the_size_limit():
    size = sum(p.stat().st_size for p in MODELS.rglob("*") if p.is_file())
    assert size < LIMIT


@pytest.mark.parametrize("part", [".", "attributes", "spans", "relevance"])
def test_every_model_has_a_card(part):
    card = (BUNDLE / part / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Date" in card or "Trained" in card


def test_enabled_fields_are_known_and_measured():
    fields = json.loads((BUNDLE / "enabled.json").read_text())["fields"]
    table = json.loads((BUNDLE / "comparison.json").read_text())["comparison"]["table"]
    for key, setting in fields.items():
        assert key in ALL_KEYS and setting in SETTINGS
        if setting == "combined":  # on only where combined beat rules only in the CV
            assert table[key]["combined"]["value"] > (table[key]["rules"]["value"] or 0)


def test_relevance_vocabulary_holds_single_words_and_bigrams_only():
    vocab = json.loads((BUNDLE / "relevance" / "relevance.json").read_text())["vocab"]
    assert max(len(term.split()) for term in vocab) <= 2


def test_attribute_features_hold_no_phrases():
    path: Path = BUNDLE / "attributes" / "attributes.json"
    models = json.loads(path.read_text())["models"]
    for variants in models.values():
        for model in variants.values():
            assert all(len(f.split()) <= 3 for f in model["weights"])
