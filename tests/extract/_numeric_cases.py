"""Runs the numeric extractors on one sentence (a helper for the case tables)."""

from __future__ import annotations

from typing import Any

from kcextract.extract import Context, amounts, periods, targets
from kcextract.ingest import document_from_text
from kcextract.segment import sentences

_MODULES = {"periods": periods, "amounts": amounts, "targets": targets}


def run(
    sentence: str, field: str, published: str | None = None, title: str = "Tin khuyến công"
) -> list[Any]:
    """The facts of ``field`` for an article whose body is ``sentence`` (the default title
    says the article is about a support programme)."""
    doc = document_from_text(title + "\n" + sentence, doc_id="t")
    doc.published = published
    ctx = Context(sentences=sentences(doc.text, doc.body_start))
    for name in ("periods", "amounts", "targets"):
        mod = _MODULES[name]
        ctx.facts[name] = mod.build(doc, mod.find(doc), ctx)
        for fact in ctx.facts[name]:
            for s, e in fact.spans:
                assert doc.text[s:e].strip(), "a span must cover text"
        if name == field:
            return ctx.facts[name]
    raise KeyError(field)


def pick(facts: list[Any], text: str) -> Any:
    """The fact whose surface text is ``text`` (or contains it)."""
    for f in facts:
        if f.text == text:
            return f
    for f in facts:
        if text in f.text:
            return f
    raise AssertionError(f"{text!r} not among {[f.text for f in facts]}")
