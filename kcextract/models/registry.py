"""Loading model bundles, once per process.

A bundle is a folder written by ``kcextract train --out models/NAME``::

    models/NAME/MODEL_CARD.md             what was trained on what, the comparison table
    models/NAME/comparison.json           the cross-validated scores behind the choice
    models/NAME/enabled.json              the fields where rules + model beat rules alone
    models/NAME/attributes/attributes.json  (+ MODEL_CARD.md)
    models/NAME/spans/spans.crf             (+ MODEL_CARD.md)
    models/NAME/relevance/relevance.json    (+ MODEL_CARD.md)

``models/enabled.json`` names the bundle the pipeline uses (``{"bundle": "NAME"}``); the
field settings come from that bundle's own ``enabled.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kcextract.models import models_dir
from kcextract.models.linear import LinearModel
from kcextract.models.relevance import RelevanceModel
from kcextract.models.spans import SpanTagger

ATTRIBUTES_FILE = Path("attributes") / "attributes.json"
SPANS_FILE = Path("spans") / "spans.crf"
RELEVANCE_FILE = Path("relevance") / "relevance.json"
ENABLED_FILE = "enabled.json"

# How many bundles were read from disk in this process (the tests check "once").
LOADS: list[Path] = []


@dataclass(slots=True)
class Bundle:
    """The models of one bundle and the setting chosen for each field."""

    path: Path | None
    attributes: dict[str, dict[str, LinearModel]] = field(default_factory=dict)
    tagger: SpanTagger | None = None
    relevance: RelevanceModel | None = None
    settings: dict[str, str] = field(default_factory=dict)


def read_attributes(path: Path) -> dict[str, dict[str, LinearModel]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: {variant: LinearModel.from_json(m) for variant, m in variants.items()}
        for key, variants in data["models"].items()
    }


def write_attributes(models: dict[str, dict[str, LinearModel]], path: Path) -> None:
    """JSON with one feature per line (``"L1=đã": [w per class]``): small and diffable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ['{"format": "kcextract linear v1", "models": {']
    keys = sorted(models)
    for ki, key in enumerate(keys):
        lines.append(f"{json.dumps(key)}: {{")
        variants = sorted(models[key].items())
        for vi, (variant, m) in enumerate(variants):
            data = m.to_json()
            head = {k: v for k, v in data.items() if k != "weights"}
            lines.append(f"{json.dumps(variant)}: {json.dumps(head, ensure_ascii=False)[:-1]},")
            lines.append('"weights": {')
            items = list(data["weights"].items())
            for wi, (feat, w) in enumerate(items):
                comma = "," if wi < len(items) - 1 else ""
                lines.append(f"{json.dumps(feat, ensure_ascii=False)}: {json.dumps(w)}{comma}")
            lines.append("}}" + ("," if vi < len(variants) - 1 else ""))
        lines.append("}" + ("," if ki < len(keys) - 1 else ""))
    lines.append("}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@cache
def load_bundle(path: Path) -> Bundle:
    """Every model found in the bundle folder, read once per process (per path)."""
    LOADS.append(path)
    bundle = Bundle(path)
    if (path / ATTRIBUTES_FILE).exists():
        bundle.attributes = read_attributes(path / ATTRIBUTES_FILE)
    if (path / SPANS_FILE).exists():
        bundle.tagger = SpanTagger(path / SPANS_FILE)
    if (path / RELEVANCE_FILE).exists():
        from kcextract.models.relevance import load

        bundle.relevance = load(path / RELEVANCE_FILE)
    if (path / ENABLED_FILE).exists():
        data = json.loads((path / ENABLED_FILE).read_text(encoding="utf-8"))
        bundle.settings = dict(data.get("fields", {}))
    return bundle


def active_path(root: Path | None = None) -> Path | None:
    """The bundle named by ``models/enabled.json``, or None when there is none."""
    return _active_path(root or models_dir())


@cache
def _active_path(root: Path) -> Path | None:
    # read once per process and models folder: apply_models asks for every article
    marker = root / ENABLED_FILE
    if not marker.exists():
        return None
    name = json.loads(marker.read_text(encoding="utf-8")).get("bundle")
    path = (root / name).resolve() if name else None
    return path if path is not None and path.is_dir() else None


def active_bundle() -> Bundle | None:
    """The pipeline's bundle (``models/enabled.json``), loaded once per process."""
    path = active_path()
    return load_bundle(path) if path else None


def bundle_info() -> dict[str, Any]:
    """Name and field settings of the active bundle (for a batch manifest)."""
    bundle = active_bundle()
    if bundle is None:
        return {"bundle": None, "fields": {}}
    name = bundle.path.name if bundle.path else None
    return {"bundle": name, "fields": dict(sorted(bundle.settings.items()))}


def relevance_model() -> RelevanceModel | None:
    bundle = active_bundle()
    return bundle.relevance if bundle else None
