"""Records as tables: one pandas DataFrame per fact type, written as Parquet and CSV.

Tables: ``documents``, ``amounts``, ``organizations``, ``projects``,
``project_beneficiaries``, ``periods``, ``targets``, ``programmes``, and the two
consolidated ones, ``organization_entities`` and ``programme_entities``. Every fact row has
``doc_index`` (the record's line in ``records.jsonl``, from 0), ``doc_id``, the fact's
position in its record (``fact_index``) and its ``spans`` (JSON ``[[start, end], ...]``
into the article's decoded text).

Dtypes are explicit (``DTYPES``): money is ``Int64`` VND (integers, never floats; nullable
where the spec allows null), counts and years are nullable integers, enums are categoricals
with the spec's categories, text is pandas ``string``. ``read_table`` gives the same dtypes
back from the CSV.

Consolidation across articles: an organization's ``org_id`` comes from its matching key
(``canon.org_key``: casefolded, legal form expanded), so the same cooperative named in
several articles has one id; a programme's ``programme_id`` comes from its province, years
and topic (khuyến công, khuyến nông, ...; ``data/programme_topics.tsv``), or from its
folded name when province or years are unknown.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import pandas as pd
import regex

from kcextract.canon import fold_ws, org_key
from kcextract.schema import Funding, Level, OrgRole, OrgType, Qualifier, Status, TargetStatus


def _cat(literal: Any) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(get_args(literal)))


STR = pd.StringDtype()
INT = "Int64"
SPANS = STR

DTYPES: dict[str, dict[str, Any]] = {
    "documents": {
        "doc_index": "int64", "doc_id": STR, "path": STR, "title": STR, "published": STR,
        "provinces": STR, "n_amounts": "int64", "n_organizations": "int64",
        "n_projects": "int64", "n_periods": "int64", "n_targets": "int64",
        "n_programmes": "int64", "warnings": STR, "relevance": "Float64",
    },
    "amounts": {
        "doc_index": "int64", "doc_id": STR, "fact_index": "int64", "text": STR,
        "value_vnd": "int64", "max_vnd": INT, "qualifier": _cat(Qualifier), "per": STR,
        "level": _cat(Level), "status": _cat(Status), "funding": _cat(Funding), "spans": SPANS,
    },
    "organizations": {
        "doc_index": "int64", "doc_id": STR, "fact_index": "int64", "org_id": STR,
        "name": STR, "type": _cat(OrgType), "role": _cat(OrgRole), "spans": SPANS,
    },
    "projects": {
        "doc_index": "int64", "doc_id": STR, "fact_index": "int64", "title": STR,
        "n_beneficiaries": "int64", "amount_vnd": INT, "funding": _cat(Funding), "year": INT,
        "status": _cat(Status), "spans": SPANS,
    },
    "project_beneficiaries": {
        "doc_index": "int64", "doc_id": STR, "project_index": "int64", "beneficiary": STR,
        "org_id": STR,
    },
    "periods": {
        "doc_index": "int64", "doc_id": STR, "fact_index": "int64", "text": STR,
        "start": STR, "end": STR, "start_year": INT, "start_month": INT, "end_year": INT,
        "end_month": INT, "spans": SPANS,
    },
    "targets": {
        "doc_index": "int64", "doc_id": STR, "fact_index": "int64", "text": STR,
        "quantity": "int64", "quantity_max": INT, "qualifier": _cat(Qualifier), "unit": STR,
        "status": _cat(TargetStatus), "spans": SPANS,
    },
    "programmes": {
        "doc_index": "int64", "doc_id": STR, "fact_index": "int64", "programme_id": STR,
        "name": STR, "topic": STR, "province": STR, "start": INT, "end": INT,
        "total_vnd": INT, "local_vnd": INT, "national_vnd": INT, "spans": SPANS,
    },
    "organization_entities": {
        "org_id": STR, "name": STR, "type": _cat(OrgType), "n_articles": "int64",
        "n_mentions": "int64", "doc_ids": STR,
    },
    "programme_entities": {
        "programme_id": STR, "name": STR, "topic": STR, "province": STR, "start": INT,
        "end": INT, "total_vnd": INT, "local_vnd": INT, "national_vnd": INT,
        "n_articles": "int64", "doc_ids": STR,
    },
}  # fmt: skip

TABLES = tuple(DTYPES)


def stable_id(prefix: str, key: str) -> str:
    """A short id that depends only on the key (the same across runs and machines).

    >>> stable_id("org", "hợp tác xã phi đoàn")
    'org-9c34727ea9'
    """
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


@cache
def _topics() -> list[tuple[str, regex.Pattern[str]]]:
    """``(topic, cue pattern)`` rows of ``data/programme_topics.tsv``, in file order."""
    text = resources.files("kcextract").joinpath("data/programme_topics.tsv").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        topic, cues = line.split("\t")
        alts = sorted((c.strip() for c in cues.split("|") if c.strip()), key=len, reverse=True)
        out.append((topic, regex.compile(r"(?<!\w)(?:" + "|".join(map(regex.escape, alts))
                                         + r")(?!\w)", regex.IGNORECASE)))  # fmt: skip
    return out


def programme_topic(name: str) -> str | None:
    """The support line a programme name is about, or None.

    >>> programme_topic("Kế hoạch khuyến công tỉnh giai đoạn 2021 – 2025")
    'khuyến công'
    >>> programme_topic("Chương trình OCOP năm 2023")
    'OCOP'
    """
    folded = fold_ws(name)
    for topic, pattern in _topics():
        if pattern.search(folded):
            return topic
    return None


_YEARS = regex.compile(r"\d{4}|giai đoạn|năm|tỉnh|[\p{P}\p{S}]", regex.IGNORECASE)


def programme_key(name: str, province: str | None, start: int | None, end: int | None) -> str:
    """The consolidation key of a programme.

    Province, years and topic when province and a year are known (two articles about the
    same provincial plan often word its name differently); else the name without years.

    >>> programme_key("Kế hoạch khuyến công giai đoạn 2021-2025", "Cao Bằng", 2021, 2025)
    'cao bằng|2021|2025|khuyến công'
    >>> programme_key("Chương trình khuyến công quốc gia đến năm 2025", None, None, 2025)
    'name|chương trình khuyến công quốc gia đến'
    """
    if province and (start or end):
        topic = programme_topic(name) or fold_ws(_YEARS.sub(" ", name)).casefold()
        return f"{fold_ws(province).casefold()}|{start or ''}|{end or ''}|{topic}"
    return "name|" + fold_ws(_YEARS.sub(" ", name)).casefold()


def _spans(fact: dict[str, Any]) -> str:
    return json.dumps([list(s) for s in fact.get("spans") or []])


def _ym(value: Any) -> tuple[int | None, int | None]:
    """``2022`` -> ``(2022, None)``; ``"2022-06"`` -> ``(2022, 6)``; None -> ``(None, None)``."""
    if value is None:
        return None, None
    if isinstance(value, int):
        return value, None
    year, _, month = str(value).partition("-")
    return int(year), int(month) if month else None


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    dtypes = DTYPES[name]
    df = pd.DataFrame(rows, columns=list(dtypes))
    return df.astype(dtypes) if len(df) else pd.DataFrame(
        {c: pd.Series([], dtype=t) for c, t in dtypes.items()})  # fmt: skip


def build_tables(
    records: list[dict[str, Any]], docs: list[dict[str, Any]] | None = None
) -> dict[str, pd.DataFrame]:
    """All tables from records (dicts of ``RecordOut``), in ``records.jsonl`` order.

    ``docs`` gives, per record, its input ``path`` (the file it came from).
    """
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for i, rec in enumerate(records):
        did = rec["doc_id"]
        base = {"doc_index": i, "doc_id": did}
        rows["documents"].append({
            **base, "path": (docs[i]["path"] if docs else rec.get("source")),
            "title": rec.get("title"), "published": rec.get("published"),
            "provinces": "; ".join(rec.get("provinces") or []) or None,
            **{f"n_{f}": len(rec.get(f) or []) for f in
               ("amounts", "organizations", "projects", "periods", "targets", "programmes")},
            "warnings": "; ".join(rec.get("warnings") or []) or None,
            "relevance": rec.get("relevance"),
        })  # fmt: skip
        for j, a in enumerate(rec.get("amounts") or []):
            rows["amounts"].append({**base, "fact_index": j, **{k: a.get(k) for k in (
                "text", "value_vnd", "max_vnd", "qualifier", "per", "level", "status",
                "funding")}, "spans": _spans(a)})  # fmt: skip
        for j, o in enumerate(rec.get("organizations") or []):
            rows["organizations"].append({**base, "fact_index": j,
                "org_id": stable_id("org", org_key(o["name"])), "name": o["name"],
                "type": o.get("type"), "role": o.get("role"), "spans": _spans(o)})  # fmt: skip
        for j, p in enumerate(rec.get("projects") or []):
            bens = p.get("beneficiaries") or []
            rows["projects"].append({**base, "fact_index": j, "title": p["title"],
                "n_beneficiaries": len(bens), **{k: p.get(k) for k in (
                    "amount_vnd", "funding", "year", "status")}, "spans": _spans(p)})  # fmt: skip
            for b in bens:
                rows["project_beneficiaries"].append({**base, "project_index": j,
                    "beneficiary": b, "org_id": stable_id("org", org_key(b))})  # fmt: skip
        for j, p in enumerate(rec.get("periods") or []):
            (sy, sm), (ey, em) = _ym(p.get("start")), _ym(p.get("end"))
            rows["periods"].append({**base, "fact_index": j, "text": p["text"],
                "start": _str_or_none(p.get("start")), "end": _str_or_none(p.get("end")),
                "start_year": sy, "start_month": sm, "end_year": ey, "end_month": em,
                "spans": _spans(p)})  # fmt: skip
        for j, t in enumerate(rec.get("targets") or []):
            rows["targets"].append({**base, "fact_index": j, **{k: t.get(k) for k in (
                "text", "quantity", "quantity_max", "qualifier", "unit", "status")},
                "spans": _spans(t)})  # fmt: skip
        for j, p in enumerate(rec.get("programmes") or []):
            key = programme_key(p["name"], p.get("province"), p.get("start"), p.get("end"))
            rows["programmes"].append({**base, "fact_index": j,
                "programme_id": stable_id("prog", key), "name": p["name"],
                "topic": programme_topic(p["name"]), **{k: p.get(k) for k in (
                    "province", "start", "end", "total_vnd", "local_vnd", "national_vnd")},
                "spans": _spans(p)})  # fmt: skip
    tables = {name: _frame(name, rows[name]) for name in TABLES if not name.endswith("_entities")}
    tables["organization_entities"] = _org_entities(tables["organizations"])
    tables["programme_entities"] = _programme_entities(tables["programmes"])
    return tables


def _str_or_none(v: Any) -> str | None:
    return None if v is None else str(v)


def _first_mode(s: pd.Series) -> Any:
    m = s.dropna().mode()
    return m.iloc[0] if len(m) else None


def _org_entities(orgs: pd.DataFrame) -> pd.DataFrame:
    """One row per ``org_id``: its fullest name, commonest type, articles and mentions."""
    if orgs.empty:
        return _frame("organization_entities", [])
    df = orgs.assign(_len=orgs["name"].str.len(), _row=range(len(orgs)))
    # The fullest name: the longest, the first written on ties.
    names = (df.sort_values(["org_id", "_len", "_row"], ascending=[True, False, True])
               .drop_duplicates("org_id").set_index("org_id")["name"])  # fmt: skip
    # The commonest type (on ties, the first in the spec's order, as Series.mode gives).
    counts = df.dropna(subset=["type"]).groupby(["org_id", "type"], observed=True).size()
    types = (counts.rename("n").reset_index()
                   .sort_values(["org_id", "n", "type"], ascending=[True, False, True])
                   .drop_duplicates("org_id").set_index("org_id")["type"])  # fmt: skip
    g = df.groupby("org_id", sort=True)
    doc_ids = df.drop_duplicates(["org_id", "doc_id"]).groupby("org_id", sort=True)["doc_id"]
    out = pd.DataFrame({
        "org_id": names.index, "name": names.values,
        "type": types.reindex(names.index).values,
        "n_articles": g["doc_index"].nunique().reindex(names.index).values,
        "n_mentions": g.size().reindex(names.index).values,
        "doc_ids": doc_ids.agg("; ".join).reindex(names.index).values,
    })  # fmt: skip
    return out.astype(DTYPES["organization_entities"])


def _programme_entities(progs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for pid, g in progs.groupby("programme_id", sort=True, observed=True):
        row: dict[str, Any] = {"programme_id": pid, "name": _longest(g["name"]),
                               "topic": _first_mode(g["topic"])}  # fmt: skip
        for col in ("province", "start", "end"):
            row[col] = _first_mode(g[col])
        for col in ("total_vnd", "local_vnd", "national_vnd"):
            # The budget most articles give (ties: the largest).
            counts = g[col].dropna().value_counts()
            row[col] = max(counts[counts == counts.max()].index) if len(counts) else None
        row["n_articles"] = g["doc_index"].nunique()
        row["doc_ids"] = "; ".join(dict.fromkeys(g["doc_id"]))
        rows.append(row)
    return _frame("programme_entities", rows)


def _longest(names: pd.Series) -> str:
    """The fullest way an entity is written: the longest of its names (first on ties)."""
    return max(names.dropna(), key=len, default="")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> None:
    """Each table as ``<name>.parquet`` and ``<name>.csv``, each written atomically."""
    from kcextract.batch import atomic_write

    out = Path(out_dir)
    for name, df in tables.items():
        with atomic_write(out / f"{name}.parquet", "wb") as fh:
            df.to_parquet(fh, index=False, engine="pyarrow")
        with atomic_write(out / f"{name}.csv") as fh:
            df.to_csv(fh, index=False)


def read_table(path: str | Path) -> pd.DataFrame:
    """A table back from ``<name>.parquet`` or ``<name>.csv``, with the dtypes of ``DTYPES``."""
    p = Path(path)
    if p.suffix == ".parquet":
        return pd.read_parquet(p)
    dtypes = DTYPES[p.stem]
    read_as = {c: ("Int64" if t in ("int64", INT) else "string") for c, t in dtypes.items()}
    df = pd.read_csv(p, dtype=read_as, keep_default_na=False, na_values={c: [""] for c in dtypes})
    return df.astype(dtypes)
