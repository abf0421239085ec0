"""Article metadata: headline, publication date, where the body starts, the trailer.

``published`` is the article's own date, not the page's clock (spec, "Top level"). The
head and tail lines of a scraped article are scored, best first:

1. a date behind a publication label (``Tin đăng lúc 13-11-2017``; seed-004, whose page
   clock ``Thứ Sáu, 19/04/2024 17:03:12 GMT+7`` stands above it);
2. a date-only line just after the headline (seed-002: ``22/06/2018`` under the headline,
   while the page clock ``• Thứ tư 19/06/2019 13:23`` stands above it);
3. a date-only line among the last lines (baomoi dumps end ``27/05/13 13:05 GMT+7``);
4. a date glued to the start of the first body line (kncto ``1937 03/06/2022Thực hiện``);
5. a date-only line above the headline (seed-000 ``20/04/2020``);
6. a date behind an update label (``Cập nhật``).

HTML ``article:published_time``, JSON-LD ``datePublished``, ``<time datetime>`` and a JSONL
``published`` field come before all of these.

The headline of a text file is its first non-empty line that is not a date line or page
chrome (``data/site_chrome.txt``); of a page, ``og:title``, ``<h1>`` or ``<title>`` without the
site's name; of a JSONL record, its ``title``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from kcextract.document import Document

_DATA = Path(__file__).parent / "data"
# A first line longer than this is body text, not a headline.
MAX_TITLE = 300

_WEEKDAY = r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn)"
_TIME = r"\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?"
_TZ = r"\(?(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?\)?"
_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}|\d{2})"
_YMD = r"(?P<Y>\d{4})-(?P<M>\d{1,2})-(?P<D>\d{1,2})"
_WORDS = r"ngày\s+(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})\s+năm\s+(?P<wy>\d{4})"
_DATE = rf"(?:{_YMD}|{_DMY}|{_WORDS})"
_PUB_LABEL = (
    r"(?:(?:tin\s+)?đăng(?:\s+(?:lúc|ngày|tải))?|ngày\s+(?:đăng|xuất\s+bản)|xuất\s+bản"
    r"|published|posted|ngày)"
)
_UPD_LABEL = r"(?:cập\s+nhật(?:\s+lúc)?|ngày\s+cập\s+nhật|updated?|last\s+modified)"
_FILL = rf"(?:[\s,;|•·*–—-]|lúc|ngày|{_WEEKDAY}|{_TIME}|{_TZ})*"
# A line holding only a date (with weekday, time, zone, bullets), optionally labelled.
_DATE_LINE = re.compile(
    rf"^{_FILL}(?:(?P<pub>{_PUB_LABEL})|(?P<upd>{_UPD_LABEL}))?\s*:?{_FILL}{_DATE}{_FILL}\.?$",
    re.IGNORECASE,
)
_ANY_DATE = re.compile(_DATE, re.IGNORECASE)
# kncto pages: "<view count> <date>" glued to the first body sentence.
_GLUED_DATE = re.compile(
    rf"^(?:\d+\s+|(?P<gpub>{_PUB_LABEL})\s*:?\s*|(?P<gupd>{_UPD_LABEL})\s*:?\s*)?{_DMY}"
    rf"(?:\s*{_TIME})?\s?(?=[(A-ZĐÀ-Ỹ])",
    re.IGNORECASE,
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_SITE_SUFFIX = re.compile(
    r"(?:báo(?!\s+cáo)|tạp chí|cổng thông tin|trang tin|tin tức|online|\.vn\b|\.com\b|\.net\b|vnexpress"
    r"|tuổi trẻ|thanh niên|dân trí|vietnamplus|\bvov\b|\bvtv\b|ttxvn|baomoi|báo mới|nhân dân"
    r"|tiền phong|lao động|công thương|người lao động|znews|zing|vietnamnet|cafef|cafebiz)",
    re.IGNORECASE,
)
_TITLE_SEP = re.compile(r"\s+[-|–—:]{1,2}\s+|\s+::\s+")
# "(HNM) -", "KTĐT -", "(Dân Việt) -", "(VEN) -": who the article is credited to.
_CREDIT = re.compile(r"^\(?(?P<c>[^\s()][^()\n]{0,30}?)\)?\s*[-–—]\s+\S")
_CREDIT_PAREN = re.compile(r"^\((?P<c>[^()\n]{2,30})\)\s*[-–—]?\s*")
# baomoi trailers: "27/05/13 13:05 GMT+7", then category, tags, the source paper.
_BAOMOI_STAMP = re.compile(rf"^{_DMY}\s+{_TIME}\s+{_TZ}$", re.IGNORECASE)


@cache
def _chrome_table() -> dict[str, str]:
    """``site_chrome.tsv``: casefolded line -> ``skip`` or ``cut``."""
    table: dict[str, str] = {}
    for line in (_DATA / "site_chrome.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        phrase, kind = line.split("\t")
        table[unicodedata.normalize("NFC", phrase.strip()).casefold()] = kind.strip()
    return table


def _chrome() -> frozenset[str]:
    return frozenset(_chrome_table())


@cache
def _chrome_prefixes() -> tuple[str, ...]:
    """``lượt xem:``, ``lượt xem ``: a chrome phrase followed by its value."""
    return tuple(w + sep for w in _chrome_table() if " " in w for sep in (" ", ":"))


_STRIP = " \t:;,.!?|<>()[]{}*•·-–—_/\\\"'0123456789"


def is_chrome(line: str) -> bool:
    """A line of page chrome (or nothing but punctuation and digits).

    >>> is_chrome("Lượt xem: 9708"), is_chrome("<>"), is_chrome("Khuyến công Cao Bằng")
    (True, True, False)
    """
    key = line.strip(_STRIP).casefold()
    if not key:
        return True
    if key in _chrome():
        return True
    return key.startswith(_chrome_prefixes())


def chrome_kind(line: str) -> str | None:
    """``skip``/``cut`` for a chrome line (``site_chrome.tsv``), else None.

    >>> chrome_kind("Tin liên quan:"), chrome_kind("Quảng cáo"), chrome_kind("Cao Bằng")
    ('cut', 'skip', None)
    """
    key = line.strip(_STRIP).casefold()
    return _chrome_table().get(key)


def parse_date(text: str) -> str | None:
    """The first valid date in ``text`` as ``YYYY-MM-DD`` (two-digit years are 19xx/20xx).

    >>> parse_date("Tin đăng lúc 13-11-2017"), parse_date("27/05/13 13:05 GMT+7")
    ('2017-11-13', '2013-05-27')
    >>> parse_date("2018-06-22T08:00:00+07:00"), parse_date("ngày 8 tháng 1 năm 2015")
    ('2018-06-22', '2015-01-08')
    >>> parse_date("31/02/2020") is None
    True
    """
    for m in _ANY_DATE.finditer(text):
        iso = _match_date(m)
        if iso:
            return iso
    return None


def _match_date(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("Y"):
        y, mo, d = int(g["Y"]), int(g["M"]), int(g["D"])
    elif g.get("y"):
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        if len(g["y"]) == 2:
            y += 2000 if y < 70 else 1900
    else:
        y, mo, d = int(g["wy"]), int(g["wm"]), int(g["wd"])
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-empty line, stripped."""
    out = []
    pos = 0
    for line in text.split("\n"):
        s = len(line) - len(line.lstrip())
        e = len(line.rstrip())
        if e > s:
            out.append((pos + s, pos + e))
        pos += len(line) + 1
    return out


