"""A second scorer, written from the spec's matching table alone (not from evaluate.py).

tests/test_evaluate_crosscheck.py runs both on the same predictions: they must agree per type
to within 0.01, so a change to one reading of the spec shows as a disagreement.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

T = ["amounts", "organizations", "projects", "periods", "targets", "programmes"]


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFC", s or "").casefold()
    s = re.sub(r"\bhtx\b", "hợp tác xã", s)
    s = re.sub(r"\bcty\b\.?", "công ty", s)
    s = re.sub(r"\bdntn\b", "doanh nghiệp tư nhân", s)
    s = re.sub(r"[^\w\s]|_", " ", s)
    return " ".join(s.split())


def tf1(a: str, b: str) -> float:
    x, y = a.split(), b.split()
    if not x or not y:
        return 1.0 if x == y else 0.0
    common = sum((Counter(x) & Counter(y)).values())
    if not common:
        return 0.0
    p, r = common / len(y), common / len(x)
    return 2 * p * r / (p + r)


def title(t: str) -> str:
    return norm(re.sub(r"^\s*đề án\s*", "", t or "", flags=re.IGNORECASE))


def score(t: str, g: dict, p: dict) -> float | None:
    """The pair's score when it counts as a match, else None."""
    if t == "amounts":
        return 1.0 if dkey(t, g) == dkey(t, p) else None
    if t == "organizations":
        return 1.0 if norm(g["name"]) == norm(p["name"]) else None
    if t == "projects":
        s = tf1(title(g["title"]), title(p["title"]))
        return s if s >= 0.9 else None
    if t == "periods":
        return 1.0 if (g["start"], g["end"]) == (p["start"], p["end"]) else None
    if t == "targets":
        if (g["quantity"], g.get("quantity_max")) != (p["quantity"], p.get("quantity_max")):
            return None
        gu, pu = norm(g["unit"]), norm(p["unit"])
        return tf1(gu, pu) if gu in pu or pu in gu else None
    keys = ("province", "start", "end")
    if tuple(g.get(k) for k in keys) != tuple(p.get(k) for k in keys):
        return None
    return tf1(norm(g["name"]), norm(p["name"]))


def dkey(t: str, f: dict) -> object:
    """The key under which equal facts count once."""
    if t == "amounts":
        return (f["value_vnd"], f.get("max_vnd"), norm(f.get("per")))
    if t == "organizations":
        return norm(f["name"])
    if t == "projects":
        return title(f["title"])
    if t == "periods":
        return (f["start"], f["end"])
    if t == "targets":
        return (f["quantity"], f.get("quantity_max"), norm(f["unit"]))
    return (f.get("province"), f.get("start"), f.get("end"), norm(f["name"]))


def dedupe(t: str, facts: list[dict]) -> list[dict]:
    seen: set = set()
    out = []
    for f in facts:
        k = dkey(t, f)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def f1_per_type(preds: dict, golds: list[dict]) -> dict[str, float]:
    """Micro F1 per type; ``preds`` maps doc_id to a record dict."""
    tot = {t: [0, 0, 0] for t in T}
    for g in golds:
        p = preds.get(g["doc_id"], {})
        for t in T:
            gold, pred = dedupe(t, g[t]), dedupe(t, p.get(t, []))
            pairs = []
            for i, gf in enumerate(gold):
                for j, pf in enumerate(pred):
                    s = score(t, gf, pf)
                    if s is not None:
                        pairs.append((s, i, j))
            pairs.sort(key=lambda x: -x[0])
            used_g, used_p = set(), set()
            for _s, i, j in pairs:
                if i not in used_g and j not in used_p:
                    used_g.add(i)
                    used_p.add(j)
            tot[t][0] += len(used_g)
            tot[t][1] += len(pred)
            tot[t][2] += len(gold)
    out = {}
    for t in T:
        tp, n_pred, n_gold = tot[t]
        p = tp / n_pred if n_pred else 1.0
        r = tp / n_gold if n_gold else 1.0
        out[t] = 2 * p * r / (p + r) if p + r else 0.0
    return out
