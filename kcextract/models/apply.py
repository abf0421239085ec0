"""The pipeline hook: adjust the rules' facts with the models switched on, in place.

Called by ``Pipeline.run_context`` after linking when ``use_models`` is on::

    from kcextract.models.apply import apply_models; apply_models(doc, ctx)

Each field has a setting (``models/NAME/enabled.json``, decided by
:mod:`kcextract.models.compare`):

* ``rules``: the rules' facts are left alone (the default for every field not listed);
* ``model``: the model alone decides (attributes relabelled from context; for names and
  titles, the span model's candidates replace the rules');
* ``combined``: attributes from the stacked model that also sees the rules' label; for
  names and titles, the span model's candidates are *added* where no rule fact covers them.

Facts the span model adds get their attributes from the attribute models when there are
some (there is no rule label to keep).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from kcextract.canon import canonical_org_name, clean_title, org_key, title_tokens
from kcextract.document import Document
from kcextract.extract import Context
from kcextract.models.attributes import (
    ATTRS,
    amount_siblings,
    doc_features,
    fact_features,
    predict,
    unlabel,
)
from kcextract.models.registry import Bundle, active_bundle
from kcextract.models.spans import FIELD_OF

SPAN_KEYS = ("organizations.names", "projects.titles")
ALL_KEYS = (*[f"{f}.{a}" for f, attrs in ATTRS.items() for a in attrs], *SPAN_KEYS)
SETTINGS = ("rules", "model", "combined")
_SPAN_ATTR = {"organizations": "names", "projects": "titles"}


def apply_models(
    doc: Document,
    ctx: Context,
    settings: Mapping[str, str] | None = None,
    bundle: Bundle | None = None,
) -> None:
    """Relabel attributes and add span candidates where the settings say so.

    A model that fails on an article leaves the rules' facts as they were and adds the
    warning ``KC-W050`` to the record (one article never stops a batch).
    """
    bundle = bundle if bundle is not None else active_bundle()
    if bundle is None:
        return
    settings = bundle.settings if settings is None else settings
    lists = {k: list(v) for k, v in ctx.facts.items()}
    values = [
        (f, a, copy.copy(getattr(f, a, None)))
        for field, attrs in ATTRS.items()
        for f in ctx.facts.get(field) or []
        for a in (*attrs, "name", "spans")
        if hasattr(f, a)
    ]
    try:
        _apply(doc, ctx, settings, bundle)
    except Exception as exc:
        ctx.facts.update(lists)
        for f, a, v in values:
            setattr(f, a, v)
        ctx.warnings.append(f"KC-W050 models not applied: {type(exc).__name__}: {exc}")


def _apply(doc: Document, ctx: Context, settings: Mapping[str, str], bundle: Bundle) -> None:
    added: set[int] = set()
    article: dict[str, Any] | None = None
    if bundle.tagger is not None and any(settings.get(k, "rules") != "rules" for k in SPAN_KEYS):
        added = _apply_spans(doc, ctx, settings, bundle)
    for field, attrs in ATTRS.items():
        facts = ctx.facts.get(field) or []
        todo = [a for a in attrs if f"{field}.{a}" in bundle.attributes]
        if not facts or not todo:
            continue
        sib = amount_siblings(doc.text, ctx.facts.get("amounts") or [], _spans)
        article = article if article is not None else doc_features(doc)
        for fact in facts:
            is_added = id(fact) in added
            feats = fact_features(
                doc.text, field, fact, _spans(fact), ctx.sentence_of, sib, article
            )
            rule = {a: _label(fact, a) for a in attrs}
            for attr in todo:
                mode = settings.get(f"{field}.{attr}", "rules")
                variants = bundle.attributes[f"{field}.{attr}"]
                if is_added or mode == "model":
                    value = predict(variants["model"], feats, None, attr)
                elif mode == "combined":
                    value = predict(variants["combined"], feats, rule, attr)
                else:
                    continue
                setattr(fact, attr, unlabel(attr, value))


def _spans(fact: Any) -> list[tuple[int, int]]:
    return [tuple(s) for s in (getattr(fact, "spans", None) or [])]  # type: ignore[misc]


def _label(fact: Any, attr: str) -> str:
    value = getattr(fact, attr, None)
    return "null" if value is None else str(value)


def _apply_spans(
    doc: Document, ctx: Context, settings: Mapping[str, str], bundle: Bundle
) -> set[int]:
    """Merge the span model's candidates into ``ctx.facts``; the ids of added facts."""
    from kcextract.schema import OrganizationOut, ProjectOut

    assert bundle.tagger is not None
    wanted = [
        lab
        for lab, f in FIELD_OF.items()
        if settings.get(f"{f}.{_SPAN_ATTR[f]}", "rules") != "rules"
    ]
    cands = bundle.tagger.spans(doc.text, ctx.sentences, wanted)
    added: set[int] = set()
    for key in SPAN_KEYS:
        field = key.split(".")[0]
        mode = settings.get(key, "rules")
        if mode == "rules":
            continue
        rule_facts = list(ctx.facts.get(field) or [])
        kept = [] if mode == "model" else rule_facts
        if field == "organizations" and mode == "combined":
            _extend_names(doc, kept, [(s, e) for s, e, lab in cands if lab == "ORG"])
        covered = [sp for f in kept for sp in _spans(f)]
        by_key: dict[str, Any] = {}
        for s, e, lab in cands:
            if FIELD_OF.get(lab) != field:
                continue
            if any(s < ce and cs < e for cs, ce in covered):
                continue
            surface = doc.text[s:e]
            if field == "organizations":
                name = canonical_org_name(surface)
                k = org_key(name)
                if not k or any(_contains(k, org_key(f.name)) for f in kept):
                    continue
                if k not in by_key:
                    by_key[k] = OrganizationOut(name=name, spans=[])
            else:
                title = clean_title(surface)
                k = " ".join(title_tokens(title))
                if not k or any(k == " ".join(title_tokens(f.title)) for f in kept):
                    continue
                if k not in by_key:
                    by_key[k] = ProjectOut(title=title, spans=[])
            by_key[k].spans.append((s, e))
        if field == "projects" and by_key:
            by_key = _build_projects(doc, ctx, by_key)
        if field == "organizations" and "organizations.type" in bundle.attributes:
            # typed now, so that the projects' build can take them as beneficiaries
            for fact in by_key.values():
                feats = fact_features(
                    doc.text, field, fact, _spans(fact), ctx.sentence_of, (), doc_features(doc)
                )
                model = bundle.attributes["organizations.type"]["model"]
                fact.type = predict(model, feats, None, "type")
        new = list(by_key.values())
        added.update(id(f) for f in new)
        ctx.facts[field] = kept + new
    return added