def clean_title(title: str) -> str | None:
    """A headline with white space folded and a trailing site name dropped.

    >>> clean_title("Hà Giang: Giải pháp cho khuyến công - Báo Công Thương")
    'Hà Giang: Giải pháp cho khuyến công'
    >>> clean_title("Bà Rịa - Vũng Tàu hỗ trợ 12 đề án")
    'Bà Rịa - Vũng Tàu hỗ trợ 12 đề án'
    >>> clean_title("Khuyến công năm 2023 - Báo cáo kết quả")
    'Khuyến công năm 2023 - Báo cáo kết quả'
    """
    t = " ".join(unicodedata.normalize("NFC", title).split())
    for _ in range(2):
        parts = _TITLE_SEP.split(t)
        if len(parts) < 2:
            break
        last = parts[-1]
        head = t[: t.rfind(last)].rstrip(" -|–—:")
        if _SITE_SUFFIX.search(last) and len(last.split()) <= 6 and len(head.split()) >= 3:
            t = head
        else:
            break
    return t or None


# -- text files ----------------------------------------------------------------------------
def fill_text(doc: Document) -> None:
    """Title, published, body start and trailer of a plain-text article (in place)."""
    text = doc.text
    lines = _lines(text)
    title_i = _title_line(text, lines)
    if title_i is not None:
        s, e = lines[title_i]
        if e - s > MAX_TITLE:
            # One long first line: headline and body glued (vntc_021); no title then.
            title_i = None
        else:
            doc.title = clean_title(text[s:e])
            doc.body_start = _skip_head_lines(text, lines, title_i + 1)
    doc.published = _published_from_lines(text, lines, title_i)
    _read_credit(doc)
    _cut_trailer(doc, text, lines)


