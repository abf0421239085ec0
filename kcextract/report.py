"""The review page of a run, ``DIR/report.html``: one self-contained HTML file.

Sections: the run (inputs, records, rejects, versions), counts per field, budgets by
province and year (inline SVG charts from the consolidated programmes), the warnings
(programme parts that do not add up to their total), the rejects, the fact tables (every
row linked to its article) and every article's decoded text with its facts highlighted.

The highlighting follows displaCy's "span" style (coloured bars under the text, stacked
when facts overlap, the label at the start of each fact), drawn here from character
offsets instead of tokens, so a fact glued to the next word (``...triệu đồngthực hiện``)
is marked exactly and the text keeps its line breaks. No script or style is fetched from
anywhere: the page works offline and can be mailed as one file.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

# label, colour (displaCy's default palette where it has the kind), record field
LABELS: tuple[tuple[str, str, str], ...] = (
    ("AMOUNT", "#e4e7d2", "amounts"),
    ("ORG", "#7aecec", "organizations"),
    ("PROJECT", "#feca74", "projects"),
    ("PERIOD", "#bfe1d9", "periods"),
    ("TARGET", "#c887fb", "targets"),
    ("PROGRAMME", "#ff9561", "programmes"),
)
FIELD_LABEL = {f: (label, color) for label, color, f in LABELS}
TABLE_ROWS = 1000  # rows of each fact table shown on the page (the files have them all)
BAR_STEP = 5  # px between stacked bars

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#24323f;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:6px 24px;z-index:5}
nav a{margin-right:14px;color:#24527a;text-decoration:none}
main{padding:8px 24px}section{margin:18px 0}h2{font-size:17px;border-bottom:2px solid #24323f}
table{border-collapse:collapse;font-size:12.5px;background:#fff}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eef1f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #ddd;
padding:8px 14px;border-radius:6px}.card b{display:block;font-size:20px}
.warn{color:#8a4b00}.scroll{max-height:420px;overflow:auto;display:inline-block}
details.doc{content-visibility:auto;contain-intrinsic-size:auto 32px;background:#fff;border:1px solid #ddd;border-radius:6px;margin:6px 0;padding:4px 10px}
details.doc summary{cursor:pointer}details.doc:target{border-color:#c00}
.text{white-space:pre-wrap;font-size:14px;margin:8px 0}
.seg{position:relative;display:inline}
.bar{position:absolute;left:0;right:0;height:3px}
.lab{font-size:9.5px;font-weight:bold;padding:0 3px;border-radius:3px;margin-right:2px;
vertical-align:super;color:#333}
mark{background:none;color:inherit}.legend span{padding:1px 6px;border-radius:3px;margin-right:6px}
svg text{font:11px system-ui,sans-serif}
"""

SCRIPT = """
function openTarget(){var id=location.hash.slice(1);if(!id)return;
var el=document.getElementById(id);if(!el)return;var d=el.closest('details');
if(d)d.open=true;el.scrollIntoView({block:'center'});}
window.addEventListener('hashchange',openTarget);window.addEventListener('load',openTarget);
"""


