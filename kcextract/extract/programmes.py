"""Programmes: provincial and national plans and years' allocations, with their budgets.

Spec: ``Programme`` in ``shared/spec/record-format.md``. Three shapes are read:

* a named plan or programme of a support kind (``data/programme_kinds.txt``):
  ``Kế hoạch khuyến công tỉnh giai đoạn 2021 – 2025`` (seed-000), ``Chương trình xúc tiến
  thương mại quốc gia năm 2017`` (baomoi17_002), ``Chương trình khuyến công tỉnh đến năm
  2020`` (seed-002);
* a programme by its decision number: ``chương trình 134/QĐ-TTg``, ``Chương trình hành
  động số 22/CTr-UBND`` (baomoi13_020, baomoi13_002);
* an unnamed year's allocation: ``năm 2022, Trung tâm … được giao triển khai 10 đề án …
  (8 đề án khuyến công địa phương với kinh phí 496 triệu đồng và 2 đề án khuyến công quốc
  gia …)`` gives ``khuyến công năm 2022`` (seed-001).

``quốc gia`` or ``trung ương`` in the name (or a Prime Minister's decision, ``QĐ-TTg``) makes
the programme national (``province`` null); otherwise it belongs to the article's province.
The budget is the ``total`` amount of the programme's sentence, and its funding split the
``part`` amounts marked national and local there; parts that do not add up to the total
are noted as a warning on the record.
"""

from __future__ import annotations

import bisect
from functools import cache

import regex

from kcextract.canon import fold_ws, title_tokens, token_f1
from kcextract.document import Document, Mention
from kcextract.extract import Context, register
from kcextract.resources import alternation, word_list
from kcextract.schema import ProgrammeOut
from kcextract.segment import sentences

_DASH = r"\s*[-–—]\s*"
_YEARS = (
    r"(?:\(?\s*giai đoạn\s*\(?\s*(?P<y1>(?:19|20)\d\d)" + _DASH + r"(?P<y2>(?:19|20)\d\d)\s*\)?"
    r"|\(?(?P<y3>(?:19|20)\d\d)" + _DASH + r"(?P<y4>(?:19|20)\d\d)\)?"
    r"|(?:đến|tới) năm (?P<yend>(?:19|20)\d\d)"
    r"|năm (?P<y5>(?:19|20)\d\d)"
    r"|(?P<y6>(?:19|20)\d\d)(?!\s*[-–/]))"
)
NATIONAL_NAME = regex.compile(r"quốc gia|trung ương|QĐ-TTg|TTg", regex.IGNORECASE)
NATIONAL_KIND = regex.compile(r"khuyến công quốc gia|mỗi xã một sản phẩm", regex.IGNORECASE)
DECISION = regex.compile(
    r"(?<![\p{L}])[Cc]hương trình\s+(?:hành động\s+)?(?:số\s+)?\d{2,4}(?:/[\p{L}\-]+)+(?:\s+giai đoạn\s+[IVX]+)?"
    r"|(?<![\p{L}])[Cc]hương trình\s+135(?:\s+giai đoạn\s+[IVX]+)?"
)
# A year's work: "Năm 2023, hoạt động khuyến công … đã hoàn thành 27 đề án với tổng kinh phí
# …" or "năm 2022, Trung tâm … được giao triển khai 10 đề án … khuyến công" (seed-001).
ALLOCATION = regex.compile(
    r"(?:[Nn]ăm (?P<year>(?:19|20)\d\d))(?!\s*(?:[-–]|đến|trở))[^.]{0,120}?"
    r"(?P<kind>[Kk]huyến [Cc]ông|[Kk]huyến [Nn]ông)(?=[^.]{0,200}?(?:đề án|kinh phí|nhiệm vụ))"
    # "tổng kinh phí khuyến công năm 2024 của tỉnh là 5,2 tỷ đồng" (kc-n07)
    r"|(?:kinh phí|kế hoạch|nguồn) (?P<kind2>khuyến công|khuyến nông)(?: (?:quốc gia|địa phương))? năm "
    r"(?P<year2>(?:19|20)\d\d)(?!\s*[-–])",
)
# Several years' allocation: "giai đoạn 2018 – 2020, Trung tâm được giao thực hiện 14 đề án
# … kinh phí khuyến công" (kc-c15), "năm 2006-2007, TTKC Sóc Trăng được giao 39 đề án"
# (vietnews_008). Results summed over a period ("đã thực hiện được 73 đề án", seed-001) are
# not a programme (spec), hence the allocation verb.
RANGE_ALLOCATION = regex.compile(
    r"(?:giai đoạn|năm)\s*\(?\s*(?P<y1>(?:19|20)\d\d)\s*[-–]\s*(?P<y2>(?:19|20)\d\d)\s*\)?"
    r"(?=[^.]{0,200}?(?:được giao|được duyệt|phân bổ|bố trí))"
    r"(?=[^.]{0,300}?(?P<kind>khuyến công|khuyến nông|TTKC|KC))"
)
SENTENCE_YEAR = regex.compile(r"năm ((?:19|20)\d\d)(?!\s*[-–])")
MORE_RANGES = regex.compile(
    r"\s*(?:,|và)\s*(?P<years>(?P<y1>(?:19|20)\d\d)" + _DASH + r"(?P<y2>(?:19|20)\d\d))(?!\d)"
)
MAX_GAP = 40  # characters between kind words and the years of a name