def _cut_trailer(doc: Document, text: str, lines: list[tuple[int, int]]) -> None:
    """Drop the trailing chrome (baomoi stamp and tags, related links) from the clean text."""
    cut = _trailer_start(doc, text, lines)
    if cut is not None and cut > doc.body_start:
        doc.meta["trailer"] = text[cut:].strip()
        doc.clean = doc.clean.slice(0, len(text[:cut].rstrip()))


def _skip_head_lines(text: str, lines: list[tuple[int, int]], i: int) -> int:
    """The clean offset of line ``i`` or the first line after it that is not a date line or
    chrome (seed-002 has its date line under the headline)."""
    while i < len(lines) and i < 8:
        s, e = lines[i]
        if not (_is_date_line(text[s:e]) or is_chrome(text[s:e])):
            return s
        i += 1
    return lines[i][0] if i < len(lines) else len(text)


def _is_date_line(line: str) -> re.Match[str] | None:
    if len(line) > 80:
        return None
    return _DATE_LINE.match(line)


def _title_line(text: str, lines: list[tuple[int, int]]) -> int | None:
    for i, (s, e) in enumerate(lines[:12]):
        line = text[s:e]
        if _is_date_line(line) or is_chrome(line):
            continue
        if len(line.split()) < 2:  # one-word lines above a headline are menu items
            continue
        return i
    return None


def _published_from_lines(
    text: str, lines: list[tuple[int, int]], title_i: int | None
) -> str | None:
    best: tuple[int, int, str] | None = None

    def offer(score: int, order: int, iso: str | None) -> None:
        nonlocal best
        if iso and (best is None or (score, -order) > (best[0], -best[1])):
            best = (score, order, iso)

    t = title_i if title_i is not None else -1
    head = range(0, min(len(lines), max(t, 0) + 5))
    tail = range(max(len(lines) - 6, max(t, 0) + 1), len(lines))
    for i in sorted(set(head) | set(tail)):
        s, e = lines[i]
        line = text[s:e]
        m = _is_date_line(line)
        if not m:
            if i == t + 1 and i in head:
                g = _GLUED_DATE.match(line)
                if g:
                    # kc-n05 "Cập nhật: 12/01/2024 10:05(SLO) - UBND…"; kncto "1937 03/06/2022Thực"
                    offer(
                        100 if g.group("gpub") else 40 if g.group("gupd") else 60, i, _match_date(g)
                    )
            continue
        iso = _match_date(m)
        if m.group("pub") and m.group("pub").lower() != "ngày":
            offer(100, i, iso)
        elif m.group("upd"):
            offer(40, i, iso)
        elif i in tail and i > t + 4:
            offer(80, i, iso)
        elif t >= 0 and t < i <= t + 4:
            offer(90, i, iso)
        else:
            offer(50, i, iso)
    return best[2] if best else None