def esc(value: Any) -> str:
    """HTML-escaped text of a value; empty for None and missing values.

    >>> esc("<b>"), esc(None), esc(float("nan"))
    ('&lt;b&gt;', '', '')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


_VI_DIGITS = str.maketrans(",.", ".,")  # Vietnamese: "." groups thousands, "," is decimal


def fmt_vnd(value: Any) -> str:
    """Money for people: ``18246000000`` -> ``'18,25 tỷ'``; ``7690500000`` -> ``'7,69 tỷ'``.

    >>> fmt_vnd(18_246_000_000), fmt_vnd(300_000_000), fmt_vnd(None)
    ('18,25 tỷ', '300 triệu', '')
    """
    if value is None or pd.isna(value):
        return ""
    v = int(value)
    if abs(v) >= 1_000_000_000:
        return f"{v / 1e9:,.2f}".translate(_VI_DIGITS) + " tỷ"
    if abs(v) >= 1_000_000:
        return f"{v / 1e6:,.0f}".translate(_VI_DIGITS) + " triệu"
    return f"{v:,}".translate(_VI_DIGITS) + " đ"


# --- highlighting -------------------------------------------------------------------------


def fact_spans(record: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """``(start, end, label, anchor id suffix)`` of every grounded fact of a record."""
    out = []
    for field, (label, _) in FIELD_LABEL.items():
        for j, fact in enumerate(record.get(field) or []):
            for k, (s, e) in enumerate(fact.get("spans") or []):
                out.append((int(s), int(e), label, f"{field}-{j}" + (f"-{k}" if k else "")))
    return out


def highlight(text: str, spans: Iterable[tuple[int, int, str, str]], prefix: str) -> str:
    """``text`` as HTML with each span marked in displaCy's span style (stacked bars).

    >>> highlight("Cấp 300 triệu đồng.", [(4, 18, "AMOUNT", "amounts-0")], "f0")
    'Cấp <mark id="f0-amounts-0" class="seg"><span class="lab" style="background:#e4e7d2">AMOUNT</span>300 triệu đồng<span class="bar" style="bottom:-3px;background:#e4e7d2"></span></mark>.'
    """
    colors = {label: color for label, color, _ in LABELS}
    items = sorted(
        ((s, e, lab, fid) for s, e, lab, fid in spans if 0 <= s < e <= len(text)),
        key=lambda x: (x[0], -(x[1] - x[0]), x[2]),
    )
    # displaCy's stacking: a fact takes the lowest slot free over its whole length.
    slot_end: list[int] = []
    slots: list[int] = []
    for s, e, _, _ in items:
        for i, end in enumerate(slot_end):
            if end <= s:
                slot_end[i] = e
                slots.append(i)
                break
        else:
            slot_end.append(e)
            slots.append(len(slot_end) - 1)
    bounds = sorted({0, len(text), *(x[0] for x in items), *(x[1] for x in items)})
    starts: dict[int, list[int]] = defaultdict(list)
    for n, (s, *_rest) in enumerate(items):
        starts[s].append(n)
    parts: list[str] = []
    active: list[int] = []
    for a, b in pairwise(bounds):
        active = [n for n in active if items[n][1] > a] + starts.get(a, [])
        seg = html.escape(text[a:b])
        if not active:
            parts.append(seg)
            continue
        labs = "".join(
            f'<span class="lab" style="background:{colors[items[n][2]]}">{items[n][2]}</span>'
            for n in starts.get(a, [])
        )
        bars = "".join(
            f'<span class="bar" style="bottom:{-3 - BAR_STEP * slots[n]}px;'
            f'background:{colors[items[n][2]]}"></span>'
            for n in active
        )
        ids = [items[n][3] for n in starts.get(a, [])]
        anchor = f' id="{prefix}-{ids[0]}"' if ids else ""
        more = "".join(f'<span id="{prefix}-{x}"></span>' for x in ids[1:])
        parts.append(f'<mark{anchor} class="seg">{more}{labs}{seg}{bars}</mark>')
    return "".join(parts)


# --- charts -------------------------------------------------------------------------------


def bar_chart(items: list[tuple[str, float]], title: str, fmt: Any = str, width: int = 560) -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return f"<p><i>{esc(title)}: nothing to chart.</i></p>"
    row, left, right = 18, 170, 110
    top = max(v for _, v in items) or 1
    h = row * len(items) + 26
    out = [f'<svg width="{width}" height="{h}" role="img" aria-label="{esc(title)}">',
           f'<text x="0" y="14" font-weight="bold">{esc(title)}</text>']  # fmt: skip
    for i, (label, value) in enumerate(items):
        y = 22 + i * row
        w = (width - left - right) * value / top
        out.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{esc(label[:28])}</text>'
                   f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" fill="#4c78a8"/>'
                   f'<text x="{left + w + 4:.1f}" y="{y + 12}">{esc(fmt(value))}</text>')  # fmt: skip
    out.append("</svg>")
    return "".join(out)


def budgets(programmes: pd.DataFrame) -> pd.DataFrame:
    """Consolidated programme budgets summed by province and period (``2021–2025``, ``2022``)."""
    df = programmes.dropna(subset=["total_vnd"]).copy()
    if df.empty:
        return pd.DataFrame(columns=["province", "period", "total_vnd", "programmes"])
    df["province"] = df["province"].fillna("(national / unknown)")

    def period(r: pd.Series) -> str:
        s, e = r["start"], r["end"]
        if pd.isna(s) and pd.isna(e):
            return "?"
        if pd.isna(s) or pd.isna(e) or s == e:
            return str(int(s if not pd.isna(s) else e))
        return f"{int(s)}–{int(e)}"

    df["period"] = df.apply(period, axis=1)
    return (df.groupby(["province", "period"], observed=True)
              .agg(total_vnd=("total_vnd", "sum"), programmes=("programme_id", "count"))
              .reset_index().sort_values(["province", "period"]))  # fmt: skip


def budget_mismatches(programmes: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Programme rows whose local and national parts, both stated, do not add up to the total.

    >>> df = pd.DataFrame({"doc_index": [0, 1], "doc_id": ["a", "b"], "name": ["x", "y"],
    ...     "total_vnd": [10, 10], "local_vnd": [4, 4], "national_vnd": [6, 5]})
    >>> [(r["doc_id"], r["parts"]) for r in budget_mismatches(df)]
    [('b', 9)]
    """
    if programmes is None or programmes.empty:
        return []
    df = programmes.dropna(subset=["total_vnd", "local_vnd", "national_vnd"])
    df = df.assign(parts=df["local_vnd"] + df["national_vnd"])
    bad = df[df["parts"] != df["total_vnd"]]
    return bad[["doc_index", "doc_id", "name", "total_vnd", "parts"]].to_dict("records")