def _extend_names(doc: Document, facts: list[Any], cands: list[tuple[int, int]]) -> None:
    """Where the model's name starts where a rule name starts and goes on with a dash and
    capitalised words, the longer one is the name (kc-s01: the rules stop at ``Bà Rịa``
    before ``– Vũng Tàu``). Only after a dash: a blind test found the model running an
    agency's name into a person's (``Chính phủ`` + a minister's name)."""
    from kcextract.canon import canonical_org_name

    for fact in facts:
        spans = _spans(fact)
        for i, (fs, fe) in enumerate(spans):
            longer = [e for s, e in cands if s == fs and e > fe]
            if not longer:
                continue
            ext = doc.text[fe : max(longer)].split()
            dash = ext[:1] in (["–"], ["-"])
            if dash and all(w[:1].isupper() or w in ("–", "-") for w in ext):
                fact.name = canonical_org_name(doc.text[fs : max(longer)])
                spans[i] = (fs, max(longer))
                fact.spans = spans
                break


def _build_projects(doc: Document, ctx: Context, found: dict[str, Any]) -> dict[str, Any]:
    """Model-found titles through the rules' own ``projects`` build, so that they get
    beneficiaries, money, funding, year and status read the same way as rule titles (the
    joint CV showed bare titles lowering those accuracies). Falls back to bare titles."""
    from kcextract.document import Mention
    from kcextract.extract import REGISTRY

    ext = next((x for x in REGISTRY.values() if x.field == "projects"), None)
    if ext is None:
        return found
    mentions = sorted(
        (
            Mention("project", s, e, doc.text[s:e], fact.title, {"head": s, "source": "model"})
            for fact in found.values()
            for s, e in fact.spans
        ),
        key=lambda m: m.start,
    )
    try:
        built = ext.build(doc, mentions, ctx)
    except Exception:  # the rules' build expects something the model did not give
        return found
    return {" ".join(title_tokens(f.title)): f for f in built}


def _contains(a: str, b: str) -> bool:
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "
