"""Attribute classifiers: amount ``level``/``status``/``funding``, target ``status``,
organization ``type``/``role``, read from the words around each mention.

Two variants are trained per attribute:

* ``model``: context features only (:func:`fact_features`);
* ``combined``: the same plus the rules' own label as a feature (``rule=planned``), so the
  model learns when to trust the rules (stacking); a fact found by no rule gets
  ``rule=none``.

Examples come from the gold facts found in their article (:mod:`kcextract.models.gold`);
the rules' label of a gold fact is the label of the rule fact whose span overlaps it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from kcextract.document import Document
from kcextract.models.features import context_features, cue_groups, magnitude, tokens
from kcextract.models.gold import GoldDoc, locate_fact
from kcextract.models.linear import LinearModel, fit

ATTRS: dict[str, tuple[str, ...]] = {
    "amounts": ("level", "status", "funding"),
    "targets": ("status",),
    "organizations": ("type", "role"),
}
KEYS: tuple[str, ...] = tuple(f"{f}.{a}" for f, attrs in ATTRS.items() for a in attrs)
VARIANTS = ("model", "combined")
# Occurrences of a fact whose context is pooled (the first ones; a fact said five times
# is usually introduced in full at its first mention).
MAX_OCCURRENCES = 3
NULL = "null"  # funding: not stated

Span = tuple[int, int]
SentenceOf = Callable[[int], tuple[int, int]]


def get(fact: Any, name: str) -> Any:
    """An attribute of a gold dict or an output model alike."""
    return fact.get(name) if isinstance(fact, Mapping) else getattr(fact, name, None)


def label(fact: Any, attr: str) -> str:
    value = get(fact, attr)
    return NULL if value is None else str(value)


def unlabel(attr: str, value: str) -> Any:
    return None if value == NULL else value


def _extra(field: str, fact: Any, start: int, siblings: Sequence[tuple[int, int]], sent: Span):
    f: dict[str, float] = {}
    if field == "amounts":
        value = get(fact, "value_vnd")
        f[f"mag={magnitude(value)}"] = 1.0
        f[f"qual={get(fact, 'qualifier') or 'exact'}"] = 1.0
        if get(fact, "per"):
            f["has_per"] = 1.0
        same = [v for s, v in siblings if sent[0] <= s < sent[1]]
        f[f"n_in_sent={min(len(same), 4)}"] = 1.0
        if value and same and value >= max(same):
            f["max_in_sent"] = 1.0
        if value and siblings and value >= max(v for _, v in siblings):
            f["max_in_doc"] = 1.0
        earlier = [s for s, _ in siblings if sent[0] <= s < start]
        f[f"rank_in_sent={min(len(earlier), 3)}"] = 1.0
    elif field == "targets":
        f[f"mag={magnitude(get(fact, 'quantity'))}"] = 1.0
        for w in (get(fact, "unit") or "").lower().split()[:2]:
            f[f"U={w}"] = 1.0
    elif field == "organizations":
        words = [t[2] for t in tokens(get(fact, "name") or "")]
        for w in words[:4]:
            f[f"N={w}"] = 1.0
        f[f"head={' '.join(words[:2])}"] = 1.0
        for g in cue_groups(words[:3]):
            f[f"cueN={g}"] = 1.0
    return f


_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def doc_features(doc: Document) -> dict[str, Any]:
    """What the whole article says, computed once per article: the headline's cue groups
    (``Kết quả …`` vs ``kế hoạch …``) and the year of publication."""
    title = doc.title or doc.text[: doc.body_start or 120]
    year = int(doc.published[:4]) if doc.published else None
    groups = cue_groups([t[2] for t in tokens(title)])
    return {"year": year, "feats": {f"cueTitle={g}": 1.0 for g in groups}}


def _year_feats(text: str, sent: Span, year: int | None) -> dict[str, float]:
    """How the years of the sentence stand to the publication year (planned money is
    usually in a later year, results in an earlier one)."""
    years = [int(m.group()) for m in _YEAR.finditer(text, sent[0], sent[1])]
    if year is None or not years:
        return {"yrel=none": 1.0}
    out = {}
    for y in years:
        rel = "past" if y < year else ("same" if y == year else "future")
        out[f"yrel={rel}"] = 1.0
    return out


def fact_features(
    text: str,
    field: str,
    fact: Any,
    spans: Sequence[Span],
    sentence_of: SentenceOf,
    siblings: Sequence[tuple[int, int]] = (),
    article: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """Features of one fact: the union over its first occurrences (``spans``), plus the
    article's own (``article``, from :func:`doc_features`)."""
    feats: dict[str, float] = dict(article["feats"]) if article else {}
    year = article.get("year") if article else None
    for start, end in sorted(spans)[:MAX_OCCURRENCES]:
        sent = sentence_of(start)
        feats.update(
            context_features(text, start, end, sent, _extra(field, fact, start, siblings, sent))
        )
        feats.update(_year_feats(text, sent, year))
        if start == sorted(spans)[0][0]:
            feats[f"first_sent={_sent_bucket(start, len(text))}"] = 1.0
    if not spans:
        feats.update(_extra(field, fact, 0, (), (0, 0)))
        feats["bias"] = 1.0
        feats["unlocated"] = 1.0
    return feats


