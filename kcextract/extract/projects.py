"""Projects: đề án, dự án, nhiệm vụ, mô hình named by a title, with beneficiaries and money.

Spec: ``Project`` in ``shared/spec/record-format.md``. Two kinds of title:

* quoted: ``Đề án “Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong sản xuất hạt chiếu”``;
* unquoted, in a list or opening a clause with a capital head: ``Đề án Hỗ trợ xây dựng và
  đăng ký thương hiệu sản phẩm (2 sản phẩm);``. An unquoted title runs to the end of its
  clause; in a ``;``-separated list a segment that does not open with a head continues the
  title before it (seed-001: ``… lĩnh vực Marketing; Quản lý sản xuất, tài chính …``).

Attributes come from the same stretch of text: beneficiaries are the cooperatives and
companies named after the title and before the next project (``đơn vị thụ hưởng là``,
``của``, ``cho``); money is the first amount there; funding, year and status are read from
the sentence and the list's lead-in (``Về triển khai đề án … khuyến công quốc gia …``).
"""

from __future__ import annotations

import regex

from kcextract.canon import clean_title, title_key
from kcextract.document import Document, Mention
from kcextract.extract import Context, register
from kcextract.schema import ProjectOut

_HEAD = r"(?:[Đđ]ề án|[Dd]ự án|[Nn]hiệm vụ|[Mm]ô hình)"
QUOTED = regex.compile(
    _HEAD
    + r"(?:\s+khuyến công(?:\s+(?:quốc gia|địa phương))?)?\s*:?\s*[“\"«]([^”\"»\n]{6,400})[”\"»]"
)
# A capital head opening an unquoted title; the title's first word decides (below).
UNQUOTED = regex.compile(r"(?<![\p{L}])(?:Đề án|Dự án|Nhiệm vụ)\s+(?![“\"«])(?=\S)")
# Words that make "Đề án X" generic rather than a title: "Đề án khuyến công địa phương…".
GENERIC_START = regex.compile(
    r"(?:khuyến công|khuyến nông|này|đó|trên|nhóm|được|đã|đang|sẽ|có|là|của|cho|với|và|thuộc|số|\d)",
)
# Where an unquoted title ends (the clause ends, or its beneficiary/money is introduced).
TITLE_END = regex.compile(
    r"[.;:\n]\s|[.;:\n]$|[“\"”]|,\s*(?:đơn vị thụ hưởng|kinh phí|tổng kinh phí|với|do|được|thời gian)\b"
    r"|\s(?:của|cho|do|tại)\s+(?=(?:HTX|Hợp tác xã|Công ty|Cty|DNTN|Doanh nghiệp|cơ sở|hộ|Tổ hợp tác|\p{Lu}))"
    r"|\s(?:với|có) (?:tổng )?(?:kinh phí|số vốn)|\s(?:được|đã được)\s"
)
# "đề án hỗ trợ máy móc thiết bị chế biến kẹo cu đơ cho cơ sở …": a lower-case title is a
# project when a beneficiary follows it; "các đề án hỗ trợ …" (seed-001) is not.
LOWER_TITLE = regex.compile(
    r"(?<![\p{L}])(?<!(?:các|những|nhiều|\d) )(?:đề án|dự án)\s+"
    r"(?=(?:hỗ trợ|ứng dụng|đầu tư|xây dựng|nâng cấp|đổi mới)\s)"
)
BENEFICIARY_NEXT = regex.compile(
    r"\s(?:cho|của)\s+(?:HTX|Hợp tác xã|Công ty|Cty|DNTN|Doanh nghiệp|cơ sở|hộ|Tổ hợp tác)"
)
# "… sẽ được chú trọng, như đề án đào tạo kỹ năng quản trị marketing và mở rộng thị
# trường, đào tạo giám đốc điều hành doanh nghiệp." (vntc_002): projects named as examples;
# a comma starts another title when it repeats the first one's opening word.
EXAMPLES = regex.compile(r"(?<![\p{L}])(?:như|gồm) (?:các )?(?:đề án|dự án)\s+(?=\p{Ll})")
LIST_ITEM_START = regex.compile(r"(?:Đề án|Dự án|Nhiệm vụ|Mô hình)\b")
MAX_TITLE = 300

NATIONAL = regex.compile(r"quốc gia|KCQG|trung ương", regex.IGNORECASE)
LOCAL = regex.compile(r"địa phương|ngân sách tỉnh|ngân sách huyện|KCĐP", regex.IGNORECASE)
ACHIEVED = regex.compile(
    r"nghiệm thu|hoàn thành|đã thực hiện|đã triển khai|đã hỗ trợ|đã được hỗ trợ", regex.IGNORECASE
)
PLANNED = regex.compile(
    r"được giao|dự kiến|kế hoạch|phê duyệt|sẽ|đăng ký|triển khai", regex.IGNORECASE
)
YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
BENEFICIARY_TYPES = ("cooperative", "company", "household")


