"""The measured choice: rules only, model only, combined, per field, by document CV.

Folds are groups of documents (``GroupKFold``: no article is in training and test at
once). In each fold the attribute models and the span CRF are trained on the training
documents; the test documents are run through the rules (once, cached) and then through
:func:`kcextract.models.apply.apply_models` with each setting, and all test records are
scored together by :func:`kcextract.evaluate.evaluate`:

* attribute fields (``amounts.level`` …): accuracy on the pairs the rules matched (the
  pairs are the same in the three settings, so the accuracies compare like for like); the
  span fields stay on ``rules`` meanwhile;
* ``organizations.names`` / ``projects.titles``: F1 of the field (attributes on ``rules``).

A field is switched on (``combined``) only when combined beats rules only.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kcextract.extract import Context
from kcextract.models import attributes as attr_mod
from kcextract.models import spans as span_mod
from kcextract.models.apply import ALL_KEYS, SETTINGS, SPAN_KEYS, apply_models
from kcextract.models.gold import GoldDoc
from kcextract.models.registry import Bundle
from kcextract.schema import FACT_FIELDS

FOLDS = 5


def rule_contexts(gds: Sequence[GoldDoc]) -> dict[str, Context]:
    """The rules' output (facts with clean-offset spans) of every gold document."""
    from kcextract.pipeline import Pipeline
    from kcextract.segment import sentences

    pipe = Pipeline(use_models=False)
    out = {}
    for gd in gds:
        try:
            out[gd.doc_id] = pipe.run_context(gd.doc)
        except Exception as exc:  # a rule bug on one article must not stop training
            ctx = Context(sentences=sentences(gd.doc.text, gd.doc.body_start))
            ctx.warnings.append(f"rules failed: {type(exc).__name__}: {exc}")
            out[gd.doc_id] = ctx
    return out


def record(gd: GoldDoc, ctx: Context) -> dict[str, Any]:
    """A record dict of the facts in ``ctx`` (enough for the scorer)."""
    out: dict[str, Any] = {"doc_id": gd.doc_id, "provinces": ctx.facts.get("provinces", [])}
    for name in FACT_FIELDS:
        out[name] = [
            f.model_dump() if hasattr(f, "model_dump") else dict(f)
            for f in ctx.facts.get(name) or []
        ]
    return out


def fold_bundle(train: Sequence[GoldDoc], ctxs: Mapping[str, Context], tmp: Path) -> Bundle:
    """Attribute models and a CRF trained on ``train`` only."""
    exs = [e for gd in train for e in attr_mod.examples(gd, ctxs[gd.doc_id].facts)]
    bundle = Bundle(None, attributes=attr_mod.train(exs))
    crf = tmp / f"spans-{len(list(tmp.glob('*.crf')))}.crf"
    span_mod.train(train, crf)
    bundle.tagger = span_mod.SpanTagger(crf)
    return bundle


def _settings(key_kind: str, setting: str) -> dict[str, str]:
    keys = SPAN_KEYS if key_kind == "spans" else [k for k in ALL_KEYS if k not in SPAN_KEYS]
    return {k: setting for k in keys}


def cross_validate(
    gds: Sequence[GoldDoc],
    ctxs: Mapping[str, Context],
    folds: int = FOLDS,
    keep_rules: Sequence[str] = (),
) -> dict[str, Any]:
    """The three settings per field, the attribute classifiers' own CV accuracy, and the
    scores of every field with the chosen settings all on at once (``joint``)."""
    from sklearn.model_selection import GroupKFold

    from kcextract.evaluate import evaluate

    n = min(folds, len(gds))
    runs: dict[str, list[dict[str, Any]]] = {}
    intrinsic: dict[str, dict[str, list[int]]] = {}
    trained: list[tuple[Sequence[int], Bundle]] = []
    with tempfile.TemporaryDirectory() as tmp:
        groups = [gd.doc_id for gd in gds]
        for tr, te in GroupKFold(n_splits=n).split(groups, groups=groups):
            bundle = fold_bundle([gds[i] for i in tr], ctxs, Path(tmp))
            trained.append((te, bundle))
            for i in te:
                gd = gds[i]
                _intrinsic(gd, ctxs[gd.doc_id], bundle, intrinsic)
                runs.setdefault("rules", []).append(record(gd, ctxs[gd.doc_id]))
                for kind in ("attributes", "spans"):
                    for setting in ("model", "combined"):
                        ctx = copy.deepcopy(ctxs[gd.doc_id])
                        apply_models(gd.doc, ctx, _settings(kind, setting), bundle)
                        runs.setdefault(f"{kind}:{setting}", []).append(record(gd, ctx))
    golds = [gd.gold for gd in gds]
    reports = {name: evaluate(recs, golds) for name, recs in runs.items()}
    table = {}
    for key in ALL_KEYS:
        kind = "spans" if key in SPAN_KEYS else "attributes"
        row = {}
        for setting in SETTINGS:
            rep = reports["rules" if setting == "rules" else f"{kind}:{setting}"]
            row[setting] = _metric(rep, key)
        row["docs_better_worse"] = _wins(reports["rules"], reports[f"{kind}:combined"], key)
        table[key] = row
    chosen = {k: ("rules" if k in keep_rules else v) for k, v in choose(table).items()}
    joint = []
    for te, bundle in trained:
        for i in te:
            ctx = copy.deepcopy(ctxs[gds[i].doc_id])
            apply_models(gds[i].doc, ctx, chosen, bundle)
            joint.append(record(gds[i], ctx))
    return {
        "folds": n,
        "documents": len(gds),
        "table": table,
        "chosen": chosen,
        "joint": {
            "rules": _summary(reports["rules"]),
            "chosen": _summary(evaluate(joint, golds)),
        },
        "intrinsic": {
            key: {v: _acc(c) for v, c in sorted(counts.items())}
            for key, counts in sorted(intrinsic.items())
        },
    }