# --- the page -----------------------------------------------------------------------------


def _doc_link(i: Any, text: Any) -> str:
    return f'<a href="#doc-{int(i)}">{esc(text)}</a>'


def _table(df: pd.DataFrame, cols: list[str], link: str | None = "doc_index",
           money: tuple[str, ...] = (), limit: int = TABLE_ROWS) -> str:  # fmt: skip
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    rows = []
    for r in df.head(limit).itertuples(index=False):
        d = r._asdict()
        cells = []
        for c in cols:
            v = d.get(c)
            if c == "doc_id" and link and link in d:
                anchor = f"f{int(d[link])}-{d['fact_anchor']}" if d.get("fact_anchor") else None
                target = anchor if anchor else f"doc-{int(d[link])}"
                cells.append(f'<td><a href="#{target}">{esc(v)}</a></td>')
            elif c == "doc_ids" and isinstance(v, str) and v.count("; ") >= 3:
                ids = v.split("; ")
                cells.append(f"<td>{esc('; '.join(ids[:3]))} … (+{len(ids) - 3})</td>")
            elif c in money:
                cells.append(f'<td class="n" title="{esc(v)}">{fmt_vnd(v)}</td>')
            else:
                cells.append(f"<td{' class=n' if isinstance(v, int) else ''}>{esc(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (f"<p>First {limit} of {len(df)} rows; all are in the table files.</p>"
            if len(df) > limit else "")  # fmt: skip
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(rows)}</table></div>{more}'


def _with_anchor(df: pd.DataFrame, field: str) -> pd.DataFrame:
    """Fact rows with the anchor of their first highlighted mention (``amounts-3``)."""
    out = df.copy()
    has = out["spans"].map(lambda s: bool(json.loads(s))) if len(out) else out["spans"]
    anchors = [f"{field}-{j}" if h else "" for j, h in zip(out["fact_index"], has, strict=True)]
    out["fact_anchor"] = anchors
    return out


