"""A second scorer, written from the spec's matching table alone (not from evaluate.py).

tests/test_evaluate_crosscheck.py runs both on the same predictions: they must agree per type
to within 0.01, so a change to one reading of the spec shows as a disagreement.
"""

import re
import unicodedata
from collections import Counter


def norm(s):
    s = unicodedata.normalize("NFC", s or "").casefold()
    s = re.sub(r"\bhtx\b", "hợp tác xã", s)
    s = re.sub(r"\bcty\b\.?", "công ty", s)
    s = re.sub(r"\bdntn\b", "doanh nghiệp tư nhân", s)
    s = re.sub(r"[^\w\s]|_", " ", s)
    return " ".join(s.split())


def tf1(a, b):
    a, b = a.split(), b.split()
    if not a or not b:
        return 1.0 if a == b else 0.0
    c = sum((Counter(a) & Counter(b)).values())
    if not c:
        return 0.0
    p, r = c / len(b), c / len(a)
    return 2 * p * r / (p + r)


def title(t):
    t = re.sub(r"^\s*đề án\s*", "", t or "", flags=re.I)
    return norm(t)


def score(t, g, p):
    if t == "amounts":
        return (
            1.0
            if (g["value_vnd"], g.get("max_vnd"), norm(g.get("per") or "") or None)
            == (p["value_vnd"], p.get("max_vnd"), norm(p.get("per") or "") or None)
            else None
        )
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
        if gu in pu or pu in gu:
            return tf1(gu, pu)
        return None
    if t == "programmes":
        if (g.get("province"), g.get("start"), g.get("end")) != (
            p.get("province"),
            p.get("start"),
            p.get("end"),
        ):
            return None
        return tf1(norm(g["name"]), norm(p["name"]))


def dkey(t, f):
    if t == "amounts":
        return (f["value_vnd"], f.get("max_vnd"), norm(f.get("per") or ""))
    if t == "organizations":
        return norm(f["name"])
    if t == "projects":
        return title(f["title"])
    if t == "periods":
        return (f["start"], f["end"])
    if t == "targets":
        return (f["quantity"], f.get("quantity_max"), norm(f["unit"]))
    if t == "programmes":
        return (f.get("province"), f.get("start"), f.get("end"), norm(f["name"]))


def dedupe(t, fs):
    seen, out = set(), []
    for f in fs:
        k = dkey(t, f)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


T = ["amounts", "organizations", "projects", "periods", "targets", "programmes"]


def f1_per_type(preds: dict, golds: list[dict]) -> dict[str, float]:
    """Micro F1 per type; ``preds`` maps doc_id to a record dict."""
    tot = {t: [0, 0, 0] for t in T}
    for g in golds:
        p = preds.get(g["doc_id"], {})
        for t in T:
            G, P = dedupe(t, g[t]), dedupe(t, p.get(t, []))
            pairs = sorted(
                (
                    (s, i, j)
                    for i, gf in enumerate(G)
                    for j, pf in enumerate(P)
                    if (s := score(t, gf, pf)) is not None
                ),
                key=lambda x: -x[0],
            )
            ug, up, tp = set(), set(), 0
            for _s, i, j in pairs:
                if i in ug or j in up:
                    continue
                ug.add(i)
                up.add(j)
                tp += 1
            tot[t][0] += tp
            tot[t][1] += len(P)
            tot[t][2] += len(G)
    out = {}
    for t in T:
        tp, n_pred, n_gold = tot[t]
        p = tp / n_pred if n_pred else 1.0
        r = tp / n_gold if n_gold else 1.0
        out[t] = 2 * p * r / (p + r) if p + r else 0.0
    return out