def _summary(report: Mapping[str, Any]) -> dict[str, Any]:
    """Per type: P/R/F1 and attribute accuracies (what the joint run is judged on)."""
    out = {}
    for t, r in report["types"].items():
        out[t] = {
            "precision": round(r["precision"], 4),
            "recall": round(r["recall"], 4),
            "f1": round(r["f1"], 4),
            **{
                a: None if v["accuracy"] is None else round(v["accuracy"], 4)
                for a, v in r["attributes"].items()
            },
        }
    return out


def _doc_score(doc: Mapping[str, Any], key: str) -> float:
    field, what = key.split(".")
    t = doc["types"][field]
    if key in SPAN_KEYS:
        return 2 * t["tp"] - (t["gold"] - t["tp"]) - (t["pred"] - t["tp"])
    return t["attributes"][what][0]


def _wins(rules: Mapping[str, Any], combined: Mapping[str, Any], key: str) -> list[int]:
    """How many documents combined scores better / worse on than rules only (correct
    attributes; for names and titles, matches minus errors): a guard against a table
    won by one lucky article."""
    better = worse = 0
    for doc_id, doc in rules["documents"].items():
        a, b = _doc_score(doc, key), _doc_score(combined["documents"][doc_id], key)
        better += b > a
        worse += b < a
    return [better, worse]


def _metric(report: Mapping[str, Any], key: str) -> dict[str, Any]:
    field, what = key.split(".")
    t = report["types"][field]
    if key in SPAN_KEYS:
        return {
            "metric": "f1",
            "value": round(t["f1"], 4),
            "precision": round(t["precision"], 4),
            "recall": round(t["recall"], 4),
            "partial_f1": round(t["partial"]["f1"], 4),
            "n": t["gold"],
        }
    a = t["attributes"][what]
    acc = a["accuracy"]
    return {
        "metric": "accuracy",
        "value": None if acc is None else round(acc, 4),
        "n": a["total"],
    }


def _intrinsic(
    gd: GoldDoc, ctx: Context, bundle: Bundle, out: dict[str, dict[str, list[int]]]
) -> None:
    """Accuracy of each variant on the gold facts themselves (rules: the label of the
    overlapping rule fact, wrong when no rule fact overlaps)."""
    for ex in attr_mod.examples(gd, ctx.facts):
        for attr in attr_mod.ATTRS[ex.field]:
            key = f"{ex.field}.{attr}"
            if key not in bundle.attributes:
                continue
            variants = bundle.attributes[key]
            gold = ex.labels[attr]
            preds = {
                "rules": (ex.rule or {}).get(attr),
                "model": attr_mod.predict(variants["model"], ex.feats, None, attr),
                "combined": attr_mod.predict(variants["combined"], ex.feats, ex.rule or {}, attr),
            }
            for v, p in preds.items():
                c = out.setdefault(key, {}).setdefault(v, [0, 0])
                c[0] += int(p == gold)
                c[1] += 1


def _acc(c: Sequence[int]) -> dict[str, Any]:
    return {"correct": c[0], "total": c[1], "accuracy": round(c[0] / c[1], 4) if c[1] else None}


def choose(table: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, str]:
    """``combined`` where it beats rules only (strictly), else ``rules``."""
    out = {}
    for key, row in table.items():
        r, c = row["rules"]["value"], row["combined"]["value"]
        out[key] = "combined" if c is not None and (r is None or c > r) else "rules"
    return out


def joint_table(result: Mapping[str, Any]) -> str:
    """Every field, rules only against the chosen settings all on at once (same folds)."""
    j = result["joint"]
    lines = ["| type | score | rules only | chosen models on |", "| --- | --- | --- | --- |"]
    for t, r in j["rules"].items():
        c = j["chosen"][t]
        for k, v in r.items():
            if k in ("precision", "recall") or v is None:
                continue
            lines.append(f"| {t} | {k} | {v:.3f} | {c[k]:.3f} |")
    return "\n".join(lines)


def markdown_table(result: Mapping[str, Any], chosen: Mapping[str, str]) -> str:
    """The comparison as a Markdown table (one row per field)."""
    lines = [
        "| field | metric | n | rules only | model only | combined | docs +/- | on by default |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, row in result["table"].items():
        vals = [row[s]["value"] for s in SETTINGS]
        cells = ["–" if v is None else f"{v:.3f}" for v in vals]
        n = row["rules"]["n"]
        lines.append(
            f"| {key} | {row['rules']['metric']} | {n} | {' | '.join(cells)} | "
            f"{'+{} / -{}'.format(*row.get('docs_better_worse', ['?', '?']))} | "
            f"{'yes' if chosen.get(key) == 'combined' else 'no'} |"
        )
    return "\n".join(lines)
