"""Score predicted records against gold records (``shared/spec/record-format.md``, "Matching").

For each fact type a *key* decides which predicted fact may stand for which gold fact:

========== ======================================================= ==========================
type       strict match                                            partial (lenient) match
========== ======================================================= ==========================
amounts    equal ``(value_vnd, max_vnd, per)``                     same as strict
orgs       equal ``canon.org_key(name)``                           one key contains the other
projects   ``canon.title_tokens`` token F1 >= 0.9                  token F1 >= 0.5
periods    equal ``(start, end)``                                  same as strict
targets    equal ``(quantity, quantity_max)`` and one              same as strict
           ``canon.unit_key`` contains the other
programmes equal ``(province, start, end)``                        same as strict
========== ======================================================= ==========================

"Contains" is containment on whole tokens (``sở công thương`` is in ``sở công thương tỉnh
cao bằng``; ``công ty a`` is not in ``công ty ab``).

Both sides are first reduced to distinct facts: facts with equal dedupe keys count once
(the first one is kept). Candidate pairs are then matched one to one, best score first
(a greedy pass over pairs sorted by score, ties kept in list order): for targets the
closest units pair first, for programmes the closest names (token F1).

Counts are micro-averaged over documents (TP, FP and FN summed). Empty denominators follow
one convention, *vacuous truth*: precision is 1.0 when nothing was predicted, recall is 1.0
when there was nothing to find. So 0 gold and 0 predicted gives P = R = F1 = 1.0, and F1 is
0.0 as soon as one side is empty and the other is not. Attribute accuracies are ``None`` when
no pair was matched (there is nothing to judge).

Gold documents missing from the predictions count as entirely missed; predicted documents
that are not in the gold are ignored (and counted in ``summary``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kcextract.canon import fold_ws, org_key, title_tokens, token_f1, unit_key
from kcextract.schema import FACT_FIELDS, Record

Fact = Mapping[str, Any]
Rec = Mapping[str, Any]

PROJECT_STRICT = 0.9
PROJECT_PARTIAL = 0.5
# Thresholds are "at least": a score a rounding error below one still counts.
_EPS = 1e-9

# Attributes scored on strictly matched pairs, per type (spec, "Matching", last paragraph).
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "amounts": ("level", "status", "funding", "qualifier"),
    "organizations": ("type", "role"),
    "projects": ("beneficiaries", "amount_vnd", "funding", "year", "status"),
    "periods": (),
    "targets": ("status", "qualifier"),
    "programmes": ("total_vnd", "local_vnd", "national_vnd"),
}

# Schema defaults per type, so that a dict without an optional field compares like the
# model would (``status`` defaults differ: ``unknown`` for amounts, ``planned`` for targets).
FACT_MODELS: dict[str, type[BaseModel]] = {
    t: Record.model_fields[t].annotation.__args__[0]  # list[Amount] -> Amount
    for t in FACT_FIELDS
}
_DEFAULTS: dict[str, dict[str, Any]] = {
    t: {
        name: f.get_default(call_default_factory=True)
        for name, f in model.model_fields.items()
        if not f.is_required()
    }
    for t, model in FACT_MODELS.items()
}


# --- keys ------------------------------------------------------------------------------


def contains_tokens(a: str, b: str) -> bool:
    """Whether one space-separated key contains the other on whole tokens.

    >>> contains_tokens("sở công thương", "sở công thương tỉnh cao bằng")
    True
    >>> contains_tokens("công ty tnhh ab", "công ty tnhh a")
    False
    """
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _tokens_f1(a: Sequence[str], b: Sequence[str]) -> float:
    """``canon.token_f1``, but two equal token lists (even empty ones) score 1.0."""
    return 1.0 if list(a) == list(b) else token_f1(list(a), list(b))


def _name_tokens(name: str | None) -> list[str]:
    return org_key(name or "").split()


def _per_key(per: str | None) -> str | None:
    return unit_key(per) if per else None


def _province_key(p: str | None) -> str | None:
    return fold_ws(p) if p else None


@dataclass(frozen=True)
class TypeSpec:
    """How one fact type is deduplicated, matched and shown."""

    dedupe: Callable[[Fact], Any]
    # (gold, pred) -> score if a strict match, else None
    strict: Callable[[Fact, Fact], float | None]
    # (gold, pred) -> score if a lenient (partial-credit) match, else None
    lenient: Callable[[Fact, Fact], float | None]
    evidence: str  # the field that shows the fact (text, name, title)


def _amount_key(f: Fact) -> tuple[Any, ...]:
    return (f.get("value_vnd"), f.get("max_vnd"), _per_key(f.get("per")))


def _amount_match(g: Fact, p: Fact) -> float | None:
    return 1.0 if _amount_key(g) == _amount_key(p) else None


def _org_strict(g: Fact, p: Fact) -> float | None:
    return 1.0 if org_key(g.get("name", "")) == org_key(p.get("name", "")) else None


def _org_lenient(g: Fact, p: Fact) -> float | None:
    gk, pk = org_key(g.get("name", "")), org_key(p.get("name", ""))
    if gk == pk:
        return 1.0
    if gk and pk and contains_tokens(gk, pk):
        return _tokens_f1(gk.split(), pk.split())
    return None


def _project_score(g: Fact, p: Fact) -> float:
    return _tokens_f1(title_tokens(g.get("title", "")), title_tokens(p.get("title", "")))


def _project_strict(g: Fact, p: Fact) -> float | None:
    s = _project_score(g, p)
    return s if s >= PROJECT_STRICT - _EPS else None


def _project_lenient(g: Fact, p: Fact) -> float | None:
    s = _project_score(g, p)
    return s if s >= PROJECT_PARTIAL - _EPS else None


def _period_key(f: Fact) -> tuple[Any, Any]:
    return (f.get("start"), f.get("end"))


def _period_match(g: Fact, p: Fact) -> float | None:
    return 1.0 if _period_key(g) == _period_key(p) else None


def _target_match(g: Fact, p: Fact) -> float | None:
    if (g.get("quantity"), g.get("quantity_max")) != (p.get("quantity"), p.get("quantity_max")):
        return None
    gu, pu = unit_key(g.get("unit", "")), unit_key(p.get("unit", ""))
    if not contains_tokens(gu, pu):
        return None
    return _tokens_f1(gu.split(), pu.split())


def _programme_key(f: Fact) -> tuple[Any, Any, Any]:
    return (_province_key(f.get("province")), f.get("start"), f.get("end"))


def _programme_match(g: Fact, p: Fact) -> float | None:
    if _programme_key(g) != _programme_key(p):
        return None
    return _tokens_f1(_name_tokens(g.get("name")), _name_tokens(p.get("name")))


TYPES: dict[str, TypeSpec] = {
    "amounts": TypeSpec(_amount_key, _amount_match, _amount_match, "text"),
    "organizations": TypeSpec(
        lambda f: org_key(f.get("name", "")), _org_strict, _org_lenient, "name"
    ),
    "projects": TypeSpec(
        lambda f: tuple(title_tokens(f.get("title", ""))),
        _project_strict,
        _project_lenient,
        "title",
    ),
    "periods": TypeSpec(_period_key, _period_match, _period_match, "text"),
    "targets": TypeSpec(
        lambda f: (f.get("quantity"), f.get("quantity_max"), unit_key(f.get("unit", ""))),
        _target_match,
        _target_match,
        "text",
    ),
    "programmes": TypeSpec(
        lambda f: (*_programme_key(f), org_key(f.get("name") or "")),
        _programme_match,
        _programme_match,
        "name",
    ),
}
assert tuple(TYPES) == FACT_FIELDS


# --- matching --------------------------------------------------------------------------


def dedupe(facts: Iterable[Fact], key: Callable[[Fact], Any]) -> tuple[list[Fact], int]:
    """Distinct facts by ``key`` (first kept), and how many were dropped."""
    seen: set[Any] = set()
    out: list[Fact] = []
    dropped = 0
    for f in facts:
        k = key(f)
        if k in seen:
            dropped += 1
            continue
        seen.add(k)
        out.append(f)
    return out, dropped


def match(
    gold: Sequence[Fact], pred: Sequence[Fact], score: Callable[[Fact, Fact], float | None]
) -> list[tuple[int, int, float]]:
    """One-to-one pairs ``(gold index, pred index, score)``, best score first.

    Ties keep list order (gold first, then prediction), so the result is deterministic.

    >>> same = lambda g, p: 1.0 if g == p else None
    >>> match(["a", "b", "a"], ["a", "a", "c"], same)
    [(0, 0, 1.0), (2, 1, 1.0)]
    """
    cands = [
        (s, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if (s := score(g, p)) is not None
    ]
    cands.sort(key=lambda c: -c[0])  # stable: equal scores stay in (gold, pred) order
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for s, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi, s))
    return pairs


def prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float]:
    """Precision, recall and F1, with the vacuous-truth convention for empty sides.

    >>> prf(0, 0, 0)
    {'precision': 1.0, 'recall': 1.0, 'f1': 1.0}
    >>> prf(0, 2, 0)
    {'precision': 1.0, 'recall': 0.0, 'f1': 0.0}
    >>> prf(1, 2, 4)
    {'precision': 0.25, 'recall': 0.5, 'f1': 0.3333333333333333}
    """
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def _attr_value(ftype: str, attr: str, fact: Fact) -> Any:
    value = fact.get(attr)
    if value is None:
        value = _DEFAULTS[ftype].get(attr)
    if ftype == "projects" and attr == "beneficiaries":
        return sorted({org_key(b) for b in value or []})
    return value


def _evidence(ftype: str, fact: Fact) -> dict[str, Any]:
    spec = TYPES[ftype]
    out: dict[str, Any] = {spec.evidence: fact.get(spec.evidence)}
    if fact.get("spans"):
        out["spans"] = [list(s) for s in fact["spans"]]
    return out


def score_facts(ftype: str, gold: Sequence[Fact], pred: Sequence[Fact]) -> dict[str, Any]:
    """Counts, matches and errors of one type in one document."""
    spec = TYPES[ftype]
    gold_d, gold_dup = dedupe(gold, spec.dedupe)
    pred_d, pred_dup = dedupe(pred, spec.dedupe)
    strict = match(gold_d, pred_d, spec.strict)
    lenient = match(gold_d, pred_d, spec.lenient)
    attrs: dict[str, list[int]] = {a: [0, 0] for a in ATTRIBUTES[ftype]}
    attr_errors: list[dict[str, Any]] = []
    for gi, pi, _ in strict:
        for a in ATTRIBUTES[ftype]:
            gv, pv = _attr_value(ftype, a, gold_d[gi]), _attr_value(ftype, a, pred_d[pi])
            attrs[a][1] += 1
            if gv == pv:
                attrs[a][0] += 1
            else:
                attr_errors.append(
                    {"attribute": a, "gold": gv, "pred": pv, **_evidence(ftype, pred_d[pi])}
                )
    matched_g = {gi for gi, _, _ in strict}
    matched_p = {pi for _, pi, _ in strict}
    # lenient-only pairs: a near miss (name contained, title F1 in [0.5, 0.9)) worth a look
    partial = [
        {"gold": _evidence(ftype, gold_d[gi]), "pred": _evidence(ftype, pred_d[pi]), "score": sc}
        for gi, pi, sc in lenient
        if gi not in matched_g and pi not in matched_p
    ]
    return {
        "gold": len(gold_d),
        "pred": len(pred_d),
        "tp": len(strict),
        "partial_tp": len(lenient),
        "gold_duplicates": gold_dup,
        "pred_duplicates": pred_dup,
        "attributes": attrs,
        "missed": [_evidence(ftype, g) for i, g in enumerate(gold_d) if i not in matched_g],
        "spurious": [_evidence(ftype, p) for i, p in enumerate(pred_d) if i not in matched_p],
        "partial": partial,
        "attribute_errors": attr_errors,
    }


# --- records ---------------------------------------------------------------------------


def as_dict(record: Any) -> dict[str, Any]:
    """A record as a plain dict (pydantic models are dumped)."""
    if hasattr(record, "model_dump"):
        return record.model_dump()
    return dict(record)


def _doc_fields(gold: Rec, pred: Rec | None) -> dict[str, Any]:
    pred = pred or {}
    g_title, p_title = gold.get("title"), pred.get("title")
    g_prov = {fold_ws(p) for p in gold.get("provinces") or []}
    p_prov = {fold_ws(p) for p in pred.get("provinces") or []}
    return {
        "title": (fold_ws(g_title) if g_title else None) == (fold_ws(p_title) if p_title else None),
        "published": gold.get("published") == pred.get("published"),
        "provinces": {
            "gold": len(g_prov),
            "pred": len(p_prov),
            "tp": len(g_prov & p_prov),
            "missed": sorted(g_prov - p_prov),
            "spurious": sorted(p_prov - g_prov),
        },
    }


def score_document(gold: Rec, pred: Rec | None) -> dict[str, Any]:
    """Per-type scores of one document (``pred`` None: the document was not predicted)."""
    types = {t: score_facts(t, gold.get(t) or [], (pred or {}).get(t) or []) for t in FACT_FIELDS}
    f1s = [prf(s["tp"], s["gold"], s["pred"])["f1"] for s in types.values()]
    return {
        "predicted": pred is not None,
        "title": gold.get("title"),
        "mean_f1": sum(f1s) / len(f1s),
        "errors": sum(len(s["missed"]) + len(s["spurious"]) for s in types.values()),
        "fields": _doc_fields(gold, pred),
        "types": types,
    }


def _accuracy(correct: int, total: int) -> dict[str, Any]:
    return {"correct": correct, "total": total, "accuracy": correct / total if total else None}


def evaluate(pred_records: Iterable[Any], gold_records: Iterable[Any]) -> dict[str, Any]:
    """The full report: ``summary``, ``types``, ``document_fields`` and ``documents``.

    Records may be dicts or pydantic models; they are paired by ``doc_id``.
    """
    gold = {r["doc_id"]: r for r in map(as_dict, gold_records)}
    pred: dict[str, dict[str, Any]] = {}
    pred_dup_docs = 0
    for r in map(as_dict, pred_records):
        if r.get("doc_id") in pred:
            pred_dup_docs += 1  # the first record of a doc_id is scored
            continue
        pred[r.get("doc_id")] = r
    docs = {d: score_document(g, pred.get(d)) for d, g in sorted(gold.items())}

    types: dict[str, Any] = {}
    for t in FACT_FIELDS:
        per = [doc["types"][t] for doc in docs.values()]
        n_gold = sum(s["gold"] for s in per)
        n_pred = sum(s["pred"] for s in per)
        tp = sum(s["tp"] for s in per)
        ptp = sum(s["partial_tp"] for s in per)
        attrs = {
            a: _accuracy(
                sum(s["attributes"][a][0] for s in per), sum(s["attributes"][a][1] for s in per)
            )
            for a in ATTRIBUTES[t]
        }
        types[t] = {
            "gold": n_gold,
            "pred": n_pred,
            "tp": tp,
            "fp": n_pred - tp,
            "fn": n_gold - tp,
            **prf(tp, n_gold, n_pred),
            "partial": {"tp": ptp, **prf(ptp, n_gold, n_pred)},
            "gold_duplicates": sum(s["gold_duplicates"] for s in per),
            "pred_duplicates": sum(s["pred_duplicates"] for s in per),
            "attributes": attrs,
        }

    fields = [doc["fields"] for doc in docs.values()]
    prov_tp = sum(f["provinces"]["tp"] for f in fields)
    prov_gold = sum(f["provinces"]["gold"] for f in fields)
    prov_pred = sum(f["provinces"]["pred"] for f in fields)
    document_fields = {
        "title": _accuracy(sum(f["title"] for f in fields), len(fields)),
        "published": _accuracy(sum(f["published"] for f in fields), len(fields)),
        "provinces": {
            "gold": prov_gold,
            "pred": prov_pred,
            "tp": prov_tp,
            **prf(prov_tp, prov_gold, prov_pred),
        },
    }
    summary = {
        "gold_docs": len(gold),
        "pred_docs": len(pred),
        "scored_docs": sum(1 for d in gold if d in pred),
        "missing_docs": sorted(d for d in gold if d not in pred),
        "extra_docs": len(set(pred) - set(gold)),
        "duplicate_pred_records": pred_dup_docs,
    }
    return {
        "summary": summary,
        "types": types,
        "document_fields": document_fields,
        "documents": docs,
    }


# --- loading ---------------------------------------------------------------------------


def load_gold(dirs: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Every ``*.json`` of each gold folder (a ``.json`` file may be given directly).

    A record without ``doc_id`` takes its file stem.
    """
    out: list[dict[str, Any]] = []
    for d in map(Path, dirs):
        files = [d] if d.is_file() else sorted(d.glob("*.json"))
        for f in files:
            rec = json.loads(f.read_text(encoding="utf-8"))
            rec.setdefault("doc_id", f.stem)
            out.append(rec)
    return out