def find(doc: Document) -> list[Mention]:
    text = doc.text
    out: list[Mention] = []
    covered: list[tuple[int, int]] = []
    for m in QUOTED.finditer(text):
        title = clean_title(m.group(1))
        if len(title.split()) >= 2:
            out.append(
                Mention("project", m.start(1), m.end(1), m.group(1), title, {"head": m.start()})
            )
            covered.append((m.start(), m.end()))
    for m in UNQUOTED.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        start = m.end()
        in_list = _in_list(text, m.start())
        if GENERIC_START.match(text, start):
            continue
        if not in_list and not text[start : start + 1].isupper():
            continue
        end = _title_end(text, start, in_list)
        title = clean_title(text[start:end])
        if len(title.split()) < 2:
            continue
        out.append(
            Mention(
                "project",
                start,
                start + len(text[start:end].rstrip(" ,.;:")),
                text[start:end],
                title,
                {"head": m.start()},
            )
        )
    for m in LOWER_TITLE.finditer(text):
        if any(s <= m.start() < e for s, e in covered) or any(
            x.start <= m.end() < x.end for x in out
        ):
            continue
        start = m.end()
        end = _title_end(text, start, False)
        if not BENEFICIARY_NEXT.match(text, end):
            continue
        title = clean_title(text[start:end])
        if len(title.split()) >= 3:
            out.append(Mention("project", start, end, text[start:end], title, {"head": m.start()}))
    for m in EXAMPLES.finditer(text):
        if any(x.start <= m.end() < x.end for x in out):
            continue
        stop = regex.compile(r"[.;:\n]|\s\(").search(text, m.end())
        end = stop.start() if stop else len(text)
        first = text[m.end() : end].split(" ", 1)[0]
        pos = m.end()
        for part in regex.finditer(r"[^,]+", text[m.end() : end]):
            item = part.group().strip()
            if part.start() and not item.startswith(first + " "):
                break  # not a parallel item: the rest belongs to the title before
            pos = m.end() + part.end()
        items = [x.strip() for x in text[m.end() : pos].split(",")]
        cur = m.end()
        for item in items:
            s0 = text.index(item, cur)
            if len(item.split()) >= 3:
                out.append(
                    Mention(
                        "project", s0, s0 + len(item), item, clean_title(item), {"head": m.start()}
                    )
                )
            cur = s0 + len(item)
    out.sort(key=lambda x: x.start)
    return out


def _in_list(text: str, pos: int) -> bool:
    """Is ``pos`` an item of a list (after ``gồm:`` or a ``;``)?"""
    before = text[max(0, pos - 3) : pos].rstrip()
    if before.endswith((";", ":")):
        return True
    return bool(regex.search(r"gồm\s*:?\s*$", text[max(0, pos - 12) : pos]))


def _title_end(text: str, start: int, in_list: bool) -> int:
    pos = start
    limit = min(len(text), start + MAX_TITLE)
    while True:
        m = TITLE_END.search(text, pos, limit)
        if not m:
            return limit if limit < len(text) else len(text)
        end = m.start()
        if in_list and text[end] == ";":
            # a segment that does not open a new item continues this title
            nxt = text[m.end() :].lstrip()
            if nxt and not LIST_ITEM_START.match(nxt) and nxt[:1].isupper():
                pos = m.end()
                continue
        return end


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[ProjectOut]:
    text = doc.text
    orgs = ctx.facts.get("organizations", [])
    amounts = ctx.facts.get("amounts", [])
    facts: dict[str, ProjectOut] = {}
    for i, m in enumerate(mentions):
        s_start, s_end = ctx.sentence_of(m.start)
        nxt = mentions[i + 1].attrs["head"] if i + 1 < len(mentions) else len(text)
        stretch_end = min(s_end, nxt) if nxt > m.end else s_end
        # stretch: from the title to the next project (or the sentence end)
        benef = [
            o.name
            for o in orgs
            if o.type in BENEFICIARY_TYPES and any(m.end <= s < stretch_end + 1 for s, _ in o.spans)
        ]
        money = [a for a in amounts if any(m.end <= s < stretch_end for s, _ in a.spans)]
        lead = (
            text[max(0, s_start - 400) : m.start]
            if i == 0 or _in_list(text, m.attrs["head"])
            else text[s_start : m.start]
        )
        context = text[s_start:stretch_end]
        funding = _funding(lead + " " + text[m.end : stretch_end])
        status = (
            "achieved"
            if ACHIEVED.search(context)
            else ("planned" if PLANNED.search(lead + context) else "unknown")
        )
        year = _year(doc, ctx, text[s_start:s_end], lead)
        key = title_key(m.value)
        fact = facts.get(key)
        if fact is None:
            fact = ProjectOut(
                title=m.value,
                beneficiaries=benef,
                amount_vnd=money[0].value_vnd if money else None,
                funding=funding,
                year=year,
                status=status,
                spans=[],
            )
            facts[key] = fact
        fact.spans.append((m.start, m.end))
        for b in benef:
            if b not in fact.beneficiaries:
                fact.beneficiaries.append(b)
    return list(facts.values())


def _funding(context: str) -> str | None:
    """The funding source named closest to the project (its own words first)."""
    best: tuple[int, str] | None = None
    for pat, label in ((NATIONAL, "national"), (LOCAL, "local")):
        for m in pat.finditer(context):
            if best is None or m.start() > best[0]:
                best = (m.start(), label)
    return best[1] if best else None


def _year(doc: Document, ctx: Context, sentence: str, lead: str) -> int | None:
    years = [int(y) for y in YEAR.findall(sentence)] or [int(y) for y in YEAR.findall(lead)]
    if years:
        return max(set(years), key=years.count) if len(set(years)) > 1 else years[0]
    periods = [p for p in ctx.facts.get("periods", []) if isinstance(p.start, int)]
    if periods:
        return periods[0].start
    if doc.published:
        return int(doc.published[:4])
    return None


register("projects.v1", "projects", find, build, requires=("organizations", "amounts"))