@cache
def _named() -> regex.Pattern[str]:
    kinds = alternation(word_list("programme_kinds.txt"))
    return regex.compile(
        r"(?<![\p{L}])(?P<head>[Kk]ế hoạch|[Cc]hương trình)\s+(?P<kind>" + kinds + r")"
        r"(?P<mid>(?:\s*\([^)]{1,12}\))?(?:\s+(?:của\s+)?(?:tỉnh|thành phố|TP|quốc gia|trọng điểm quốc gia|địa phương|"
        r"[\p{Lu}][\p{Ll}]+(?:\s[\p{Lu}][\p{Ll}]+){0,2}))*)"
        r"(?:(?:\s+\p{Ll}+){0,3}?\s+(?P<years>" + _YEARS + r"))?"
    )


def _mention(
    m: regex.Match[str],
    name: str,
    start: int | None,
    end: int | None,
    national: bool,
    group: int | str = 0,
    **extra: bool,
) -> Mention:
    """A programme mention over ``m`` (or one of its groups)."""
    attrs = {"start": start, "end": end, "national": national, **extra}
    return Mention("programme", m.start(group), m.end(group), m.group(group), name, attrs)


def find(doc: Document) -> list[Mention]:
    text = doc.text
    sents = sentences(text)  # segment's sentences: the same boundaries as ctx.sentences
    out: list[Mention] = []
    for m in _named().finditer(text):
        name = fold_ws(m.group())
        start, end = _years(m)
        national = bool(NATIONAL_NAME.search(m.group()))
        if start is None and end is None:
            # "chương trình XTTM quốc gia với 182 đề án …" names its year elsewhere in the
            # sentence (baomoi17_001); with no year at all it is a generic mention
            # ("các kế hoạch khuyến công", seed-004) and not listed …
            year = _sentence_year(text, m.start(), sents)
            if year is not None:
                start = end = year
                name = f"{name} năm {year}"
            elif not (
                m.group("head").lower() == "chương trình" and NATIONAL_KIND.search(m.group())
            ):
                continue
            # … unless it is a national programme named in passing: "Chương trình khuyến
            # công quốc gia", "Chương trình Mỗi xã một sản phẩm (OCOP)"
        out.append(_mention(m, name, start, end, national))
        # "02 kế hoạch khuyến công giai đoạn 2015 - 2020, 2020 - 2025" (seed-003): the
        # plans listed after the first share its name.
        pos = m.end()
        while m.group("years") and (more := MORE_RANGES.match(text, pos)):
            name2 = name.replace(m.group("years"), more.group("years"))
            y1, y2 = int(more.group("y1")), int(more.group("y2"))
            out.append(_mention(more, name2, y1, y2, national, group="years"))
            pos = more.end()
    for m in DECISION.finditer(text):
        name = fold_ws(m.group())
        out.append(_mention(m, name, None, None, bool(NATIONAL_NAME.search(name)) or "135" in name))
    spans = {(mt.attrs["start"], mt.attrs["end"]) for mt in out}
    for m in RANGE_ALLOCATION.finditer(text):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        kind = "khuyến nông" if m.group("kind") == "khuyến nông" else "khuyến công"
        if (y1, y2) not in spans and y1 < y2:
            spans.add((y1, y2))
            out.append(_mention(m, f"{kind} giai đoạn {y1} – {y2}", y1, y2, False, allocation=True))
    seen = {mt.attrs["start"] for mt in out if mt.attrs["start"] == mt.attrs["end"]}
    for m in ALLOCATION.finditer(text):
        y = int(m.group("year") or m.group("year2"))
        if y not in seen:
            seen.add(y)
            name = f"{(m.group('kind') or m.group('kind2')).lower()} năm {y}"
            out.append(_mention(m, name, y, y, False, allocation=True))
    return out


