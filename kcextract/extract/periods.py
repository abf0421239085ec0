"""Periods: time spans that scope programmes, targets and results (spec, "Period").

Forms read (each with a real case):

* year ranges with any dash, with or without a head: ``giai đoạn 2021 – 2025`` (seed-000),
  ``giai đoạn (2015 - 2021)`` (seed-001), ``năm 2006-2007`` (vietnews_008);
* single years: ``năm 2022`` gives 2022-2022; a bare year after a programme name
  (``... trọng điểm quốc gia 2003``, vntc_010);
* months: ``tháng 9/2022``, ``Tháng 3-2013`` (baomoi13_002), ``6 tháng đầu năm 2022``
  (2022-01..2022-06), ``6 tháng cuối năm`` (the year the text is about), ``quý II/2013``;
* open ends: ``đến năm 2020`` (None-2020, seed-002), ``Đến cuối năm 2007``,
  ``Từ năm 2016 đến nay`` (2016-None, seed-004), ``Từ đầu năm đến nay`` (baomoi13_004);
* relative to the article's date: ``tháng 5 vừa qua``, ``từ nay đến cuối năm``
  (baomoi13_023: published 2013-05-29 gives 2013-05..2013-12), ``năm nay``.

Not periods: calendar dates (``ngày 21/5/2012``, ``3/10``, ``29-1-2013``), date lines,
document numbers (``Nghị định số 45/2012/NĐ-CP``) and years inside law names.
"""

from __future__ import annotations

from typing import Any

import regex

from kcextract.document import Document, Mention
from kcextract.extract import Context, register
from kcextract.extract._numeric import DASH, alt, json_table
from kcextract.schema import PeriodOut

_W = json_table("period_words.json")
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_YEND = r"(?![\d/]|[.,]\d|[-–]\d{1,2}[-–/])"
_Y = r"(?<![\d/.,]|\d[-–])" + _YEAR + _YEND
_Y2 = _YEAR + _YEND  # a year after a dash or a slash (second of a range, month/year)
_NOW = alt(_W["now"])
_COUNT = alt(list(_W["count_words"]))
_I = regex.IGNORECASE | regex.V1


def _mon(m: str, y: str) -> str:
    """A month, its year optional: ``tháng 9/2022``, ``Tháng 3-2013``, ``tháng 12``."""
    return (
        r"tháng\s+(?P<" + m + r">0?[1-9]|1[0-2])(?!\d)"
        r"(?:\s*(?:/|-|\.|năm)\s*(?P<" + y + r">" + _Y2 + r"))?"
    )


