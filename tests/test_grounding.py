"""Grounding: every span of every fact points at raw text that carries that fact.

Run over the whole of ``../shared/corpus/real`` (150 real scraped articles) when it exists.
A violation names the document, the fact and what its span shows.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import regex

from kcextract.canon import org_key, title_tokens, token_f1
from kcextract.errors import Reject
from kcextract.ingest import iter_files, read_path
from kcextract.pipeline import load_pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "corpus" / "real"
OWN = Path(__file__).resolve().parents[1] / "corpus"

_DIGITS = regex.compile(r"\d")
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _fold(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def _digits(s: str) -> str:
    return "".join(_DIGITS.findall(s))


def violations(record, raw: str) -> list[str]:
    """What is wrong with the record's spans against the raw source text."""
    out: list[str] = []
    for field in ("amounts", "organizations", "projects", "periods", "targets"):
        for fact in getattr(record, field):
            if not fact.spans:
                out.append(f"{field}: {fact!r} has no span")
            for s, e in fact.spans:
                shown = _fold(raw[s:e])
                if not (0 <= s < e <= len(raw)) or not shown:
                    out.append(f"{field}: bad span {s}:{e}")
                elif not _carries(field, fact, shown):
                    out.append(
                        f"{field}: span {s}:{e} shows {shown!r} for {fact.model_dump(exclude={'spans'})}"
                    )
    return out


def _carries(field: str, fact, shown: str) -> bool:
    if field == "amounts":
        return (
            _digits(shown) == _digits(fact.text) or _fold(shown).lower() == _fold(fact.text).lower()
        )
    if field == "organizations":
        span_key, name_key = org_key(shown), org_key(fact.name)
        if shown.isupper() and len(shown) <= 20:  # a declared alias: TTKC, "TTKC & XTTM"
            return True
        span_toks, name_toks = set(span_key.split()), set(name_key.split())
        return name_key.startswith(span_key) or name_toks <= span_toks
    if field == "projects":
        return token_f1(title_tokens(shown), title_tokens(fact.title)) >= 0.9
    if field == "periods":
        years = {int(y) for y in _YEAR.findall(shown)}
        bounds = {int(str(b)[:4]) for b in (fact.start, fact.end) if b is not None}
        # "năm nay" carries the article's year without writing it
        return years <= bounds
    if field == "targets":
        return str(fact.quantity) in _digits(shown) or fact.unit.lower() in shown.lower()
    return True


def _records(folder: Path):
    pipe = load_pipeline()
    for path in iter_files([folder]):
        for doc in read_path(path):
            if not isinstance(doc, Reject):
                yield pipe(doc), doc.raw


@pytest.mark.skipif(not REAL.exists(), reason="../shared/corpus/real is not beside the repo")
def test_grounding_every_span_carries_its_fact_on_real_corpus():
    bad = [f"{rec.doc_id}: {v}" for rec, raw in _records(REAL) for v in violations(rec, raw)]
    assert bad == [], f"{len(bad)} grounding violations, first: " + "\n".join(bad[:15])


def test_grounding_every_span_carries_its_fact_on_own_corpus():
    bad = [f"{rec.doc_id}: {v}" for rec, raw in _records(OWN) for v in violations(rec, raw)]
    assert bad == [], f"{len(bad)} grounding violations, first: " + "\n".join(bad[:15])