def _sentence_year(text: str, pos: int, sents: list[tuple[int, int]]) -> int | None:
    """The one year a sentence is about (``năm 2017``), if it names exactly one."""
    k = bisect.bisect_right(sents, (pos, len(text))) - 1
    s, e = sents[k] if k >= 0 and sents[k][0] <= pos < sents[k][1] else (pos, pos)
    years = {int(y) for y in SENTENCE_YEAR.findall(text, s, e)}
    return years.pop() if len(years) == 1 else None


def _years(m: regex.Match[str]) -> tuple[int | None, int | None]:
    g = m.groupdict()
    for a, b in (("y1", "y2"), ("y3", "y4")):
        if g.get(a):
            return int(g[a]), int(g[b])
    if g.get("yend"):
        return None, int(g["yend"])
    for k in ("y5", "y6"):
        if g.get(k):
            return int(g[k]), int(g[k])
    return None, None


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[ProgrammeOut]:
    provinces = ctx.facts.get("provinces", [])
    province = provinces[0] if provinces else None
    amounts = ctx.facts.get("amounts", [])
    facts: list[ProgrammeOut] = []
    inside = [sp for p in ctx.facts.get("projects", []) for sp in p.spans]
    for m in mentions:
        if any(s <= m.start < e for s, e in inside):
            continue  # "Đề án Xây dựng kế hoạch khuyến công năm 2023" is a project (seed-001)
        prov = None if m.attrs["national"] else province
        start, end = m.attrs["start"], m.attrs["end"]
        same = next(
            (
                f
                for f in facts
                if (f.province, f.start, f.end) == (prov, start, end)
                and (
                    start is not None
                    or end is not None
                    or token_f1(title_tokens(f.name), title_tokens(m.value)) >= 0.9
                )
            ),
            None,
        )
        if same is None:
            same = ProgrammeOut(name=m.value, province=prov, start=start, end=end, spans=[])
            facts.append(same)
        same.spans.append((m.start, m.end))
        _budget(doc, ctx, m, same, amounts)
    # A year-less mention of a programme the article also names with its years refers to
    # that one ("Chương trình xúc tiến thương mại quốc gia" after "… năm 2017", baomoi17_002).
    dated = [f for f in facts if f.start is not None or f.end is not None]
    facts = [
        f
        for f in facts
        if f in dated
        or DECISION.fullmatch(f.name)
        or not any(token_f1(title_tokens(f.name), title_tokens(d.name)) >= 0.6 for d in dated)
    ]
    for f in facts:
        if (
            f.total_vnd
            and f.local_vnd
            and f.national_vnd
            and f.local_vnd + f.national_vnd != f.total_vnd
        ):
            ctx.warnings.append(
                f"KC-W001 programme {f.name!r}: local {f.local_vnd} + national {f.national_vnd} "
                f"!= total {f.total_vnd}"
            )
    return facts


def _budget(doc: Document, ctx: Context, m: Mention, fact: ProgrammeOut, amounts: list) -> None:
    s, e = ctx.sentence_of(m.start)
    # "Trong đó, …" continues the budget sentence with its split (seed-000).
    nxt = next(((a, b) for a, b in ctx.sentences if a >= e), None)
    if nxt and regex.match(r"\s*(?:Trong đó|Cụ thể)", doc.text[nxt[0] : nxt[1]]):
        e = nxt[1]
    for a in amounts:
        if not any(s <= sp < e for sp, _ in a.spans) or a.per or a.max_vnd:
            continue
        if a.level == "total" and fact.total_vnd is None and a.status != "achieved":
            fact.total_vnd = a.value_vnd
        elif a.level == "part" and a.funding == "local" and fact.local_vnd is None:
            fact.local_vnd = a.value_vnd
        elif a.level == "part" and a.funding == "national" and fact.national_vnd is None:
            fact.national_vnd = a.value_vnd


register("programmes.v1", "programmes", find, build, requires=("provinces", "amounts", "projects"))
