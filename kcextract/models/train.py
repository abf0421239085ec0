"""``kcextract train``: fit every model on all gold available, measure, write the bundle.

Order of work: gold documents and their articles; the rules' output on them (once); the
cross-validated comparison (:mod:`kcextract.models.compare`), which decides the fields
switched on; the final models on all documents; the relevance classifier with its own
held-out scores; then the artifacts and a ``MODEL_CARD.md`` per model. The same data gives
the same files (fixed seeds, sorted inputs, deterministic solvers).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kcextract.models import attributes as attr_mod
from kcextract.models import compare
from kcextract.models import relevance as rel_mod
from kcextract.models import spans as span_mod
from kcextract.models.gold import GoldDoc, load_gold_docs, locate_fact
from kcextract.models.registry import (
    ATTRIBUTES_FILE,
    ENABLED_FILE,
    RELEVANCE_FILE,
    SPANS_FILE,
    write_attributes,
)

WHAT = ("attributes", "spans", "relevance")


def train_bundle(
    out: Path,
    gold_dirs: Sequence[Path] | None = None,
    corpus_dirs: Sequence[Path] | None = None,
    shared: Path | None = None,
    what: Sequence[str] = WHAT,
    folds: int = compare.FOLDS,
    activate: bool = True,
    date: str | None = None,
    keep_rules: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Train, measure and write ``out``; return the summary (also ``out/comparison.json``).

    ``keep_rules`` maps fields to a reason for keeping them on rules whatever the CV says
    (a decision taken on data the CV does not see, e.g. a blind test set); the reasons go
    into ``enabled.json`` as its ``note``.
    """
    from kcextract.models.gold import SHARED

    date = date or dt.date.today().isoformat()
    shared = shared if shared is not None else SHARED
    gds = load_gold_docs(gold_dirs, corpus_dirs)
    if not gds:
        raise SystemExit("kcextract train: no gold document with its article was found")
    ctxs = compare.rule_contexts(gds)
    summary: dict[str, Any] = {
        "date": date,
        "documents": [gd.doc_id for gd in gds],
        "gold_dirs": [str(p) for p in gold_dirs or []] or "default",
        "located": _located(gds),
    }
    out.mkdir(parents=True, exist_ok=True)
    chosen: dict[str, str] = {}
    if "attributes" in what or "spans" in what:
        result = compare.cross_validate(gds, ctxs, folds, tuple(keep_rules or {}))
        chosen = compare.choose(result["table"])
        if "spans" not in what:
            chosen = {k: v for k, v in chosen.items() if k not in compare.SPAN_KEYS}
        if "attributes" not in what:
            chosen = {k: v for k, v in chosen.items() if k in compare.SPAN_KEYS}
        for key in keep_rules or {}:
            chosen[key] = "rules"
        summary["comparison"] = result
        summary["chosen"] = chosen
    if "attributes" in what:
        exs = [e for gd in gds for e in attr_mod.examples(gd, ctxs[gd.doc_id].facts)]
        write_attributes(attr_mod.train(exs), out / ATTRIBUTES_FILE)
        summary["attribute_examples"] = dict(Counter(e.field for e in exs))
    if "spans" in what:
        summary["span_sequences"] = span_mod.train(gds, out / SPANS_FILE)
    items = (
        rel_mod.labelled_articles(shared, [(gd.gold, gd.doc) for gd in gds])
        if "relevance" in what
        else []
    )
    if "relevance" in what and len({i.label for i in items}) < 2:
        # without ../shared there may be no off-topic article to learn from
        summary["relevance_skipped"] = "one class only: no relevance model written"
        what = [w for w in what if w != "relevance"]
    if "relevance" in what:
        summary["relevance"] = rel_mod.cross_validate(items)
        summary["relevance"]["sources"] = dict(Counter(f"{i.source}:{i.label}" for i in items))
        final = rel_mod.fit(
            [i.text for i in items], [i.label for i in items], [rel_mod.weight(i) for i in items]
        )
        rel_mod.save(final, out / RELEVANCE_FILE)
    (out / "comparison.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    enabled: dict[str, Any] = {"fields": {k: v for k, v in sorted(chosen.items()) if v != "rules"}}
    for key, reason in sorted((keep_rules or {}).items()):
        enabled["fields"][key] = "rules"
        enabled.setdefault("note", []).append(f"{key}: kept on rules: {reason}")
    summary["kept_on_rules"] = keep_rules or {}
    (out / ENABLED_FILE).write_text(json.dumps(enabled, indent=1) + "\n", encoding="utf-8")
    from kcextract.models.cards import write_cards

    write_cards(out, summary, what)
    if activate:
        marker = out.parent / ENABLED_FILE
        marker.write_text(json.dumps({"bundle": out.name}, indent=1) + "\n", encoding="utf-8")
    return summary


def _located(gds: Sequence[GoldDoc]) -> dict[str, dict[str, int]]:
    """How many gold facts were found in their article (the rest cannot be trained on)."""
    out: dict[str, dict[str, int]] = {}
    for field in ("amounts", "targets", "organizations", "projects"):
        c = out.setdefault(field, {"facts": 0, "found": 0})
        for gd in gds:
            for fact in gd.gold.get(field) or []:
                c["facts"] += 1
                c["found"] += int(bool(locate_fact(gd.doc.text, field, fact)))
    return out