def _trailer_start(doc: Document, text: str, lines: list[tuple[int, int]]) -> int | None:
    """Clean offset where the trailing page chrome starts (None when there is none)."""
    cut = None
    # baomoi: stamp, category, tags, paper name.
    for i in range(max(0, len(lines) - 6), len(lines)):
        s, e = lines[i]
        if _BAOMOI_STAMP.match(text[s:e]):
            cut = s
            rest = [text[a:b] for a, b in lines[i + 1 :]]
            if rest and len(rest[-1].split()) <= 6:
                doc.meta["source_name"] = rest[-1]
            break
    # A related-links or comment box near the end cuts everything after it (kc-n05).
    for i in range(max(1, len(lines) // 2, len(lines) - 15), len(lines)):
        s, e = lines[i]
        if chrome_kind(text[s:e]) == "cut":
            if cut is None or s < cut:
                cut = s
            break
    # Chrome lines at the end (seed-004: "Ý kiến bạn đọc :", "Quảng cáo", "Về đầu trang").
    j = len(lines)
    while j > 0 and is_chrome(text[lines[j - 1][0] : lines[j - 1][1]]):
        j -= 1
    if j < len(lines) and (cut is None or lines[j][0] < cut):
        cut = lines[j][0] if j < len(lines) else cut
    if j > 0 and text[lines[j - 1][0] : lines[j - 1][1]].startswith("|"):
        cut = lines[j - 1][0]
    return cut


def _read_credit(doc: Document) -> None:
    """The source tag that opens the body: ``(HNM) -``, ``KTĐT -``, ``(VEN) -``."""
    text = doc.text
    start = doc.body_start
    while start < len(text) and text[start] in " \n":
        start += 1
    first = text[start : start + 60]
    m = _CREDIT_PAREN.match(first) or _CREDIT.match(first)
    if m:
        c = m.group("c").strip()
        if c and len(c.split()) <= 4 and not any(ch.isdigit() for ch in c):
            doc.meta["credit"] = c


# -- HTML pages ----------------------------------------------------------------------------
_PUB_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "date",
    "time",
    "article:modified_time",
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def fill_html(doc: Document, meta: dict[str, str]) -> None:
    """Title, published and body start of an HTML page (in place)."""
    for key in ("og:title", "twitter:title", "h1", "title"):
        if meta.get(key):
            doc.title = clean_title(meta[key])
            if doc.title:
                break
    published = None
    jsonld = _JSONLD_DATE.search(doc.raw)
    keys = list(_PUB_KEYS)
    for key in keys:
        if key == "time" and jsonld:
            published = parse_date(jsonld.group(1))
            if published:
                break
        if meta.get(key):
            published = parse_date(meta[key])
            if published:
                break
    text, lines = _finish(doc, published)
    _cut_trailer(doc, text, lines)


def _key(s: str) -> str:
    return " ".join(s.casefold().split()).strip(_STRIP)


def _find_title_line(text: str, lines: list[tuple[int, int]], title: str | None) -> int | None:
    """The index of the line (among the first few) that repeats the headline."""
    if not title:
        return None
    tk = _key(title)
    for i, (s, e) in enumerate(lines[:8]):
        lk = _key(text[s:e])
        if lk and (lk == tk or (len(lk) > 10 and (tk.startswith(lk) or lk.startswith(tk)))):
            return i
    return None


def _finish(doc: Document, published: str | None) -> tuple[str, list[tuple[int, int]]]:
    """Body start, the date from the text when no field gave one, and the credit line."""
    text = doc.text
    lines = _lines(text)
    title_i = _place_body(doc, text, lines)
    doc.published = published or _published_from_lines(text, lines, title_i)
    _read_credit(doc)
    return text, lines


def _place_body(doc: Document, text: str, lines: list[tuple[int, int]]) -> int | None:
    i = _find_title_line(text, lines, doc.title)
    doc.body_start = _skip_head_lines(text, lines, i + 1) if i is not None else 0
    return i


# -- crawler dump records ------------------------------------------------------------------
_REC_DATE_KEYS = ("published", "published_at", "publish_date", "date", "pubdate", "time")


def fill_record(doc: Document, rec: dict[str, Any]) -> None:
    """Title, published and body start of a JSONL record (in place)."""
    if isinstance(rec.get("title"), str) and rec["title"].strip():
        doc.title = clean_title(rec["title"])
    published = None
    for key in _REC_DATE_KEYS:
        v = rec.get(key)
        if isinstance(v, str) and v.strip():
            published = parse_date(v)
            if published:
                break
    _finish(doc, published)
