"""The pipeline: a Document in, one validated, grounded ``RecordOut`` out.

Stages, in order: sentences (``segment``), then the extractors named in ``DEFAULT_ORDER``
(each sees the facts of the earlier ones in ``ctx.facts``), then ``link`` (cross-field
attachment and dedupe), then grounding (clean offsets to raw offsets) and validation.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from functools import cache
from typing import Any

from kcextract import __version__
from kcextract.document import Document
from kcextract.extract import REGISTRY, Context, Extractor
from kcextract.schema import FACT_FIELDS, RecordOut
from kcextract.segment import sentences

DEFAULT_ORDER: tuple[str, ...] = (
    "provinces.v1",
    "periods.v1",
    "amounts.v1",
    "organizations.v1",
    "targets.v1",
    "projects.v1",
    "programmes.v1",
)


def _load_extractors(order: tuple[str, ...]) -> list[Extractor]:
    for name in order:
        importlib.import_module(f"kcextract.extract.{name.split('.')[0]}")
    exts = [REGISTRY[name] for name in order]
    done: set[str] = set()
    for ext in exts:
        missing = [r for r in ext.requires if r not in done]
        if missing:
            raise ValueError(f"extractor {ext.name} requires {missing} earlier in the pipeline")
        done.add(ext.field)
    return exts


class Pipeline:
    """Callable ``Document -> RecordOut``; build it once per process (``load_pipeline``)."""

    def __init__(self, order: tuple[str, ...] = DEFAULT_ORDER, use_models: bool = True) -> None:
        self.order = order
        self.use_models = use_models
        self.extractors = _load_extractors(order)

    @property
    def config(self) -> dict[str, Any]:
        return {"version": __version__, "order": list(self.order), "use_models": self.use_models}

    @property
    def config_hash(self) -> str:
        blob = json.dumps(self.config, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def run_context(self, doc: Document) -> Context:
        """Run the extractors and linking; return the context (facts in clean offsets)."""
        from kcextract import link

        ctx = Context(sentences=sentences(doc.text, doc.body_start))
        for ext in self.extractors:
            mentions = ext.find(doc)
            ctx.mentions[ext.field] = mentions
            ctx.facts[ext.field] = ext.build(doc, mentions, ctx)
        link.link(doc, ctx)
        if self.use_models:
            # the fields where rules + model beat rules alone (models/enabled.json, issue 5)
            from kcextract.models.apply import apply_models

            apply_models(doc, ctx)
        return ctx

    def _relevance(self, doc: Document) -> float | None:
        if not self.use_models:
            return None
        from kcextract.models.registry import relevance_model

        model = relevance_model()
        return None if model is None else round(model.score_text(doc.text), 4)

    def __call__(self, doc: Document) -> RecordOut:
        ctx = self.run_context(doc)
        data: dict[str, Any] = {
            "doc_id": doc.doc_id,
            "title": doc.title,
            "published": doc.published,
            "provinces": ctx.facts.get("provinces", []),
            "source": doc.source,
            "warnings": ctx.warnings,
            "relevance": self._relevance(doc),
        }
        for name in FACT_FIELDS:
            facts = ctx.facts.get(name, [])
            for fact in facts:
                if hasattr(fact, "spans"):
                    fact.spans = _ground(doc, fact.spans)
            data[name] = facts
        return RecordOut.model_validate(
            {k: ([f.model_dump() for f in v] if k in FACT_FIELDS else v) for k, v in data.items()}
        )


def _ground(doc: Document, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = sorted({doc.raw_span(s, e) for s, e in spans if e > s})
    return out


@cache
def load_pipeline(use_models: bool = True) -> Pipeline:
    """The default pipeline, built once per process."""
    return Pipeline(use_models=use_models)