# Ordered by priority: at equal spans the earlier pattern wins; longer spans always win.
_PATTERNS: list[tuple[str, regex.Pattern[str]]] = [
    # Dates and document numbers: claimed so that nothing inside them becomes a period.
    (
        "date",
        regex.compile(
            r"(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}(?!\d)"
            r"|ngày\s+\d{1,2}\s*(?:/|-|\.|tháng)\s*\d{1,2}(?:\s*(?:/|-|\.|năm)\s*\d{2,4})?"
            r"|(?<![\d/])\d+/\d{4}/[\p{L}\d-]+"
            r"|(?<![\d/])\d{1,4}/(?:" + _YEAR + r")(?=\s*(?:/|của|ngày|\(|quy|về))",
            _I,
        ),
    ),
    # The end of a year as the baseline of a comparison is a point, not a scope ("tăng 6,8%
    # so với cuối năm 2022", kc-c18); and
    # a birth year is no period ("SN 1971", kc-s03).
    (
        "date",
        regex.compile(
            r"so\s+với\s+(?:\p{Ll}+\s+){0,2}(?:đầu|cuối)\s+năm\s+(?:"
            + _YEAR
            + r"|trước|ngoái)(?!\d)"
            r"|(?<![\p{L}])(?:SN|sinh\s+năm|sinh)\s+" + _YEAR + r"(?!\d)",
            _I,
        ),
    ),
    (
        "month_range",
        regex.compile(
            r"(?:từ\s+)?"
            + _mon("m1", "y1")
            + r"\s*(?:đến|tới|"
            + DASH
            + r"|và)\s*"
            + _mon("m2", "y2"),
            _I,
        ),
    ),
    (
        "since_month",
        regex.compile(
            r"(?:kể\s+)?từ\s+" + _mon("m", "y") + r"(?:\s+(?:đến|tới|cho\s+đến)\s+" + _NOW + ")?",
            _I,
        ),
    ),
    (
        "until_month",
        regex.compile(
            r"(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+|giữa\s+)?" + _mon("m", "y"), _I
        ),
    ),
    (
        "until_quarter",
        regex.compile(
            r"(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+)?quý\s+(?P<q>IV|III|II|I|[1-4])"
            r"(?![\p{L}\d])(?:\s*(?:/|-|năm)\s*(?P<y>" + _Y2 + r"))?",
            _I,
        ),
    ),
    ("since_year", regex.compile(r"(?:kể\s+)?từ\s+năm\s+(?P<y1>" + _Y + r")", _I)),
    (
        "range",
        regex.compile(
            r"(?P<y1>" + _Y + r")\s*(?:" + DASH + r"|đến|tới)\s*(?:năm\s+)?"
            r"(?P<y2>" + _Y2 + r")(?P<close>\s*\))?",
            _I,
        ),
    ),
    (
        "since",
        regex.compile(
            r"(?:kể\s+)?từ\s+(?:năm\s+)?(?P<y1>" + _Y + r")\s+(?:đến|tới|cho\s+đến)\s+" + _NOW,
            _I,
        ),
    ),
    (
        "since_year_start",
        regex.compile(
            r"(?:kể\s+)?từ\s+đầu\s+năm(?:\s+(?P<y>"
            + _Y
            + r")(?:\s+(?:đến|tới|cho\s+đến)\s+"
            + _NOW
            + r")?|\s+(?:đến|tới|cho\s+đến)\s+"
            + _NOW
            + r")",
            _I,
        ),
    ),
    (
        "now_to_year_end",
        regex.compile(
            r"từ\s+(?:nay|bây\s+giờ)\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)năm(?:\s+(?P<y>"
            + _Y
            + r"))?",
            _I,
        ),
    ),
    (
        "until",
        regex.compile(
            r"(?:đến|tới)\s+(?:hết\s+|cuối\s+)?(?:năm\s+)?(?P<y>" + _Y + r")",
            _I,
        ),
    ),
    (
        "months",
        regex.compile(
            r"(?P<n>\d{1,2}|" + _COUNT + r")\s+tháng\s+(?:(?P<which>đầu|cuối)\s+)?"
            r"(?(which)năm(?:\s+(?P<y>" + _Y + r"))?|năm\s+(?P<y>" + _Y + r"))",
            _I,
        ),
    ),
    (
        "half",
        regex.compile(
            r"nửa\s+(?P<which>đầu|cuối|sau)\s+năm(?:\s+(?P<y>" + _Y + r"))?",
            _I,
        ),
    ),
    (
        "quarter",
        regex.compile(
            r"quý\s+(?P<q>IV|III|II|I|[1-4])(?![\p{L}\d])(?:\s*(?:/|-|năm)\s*(?P<y>" + _Y2 + r"))?",
            _I,
        ),
    ),
    (
        "month",
        regex.compile(r"tháng\s+(?P<m>0?[1-9]|1[0-2])\s*(?:/|-|\.|năm)\s*(?P<y>" + _Y2 + r")", _I),
    ),
    (
        "month_rel",
        regex.compile(
            r"tháng\s+(?P<m>0?[1-9]|1[0-2])\s+(?P<rel>" + alt(_W["month_rel"]) + r")(?![\p{L}])",
            _I,
        ),
    ),
    (
        "year_rel",
        regex.compile(
            r"(?<!(?:những|các|nhiều|mấy|\d)\s+)năm\s+(?P<rel>nay|ngoái|tới)(?![\p{L}])", _I
        ),
    ),
    # "năm 2021, 2022 và 2023": each listed year is one (the list is claimed as one span).
    (
        "year",
        regex.compile(
            r"năm\s+(?P<y>"
            + _Y
            + r")(?P<more>(?:\s*(?:,|và|;)\s*"
            + _YEAR
            + r"(?![\d/]|[.,]\d))*)",
            _I,
        ),
    ),
    (
        "bare_year",
        regex.compile(
            r"(?<=[\p{L}]\s+)(?P<y>" + _Y + r")(?=\s*[,.;:)…]|\s*$|\s+(?:đã|đạt|với|và|của|"
            r"được|là|có|sẽ|tại|cho|vừa|thì|nhằm)(?![\p{L}]))",
            _I,
        ),
    ),
]
_LAW = regex.compile(r"(?<![\p{L}])" + alt(_W["law_heads"]) + r"(?![\p{L}])[^,;.()\n]{0,60}$")
_RANGE_LEFT = regex.compile(
    r"(?:(?<![\p{L}])" + alt(_W["range_heads"]) + r"\s*)?(?:\(\s*)?(?:năm\s+)?$", _I
)
_BARE_AFTER = regex.compile(
    r"(?<![\p{L}])" + alt(_W["bare_year_after"]) + r"(?:\s+[\p{L}()]+){0,5}\s+$", regex.IGNORECASE
)
_YEAR_IN = regex.compile(_YEAR)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DEICTIC = {"since_year_start", "now_to_year_end", "month_rel", "year_rel"}