def load_predictions(path: str | Path) -> list[dict[str, Any]]:
    """Records of a JSONL file (one per line; blank lines skipped; ``-`` reads stdin)."""
    if str(path) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# --- text report -----------------------------------------------------------------------

_SHORT = {"organizations": "orgs", "programmes": "progs"}


def _fmt(x: float | None) -> str:
    return "    -" if x is None else f"{x:5.3f}"


def _clip(s: Any, n: int = 60) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def worst_documents(report: Mapping[str, Any], n: int = 5) -> list[tuple[str, dict[str, Any]]]:
    """The ``n`` documents with the lowest mean F1 (then the most errors)."""
    docs = report["documents"].items()
    return sorted(docs, key=lambda kv: (kv[1]["mean_f1"], -kv[1]["errors"], kv[0]))[:n]


def format_report(report: Mapping[str, Any], worst: int = 5) -> str:
    """Readable text: the worst documents with their misses, then the score table.

    The table comes last so that a ``tail`` of the output (the before-stop hook shows
    the last 25 lines) always shows it.
    """
    lines: list[str] = []
    for doc_id, doc in worst_documents(report, worst):
        note = "" if doc["predicted"] else "  (not predicted)"
        lines.append(f"{doc_id}: mean F1 {doc['mean_f1']:.3f}, {doc['errors']} errors{note}")
        for t, s in doc["types"].items():
            miss = [_clip(next(iter(m.values()))) for m in s["missed"]]
            spur = [_clip(next(iter(m.values()))) for m in s["spurious"]]
            if miss:
                lines.append(
                    f"  {t} missed ({len(miss)}): "
                    + "; ".join(miss[:4])
                    + (" …" if len(miss) > 4 else "")
                )
            if spur:
                lines.append(
                    f"  {t} spurious ({len(spur)}): "
                    + "; ".join(spur[:3])
                    + (" …" if len(spur) > 3 else "")
                )
    if lines:
        lines.insert(0, f"{min(worst, len(report['documents']))} worst documents:")
        lines.append("")

    s = report["summary"]
    lines.append(
        f"{s['scored_docs']}/{s['gold_docs']} gold documents predicted"
        f" ({len(s['missing_docs'])} missing, {s['extra_docs']} predicted documents not in gold)"
    )
    lines.append(
        f"{'type':<8} {'gold':>5} {'pred':>5} {'TP':>5} {'P':>5} {'R':>5} {'F1':>5} {'partF1':>6}"
        "  attribute accuracy (on matched pairs)"
    )
    for t, r in report["types"].items():
        attrs = " ".join(f"{a}={_fmt(v['accuracy']).strip()}" for a, v in r["attributes"].items())
        lines.append(
            f"{_SHORT.get(t, t):<8} {r['gold']:>5} {r['pred']:>5} {r['tp']:>5} "
            f"{_fmt(r['precision'])} {_fmt(r['recall'])} {_fmt(r['f1'])} "
            f"{_fmt(r['partial']['f1']):>6}  {attrs}"
        )
    df = report["document_fields"]
    pv = df["provinces"]
    lines.append(
        f"{'province':<8} {pv['gold']:>5} {pv['pred']:>5} {pv['tp']:>5} "
        f"{_fmt(pv['precision'])} {_fmt(pv['recall'])} {_fmt(pv['f1'])}"
    )
    lines.append(
        f"title accuracy {_fmt(df['title']['accuracy']).strip()}"
        f" ({df['title']['correct']}/{df['title']['total']}),"
        f" published accuracy {_fmt(df['published']['accuracy']).strip()}"
        f" ({df['published']['correct']}/{df['published']['total']})"
    )
    return "\n".join(lines)