def render(
    records: list[dict[str, Any]],
    docs: list[dict[str, Any]],
    raws: dict[str, str],
    tables: dict[str, pd.DataFrame],
    rejects: list[dict[str, Any]],
    manifest: dict[str, Any],
) -> str:
    """The whole page as a string."""
    counts = manifest.get("counts", {})
    cards = "".join(
        f'<div class="card"><b>{counts.get(k, 0)}</b>{label}</div>'
        for k, label in (("inputs", "inputs"), ("records", "records"), ("rejects", "rejects"),
                         ("skipped_resumed", "resumed (already done)"))
    )  # fmt: skip
    ver = manifest.get("versions", {})
    runline = (f"kcextract {esc(manifest.get('kcextract'))} · config {esc(manifest.get('config_hash'))}"
               f" · engine {esc(manifest.get('engine', {}).get('name'))}"
               f" · started {esc(manifest.get('timings', {}).get('started'))}"
               f" · python {esc(ver.get('python'))}")  # fmt: skip

    # Counts per field.
    field_rows = []
    chart_items = []
    for label, color, field in LABELS:
        n = sum(len(r.get(field) or []) for r in records)
        with_any = sum(1 for r in records if r.get(field))
        field_rows.append(f'<tr><td><span style="background:{color};padding:0 5px">{label}</span>'
                          f'</td><td>{field}</td><td class="n">{n}</td><td class="n">{with_any}</td></tr>')  # fmt: skip
        chart_items.append((field, float(n)))
    n_prov = sum(1 for r in records if r.get("provinces"))
    field_rows.append(f'<tr><td></td><td>provinces</td><td class="n">'
                      f'{sum(len(r.get("provinces") or []) for r in records)}</td>'
                      f'<td class="n">{n_prov}</td></tr>')  # fmt: skip
    counts_html = (
        "<table><tr><th></th><th>field</th><th>facts</th><th>articles with any</th></tr>"
        + "".join(field_rows)
        + "</table>"
        + bar_chart(chart_items, "facts per field", lambda v: f"{int(v)}")
    )

    # Budgets.
    progs = tables.get("programme_entities", pd.DataFrame())
    bud = budgets(progs) if len(progs) else budgets(pd.DataFrame(
        columns=["programme_id", "province", "start", "end", "total_vnd"]))  # fmt: skip
    by_prov = bud.groupby("province")["total_vnd"].sum().sort_values(ascending=False)
    by_period = bud.groupby("period")["total_vnd"].sum().sort_index()
    budget_html = (
        bar_chart([(str(k), float(v)) for k, v in by_prov.head(30).items()],
                  "programme budgets by province (consolidated)", fmt_vnd)
        + bar_chart([(str(k), float(v)) for k, v in by_period.items()],
                    "programme budgets by year / period", fmt_vnd)
        + _table(bud, ["province", "period", "total_vnd", "programmes"], link=None,
                 money=("total_vnd",))
    )  # fmt: skip

    # Warnings.
    warn_rows = [
        f'<li>{_doc_link(i, r["doc_id"])}: <span class="warn">{esc(w)}</span></li>'
        for i, r in enumerate(records)
        for w in (r.get("warnings") or [])
    ]
    for r in budget_mismatches(tables.get("programmes")):
        warn_rows.append(
            f'<li>{_doc_link(r["doc_index"], r["doc_id"])}: <span class="warn">KC-W001 '
            f"{esc(r['name'])}: parts {fmt_vnd(r['parts'])} ≠ total {fmt_vnd(r['total_vnd'])}"
            "</span></li>"
        )
    warnings_html = ("<ul>" + "".join(warn_rows) + "</ul>") if warn_rows else "<p>No warnings.</p>"

    # Rejects.
    by_code: dict[str, int] = defaultdict(int)
    for rj in rejects:
        by_code[rj["code"]] += 1
    rej_html = (
        "<p>" + ", ".join(f"{esc(c)}: {n}" for c, n in sorted(by_code.items())) + "</p>"
        + _table(pd.DataFrame(rejects, columns=["path", "doc_id", "line", "code", "message"]),
                 ["path", "doc_id", "line", "code", "message"], link=None, limit=300)
    ) if rejects else "<p>No rejects.</p>"  # fmt: skip

    # Fact tables.
    spec = {
        "programme_entities": (["programme_id", "name", "province", "start", "end", "total_vnd",
                                "local_vnd", "national_vnd", "n_articles", "doc_ids"],
                               ("total_vnd", "local_vnd", "national_vnd")),
        "organization_entities": (["org_id", "name", "type", "n_articles", "n_mentions",
                                   "doc_ids"], ()),
        "amounts": (["doc_id", "text", "value_vnd", "max_vnd", "qualifier", "per", "level",
                     "status", "funding"], ("value_vnd", "max_vnd")),
        "programmes": (["doc_id", "programme_id", "name", "province", "start", "end",
                        "total_vnd", "local_vnd", "national_vnd"],
                       ("total_vnd", "local_vnd", "national_vnd")),
        "organizations": (["doc_id", "org_id", "name", "type", "role"], ()),
        "projects": (["doc_id", "title", "n_beneficiaries", "amount_vnd", "funding", "year",
                      "status"], ("amount_vnd",)),
        "periods": (["doc_id", "text", "start", "end"], ()),
        "targets": (["doc_id", "text", "quantity", "quantity_max", "qualifier", "unit",
                     "status"], ()),
    }  # fmt: skip
    table_html = []
    for name, (cols, money) in spec.items():
        df = tables.get(name)
        if df is None:
            continue
        if name == "organization_entities":
            df = df.sort_values(["n_articles", "n_mentions"], ascending=False, kind="stable")
        if name == "programme_entities":
            df = df.sort_values("n_articles", ascending=False, kind="stable")
        if "fact_index" in df.columns:
            df = _with_anchor(df, name)
        table_html.append(f'<h3 id="t-{name}">{name} ({len(df)})</h3>'
                          + _table(df, cols, money=money))  # fmt: skip

    # Articles.
    legend = "".join(f'<span style="background:{c}">{lab}</span>' for lab, c, _ in LABELS)
    arts = []
    for i, (rec, doc) in enumerate(zip(records, docs, strict=True)):
        spans = fact_spans(rec)
        raw = raws.get(doc["key"])
        body = (f'<div class="text">{highlight(raw, spans, f"f{i}")}</div>' if raw is not None
                else "<p><i>text not included (over the report's limit)</i></p>")  # fmt: skip
        n_facts = sum(len(rec.get(f) or []) for f in FIELD_LABEL)
        warn = f' <span class="warn">⚠ {len(rec["warnings"])}</span>' if rec.get("warnings") else ""
        arts.append(f'<details class="doc" id="doc-{i}"><summary><b>{esc(rec["doc_id"])}</b> — '
                    f'{esc(rec.get("title"))} <small>({n_facts} facts; {esc(doc["path"])})'
                    f'</small>{warn}</summary>{body}</details>')  # fmt: skip

    nav = "".join(f'<a href="#{k}">{v}</a>' for k, v in (
        ("counts", "Counts"), ("budgets", "Budgets"), ("warnings", "Warnings"),
        ("rejects", "Rejects"), ("tables", "Tables"), ("articles", "Articles")))  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>kcextract run report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{CSS}</style></head><body>
<header><h1>kcextract run report</h1><div>{runline}</div></header>
<nav>{nav}</nav><main>
<section><div class="cards">{cards}</div></section>
<section id="counts"><h2>Counts per field</h2>{counts_html}</section>
<section id="budgets"><h2>Budgets by province and year</h2>{budget_html}</section>
<section id="warnings"><h2>Warnings ({len(warn_rows)})</h2>{warnings_html}</section>
<section id="rejects"><h2>Rejects ({len(rejects)})</h2>{rej_html}</section>
<section id="tables"><h2>Tables</h2>{"".join(table_html)}</section>
<section id="articles"><h2>Articles ({len(records)})</h2><p class="legend">{legend}</p>
{"".join(arts)}</section>
</main><script>{SCRIPT}</script></body></html>
"""


def write_report(
    path: str | Path,
    records: list[dict[str, Any]],
    docs: list[dict[str, Any]],
    raws: dict[str, str],
    tables: dict[str, pd.DataFrame],
    rejects: list[dict[str, Any]],
    manifest: dict[str, Any],
) -> None:
    """Write the page atomically."""
    from kcextract.batch import atomic_write

    page = render(records, docs, raws, tables, rejects, manifest)
    with atomic_write(path) as fh:
        fh.write(page)