def _count(word: str) -> int:
    return int(word) if word.isdigit() else int(_W["count_words"].get(word.lower(), 0))


def find(doc: Document) -> list[Mention]:
    """Period candidates: the longest non-overlapping matches; dates claim their text."""
    text = doc.text
    cands: list[tuple[int, int, int, str, regex.Match[str]]] = []
    for prio, (kind, pat) in enumerate(_PATTERNS):
        for m in pat.finditer(text):
            s, e = m.start(), m.end()
            if kind == "range":
                s, e = _range_span(text, m)
            if e > s:
                cands.append((s, e, prio, kind, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for s, e, _prio, kind, m in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        if kind == "date" or _in_law_name(text, s, kind):
            continue
        if kind == "bare_year" and not _BARE_AFTER.search(text, max(0, s - 60), s):
            continue
        s2 = s + len(text[s:e]) - len(text[s:e].lstrip())
        if kind == "year" and m.group("more"):
            e = m.start("more")
            for y in _YEAR_IN.finditer(text, m.start("more"), m.end("more")):
                out.append(
                    Mention("period", y.start(), y.end(), y.group(), "year", {"y": y.group()})
                )
        out.append(Mention("period", s2, e, text[s2:e], value=kind, attrs=_groups(m)))
    out.sort(key=lambda x: x.start)
    return out


def _range_span(text: str, m: regex.Match[str]) -> tuple[int, int]:
    """A year range with its head and brackets: ``giai đoạn (2015 - 2021)`` (seed-001).

    The pattern itself starts at the first year (a pattern opening with optional words is
    tried at every character); the head is found looking back from there."""
    left = _RANGE_LEFT.search(text, max(0, m.start() - 40), m.start())
    start = left.start() if left else m.start()
    end = m.end()
    if m.group("close") and not (left and "(" in left.group()):
        end = m.start("close")
    return start, end


def _groups(m: regex.Match[str]) -> dict[str, Any]:
    return {k: v for k, v in m.groupdict().items() if v is not None}


def _in_law_name(text: str, start: int, kind: str) -> bool:
    """A year inside the name of a law or decree (``Luật Hợp tác xã năm 2012``)."""
    if kind not in {"year", "bare_year"}:
        return False
    return _LAW.search(text, max(0, start - 70), start) is not None


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _resolve(
    kind: str,
    g: dict[str, Any],
    sent_year: int | None,
    last_year: int | None,
    published: str | None,
) -> tuple[Any, Any] | None:
    """``(start, end)`` of one mention, or None when the year cannot be known."""
    pub_year = int(published[:4]) if published else None
    pub_month = int(published[5:7]) if published else None
    y = int(g["y"]) if "y" in g else None
    if y is None:
        order = (pub_year, sent_year) if kind in _DEICTIC else (sent_year, pub_year)
        y = next((v for v in (*order, last_year) if v is not None), None)
    context_year = sent_year or pub_year or last_year
    if kind == "range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        return (y1, y2) if y1 < y2 <= y1 + 50 else None
    if kind in {"since", "since_year"}:
        return int(g["y1"]), None
    if kind == "month_range":
        y2 = int(g["y2"]) if "y2" in g else (context_year or pub_year)
        y1 = int(g["y1"]) if "y1" in g else y2
        if y1 is None or y2 is None:
            return None
        a, b = _month(y1, int(g["m1"])), _month(y2, int(g["m2"]))
        return (a, b) if a < b else None
    if kind in {"year", "bare_year"}:
        return y, y
    if kind == "until":
        return None, y
    if y is None:
        return None
    if kind == "since_year_start":
        return y, None
    if kind == "now_to_year_end":
        return (_month(y, pub_month), _month(y, 12)) if pub_month and y == pub_year else None
    if kind == "months":
        n = _count(g["n"])
        if not 1 <= n <= 12:
            return None
        if g.get("which", "").lower() == "cuối":
            return _month(y, 13 - n), _month(y, 12)
        return _month(y, 1), _month(y, n)
    if kind == "half":
        first = g["which"].lower() == "đầu"
        return (_month(y, 1), _month(y, 6)) if first else (_month(y, 7), _month(y, 12))
    if kind == "quarter":
        q = _ROMAN[g["q"].upper()]
        return _month(y, 3 * q - 2), _month(y, 3 * q)
    if kind == "month":
        return _month(y, int(g["m"])), _month(y, int(g["m"]))
    if kind == "since_month":
        return _month(y, int(g["m"])), None
    if kind == "until_month":
        return None, _month(y, int(g["m"]))
    if kind == "until_quarter":
        return None, _month(y, 3 * _ROMAN[g["q"].upper()])
    if kind == "month_rel":
        rel = g["rel"].lower()
        if rel in {"năm ngoái"}:
            y -= 1
        return _month(y, int(g["m"])), _month(y, int(g["m"]))
    if kind == "year_rel":
        if pub_year is None:
            return None
        yr = pub_year + int(_W["year_rel"][g["rel"].lower()])
        return yr, yr
    return None


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[PeriodOut]:
    """One period per distinct ``(start, end)``.

    A period written without its year takes the year the sentence is about: a year written
    in the same sentence, else the article's year, else the year the text last named
    (seed-001 has no date: its "6 tháng cuối năm" follows "năm 2022"). Words relative to
    now (``vừa qua``, ``đến nay``) prefer the article's year.
    """
    explicit: dict[tuple[int, int], list[tuple[int, int]]] = {}  # sentence -> (pos, year)
    for m in mentions:
        if {"y", "y1"} & m.attrs.keys():
            year = int(m.attrs.get("y1") or m.attrs["y"])
            explicit.setdefault(ctx.sentence_of(m.start), []).append((m.start, year))
    facts: dict[tuple[Any, Any], PeriodOut] = {}
    last_year: int | None = None
    for m in mentions:
        in_sent = explicit.get(ctx.sentence_of(m.start), [])
        before = [y for pos, y in in_sent if pos <= m.start]
        sent_year = before[-1] if before else None
        key = _resolve(m.value, m.attrs, sent_year, last_year, doc.published)
        if key is None:
            continue
        if {"y", "y1", "y2"} & m.attrs.keys():  # an explicit year: what the text is about now
            last_year = max(int(str(v)[:4]) for v in key if v is not None)
        fact = facts.get(key)
        if fact is None:
            facts[key] = PeriodOut(text=m.text, start=key[0], end=key[1], spans=[(m.start, m.end)])
        else:
            fact.spans.append((m.start, m.end))
    return list(facts.values())


register("periods.v1", "periods", find, build)