def _sent_bucket(pos: int, n: int) -> str:
    return "head" if pos < 300 else ("body" if pos < n * 0.8 else "tail")


def rule_features(rule: Mapping[str, str] | None, attr: str) -> dict[str, float]:
    """The rules' label of one attribute as a feature (``rule=none`` when no rule fact)."""
    value = (rule or {}).get(attr, "none")
    return {f"rule={value}": 1.0}


@dataclass(slots=True)
class Example:
    doc_id: str
    field: str
    feats: dict[str, float]
    labels: dict[str, str]
    rule: dict[str, str] | None  # the rules' labels, when a rule fact overlaps


def _overlaps(a: Iterable[Span], b: Iterable[Span]) -> bool:
    bs = list(b)
    return any(s < be and bs_ < e for s, e in a for bs_, be in bs)


def amount_siblings(text: str, facts: Iterable[Any], spans_of: Callable[[Any], list[Span]]):
    """``(start, value_vnd)`` of every amount occurrence: the context of one amount's size."""
    out = []
    for f in facts:
        for s, _ in spans_of(f)[:MAX_OCCURRENCES]:
            out.append((s, get(f, "value_vnd") or 0))
    return sorted(out)


def examples(gd: GoldDoc, rule_facts: Mapping[str, list[Any]] | None = None) -> list[Example]:
    """Training examples of one gold document (facts that cannot be found are skipped,
    except organizations, whose name alone says much about their type)."""
    text = gd.doc.text
    located: dict[str, list[tuple[Any, list[Span]]]] = {}
    for field in ATTRS:
        located[field] = [(f, locate_fact(text, field, f)) for f in gd.gold.get(field) or []]
    sib = sorted(
        (s, get(f, "value_vnd") or 0)
        for f, sp in located["amounts"]
        for s, _ in sp[:MAX_OCCURRENCES]
    )
    article = doc_features(gd.doc)
    out = []
    for field, attrs in ATTRS.items():
        for fact, spans in located[field]:
            if not spans and field != "organizations":
                continue
            feats = fact_features(text, field, fact, spans, gd.sentence_of, sib, article)
            rule = None
            for rf in (rule_facts or {}).get(field, []):
                if spans and _overlaps(spans, get(rf, "spans") or []):
                    rule = {a: label(rf, a) for a in attrs}
                    break
            labels = {a: label(fact, a) for a in attrs}
            out.append(Example(gd.doc_id, field, feats, labels, rule))
    return out


def train(exs: Sequence[Example]) -> dict[str, dict[str, LinearModel]]:
    """``{"amounts.level": {"model": …, "combined": …}, …}`` from the examples given."""
    models: dict[str, dict[str, LinearModel]] = {}
    for field, attrs in ATTRS.items():
        fx = [e for e in exs if e.field == field]
        if not fx:
            continue
        for attr in attrs:
            y = [e.labels[attr] for e in fx]
            models[f"{field}.{attr}"] = {
                "model": fit([e.feats for e in fx], y),
                "combined": fit([{**e.feats, **rule_features(e.rule, attr)} for e in fx], y),
            }
    return models


def predict(
    model: LinearModel, feats: Mapping[str, float], rule: Mapping[str, str] | None, attr: str
) -> str:
    """One attribute's label; ``rule`` given means the combined variant."""
    return model.predict({**feats, **rule_features(rule, attr)} if rule is not None else feats)
