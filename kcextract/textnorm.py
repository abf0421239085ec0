"""Text normalization over :class:`MappedText`: every step returns a new view, raw is never edited.

Three steps, applied in this order by :func:`normalize`:

1. :func:`nfc`: compose decomposed clusters (``e`` + U+0302 + U+0301 gives ``ế``); each composed
   character maps to the whole raw cluster (vietnews_014, hddtvn_003 carry NFD text; cp1258
   files decode to combining tone marks).
2. :func:`fold_spaces`: no-break and other odd spaces become a plain space, zero-width
   characters and soft hyphens go, runs of spaces fold to one, blank lines, spaces around line
   breaks and ``\\r\\n`` line ends are dropped.
3. :func:`repair_glue`: a space is *inserted* (``MappedText.inserted``) where scraping glued two
   words: ``thực hiện4.170,0 triệu đồngthực hiện`` (seed-001), ``sạch hơn.Đặc biệt``,
   ``1937 03/06/2022Thực hiện`` (kncto_001), ``doanh nghiệpThi Sơn`` (baomoi13_023).

Each step first checks whether the text needs it (``unicodedata.is_normalized``, one regex
search), so a clean article costs a few microseconds.

>>> normalize(MappedText.identity("thực hiện4.170,0 triệu đồngthực hiện")).text
'thực hiện 4.170,0 triệu đồng thực hiện'
>>> normalize(MappedText.identity("Theo\\u00a0 TP.HCM,  7.690,50 triệu.Đặc biệt")).text
'Theo TP.HCM, 7.690,50 triệu. Đặc biệt'
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable

import regex

from kcextract.document import MappedText

# Letters that exist in Vietnamese but not in plain ASCII; a run of letters holding one of
# them is a Vietnamese syllable, not a brand (VnExpress, VietinBank) or code (mp3, H5N1).
VIET_LOWER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
VIET_UPPER = VIET_LOWER.upper()
VIET_LETTERS = frozenset(VIET_LOWER + VIET_UPPER)

Edit = tuple[int, int, "str | MappedText"]


def rewrite(mt: MappedText, edits: Iterable[Edit]) -> MappedText:
    """Apply ``(start, end, replacement)`` edits (clean offsets, sorted, non-overlapping).

    A replacement of the same length maps character by character; any other maps every new
    character to the whole replaced raw range; an insertion (``start == end``) is anchored at
    the raw offset between its neighbours.

    >>> m = rewrite(MappedText.identity("ab  c"), [(2, 4, " "), (5, 5, "!")])
    >>> m.text, list(m.starts), list(m.ends)
    ('ab c!', [0, 1, 2, 4, 5], [1, 2, 4, 5, 5])
    """
    parts: list[MappedText] = []
    pos = 0
    n = len(mt)
    for start, end, repl in edits:
        if start < pos:
            raise ValueError(f"overlapping edit at {start}")
        if start > pos:
            parts.append(mt.slice(pos, start))
        if isinstance(repl, MappedText):
            parts.append(repl)
        elif repl:
            if start == end:
                at = int(mt.ends[start - 1]) if start > 0 else (int(mt.starts[0]) if n else 0)
                parts.append(MappedText.inserted(repl, at))
            elif len(repl) == end - start:
                parts.append(MappedText(repl, mt.starts[start:end], mt.ends[start:end]))
            else:
                parts.append(_whole(mt, start, end, repl))
        pos = end
    if pos == 0 and not parts:
        return mt
    if pos < n:
        parts.append(mt.slice(pos, n))
    return MappedText.join(parts)


# A base character followed by combining marks: the usual non-NFC cluster.
_CLUSTER = regex.compile(r"\P{M}\p{M}+")


def nfc(mt: MappedText) -> MappedText:
    """Unicode NFC; a composed character maps to the whole raw cluster it came from.

    >>> m = nfc(MappedText.identity("Kha\\u0309i"))
    >>> m.text, m.raw_span(2, 3)
    ('Khải', (2, 4))
    """
    text = mt.text
    if unicodedata.is_normalized("NFC", text):
        return mt
    edits: list[Edit] = []
    for m in _CLUSTER.finditer(text):
        seg = m.group()
        new = unicodedata.normalize("NFC", seg)
        if new != seg:
            edits.append((m.start(), m.end(), _whole(mt, m.start(), m.end(), new)))
    out = rewrite(mt, edits)
    if unicodedata.is_normalized("NFC", out.text):
        return out
    return _nfc_slow(mt)


def _whole(mt: MappedText, start: int, end: int, new: str) -> MappedText:
    """``new`` with every character mapped to the raw range of clean ``start .. end``."""
    k = len(new)
    s, e = int(mt.starts[start]), int(mt.ends[end - 1])
    return MappedText(new, array("l", [s] * k), array("l", [e] * k))


def _nfc_slow(mt: MappedText) -> MappedText:
    """Cluster by cluster, for what the fast path misses (singletons, Hangul jamo)."""
    text = mt.text
    edits: list[Edit] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text):
            c = text[i]
            cur = text[start:i]
            if unicodedata.combining(c) or len(unicodedata.normalize("NFC", cur + c)) <= len(
                unicodedata.normalize("NFC", cur)
            ):
                continue
        seg = text[start:i]
        new = unicodedata.normalize("NFC", seg)
        if new != seg:
            edits.append((start, i, _whole(mt, start, i, new)))
        start = i
    return rewrite(mt, edits)


# Odd spaces that become a plain space; invisible characters that go; line breaks.
_SP = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INV = "\u00ad\u180e\u200b-\u200d\u2060\ufeff"
_BR = "\n\r\u000b\u000c\u0085\u2028\u2029"
_WS_NEEDED = re.compile(rf"  |[{_SP}{_INV}\r\u000b\u000c\u0085\u2028\u2029]| \n|\n |\n\n")
_WS_FIX = re.compile(
    rf"[ {_SP}{_INV}]*(?:(?:\r\n|[{_BR}])[ {_SP}{_INV}]*)+"
    rf"|[ {_SP}][ {_SP}{_INV}]+|[{_SP}]|[{_INV}]+"
)
_ODD_SPACE = re.compile(rf"[{_SP}]")
_ODD_TABLE = {c: " " for c in [9, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]}
_BREAKS = frozenset("\n\r\u000b\u000c\u0085\u2028\u2029")
_INVISIBLE_CHARS = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"


def _ws_repl(s: str) -> str:
    if any(c in _BREAKS for c in s):
        return "\n"
    if not s.strip(_INVISIBLE_CHARS):
        return ""
    return " "


def fold_spaces(mt: MappedText) -> MappedText:
    """Odd spaces to a plain space, invisible characters removed, runs of spaces folded, blank
    lines and spaces around line breaks dropped.

    >>> fold_spaces(MappedText.identity("Bắc\\u00a0 Kạn \\r\\n  Cao\\u200bBằng")).text
    'Bắc Kạn\\nCaoBằng'
    """
    text = mt.text
    if not _WS_NEEDED.search(text):
        return mt
    if _ODD_SPACE.search(text):
        # Same length: a translation keeps every offset (kncto pages are full of &nbsp;).
        mt = mt.replace_chars(_ODD_TABLE)
        text = mt.text
    edits: list[Edit] = []
    for m in _WS_FIX.finditer(text):
        s = m.group()
        repl = _ws_repl(s)
        if repl != s:
            edits.append((m.start(), m.end(), repl))
    return rewrite(mt, edits) if edits else mt


_LO = "a-z" + VIET_LOWER
_UP = "A-Z" + VIET_UPPER
# Candidate glue points, found with the stdlib ``re`` at the *second* word's first character
# (capitals and digits are rare, so the scan is quick); ``_glue_ok`` then decides. The space
# goes at ``m.start()``.
_GLUE = re.compile(
    rf"(?P<low>[0-9{_UP}](?<=[{_LO}][0-9{_UP}]))"  # hiện4.170, hiệu quảCác
    rf"|(?P<mark>[{_UP}](?<=[0-9.!?…\"”’)][{_UP}]))"  # 2022Thực, hơn.Đặc, xong.”Ông
)
_STOP_BEFORE = re.compile(rf"[{_LO}]{{2}}[.!?…][\"”’)]?$")
# A money unit glued to the next word (triệu đồngthực hiện); the space goes at ``m.end()``.
_UNIT_GLUE = re.compile(rf"(?:đồng|USD|VNĐ|VND)(?=[{_LO}])")
_TOKEN_END = re.compile(r"\s|$")
# Inside URLs, e-mail addresses and file names nothing is repaired.
_NO_REPAIR = ("@", "://", "www.", ".com", ".vn", ".net", ".org", ".gov")
# Units written glued to their number on purpose (100m2, 5km).
_KEEP_LD = frozenset({"m", "km", "cm", "mm", "ha", "kg", "kw", "kwh", "mw", "mp", "x"})
# A money unit glues to the next word only right after a number: "4.170,0 triệu đồngthực"
# (seed-001); "ngành", "tỉnh" must never split after "ngàn", "tỉ".
_NUMBER_UNIT = re.compile(r"[0-9]\s?(?:(?:nghìn|ngàn|triệu|tỷ|tỉ)\s)?$")
_UPPER_WORD = re.compile(rf"[{_UP}][{_LO}]*")


def _letters_back(text: str, i: int) -> str:
    """The run of letters ending just before ``i``."""
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return text[j:i]


def _token(text: str, i: int) -> str:
    s = text.rfind(" ", 0, i)
    s2 = text.rfind("\n", 0, i)
    m = _TOKEN_END.search(text, i)
    return text[max(s, s2) + 1 : m.start() if m else len(text)]


def _is_viet(word: str) -> bool:
    return any(c in VIET_LETTERS for c in word)


def _kind(text: str, m: re.Match[str]) -> str | None:
    """Which glue a candidate is: ``ld`` (hiện4), ``lu`` (quảCác), ``dc`` (2022Thực),
    ``stop`` (hơn.Đặc), or None."""
    i = m.start()
    if m.lastgroup == "low":
        return "ld" if text[i].isdigit() else "lu"
    if text[i - 1].isdigit():
        return "dc" if i + 1 < len(text) and text[i + 1].islower() else None
    return "stop" if _STOP_BEFORE.search(text, max(0, i - 5), i) else None


def _glue_ok(text: str, i: int, kind: str | None) -> bool:
    """Is a space wanted at ``i`` (a candidate of ``kind``)?"""
    if kind == "unit":
        return (
            _NUMBER_UNIT.search(text, max(0, i - 16), i - (4 if text[i - 4] == "đ" else 3))
            is not None
        )
    if kind is None:
        return False
    tok = _token(text, i)
    if any(x in tok.lower() for x in _NO_REPAIR):
        return False
    if kind == "ld":
        run = _letters_back(text, i)
        before = text[i - len(run) - 1] if i - len(run) > 0 else " "
        return (
            len(run) >= 2
            and _is_viet(run)
            and run.lower() not in _KEEP_LD
            and not before.isalnum()
            and before not in "-_/.:"
        )
    if kind == "lu":
        # quảCác, nghiệpThi; but not VnExpress, iPhone, VietinBank (no Vietnamese letters).
        run = _letters_back(text, i)
        lower_run = run
        for k in range(len(run) - 1, -1, -1):
            if run[k].isupper():
                lower_run = run[k + 1 :]
                break
        nxt = _UPPER_WORD.match(text, i)
        next_word = nxt.group() if nxt else ""
        return len(lower_run) >= 2 and (_is_viet(lower_run) or _is_viet(next_word))
    return True


def repair_glue(mt: MappedText) -> MappedText:
    """Insert a space where scraping glued two words; decimals, codes and URLs are left alone.

    >>> repair_glue(MappedText.identity("03/06/2022Thực hiện, hiệu quảCác")).text
    '03/06/2022 Thực hiện, hiệu quả Các'
    >>> repair_glue(MappedText.identity("22/CTr-UBND TP.HCM Tp.HCM COVID-19 H5N1 7.690,50")).text
    '22/CTr-UBND TP.HCM Tp.HCM COVID-19 H5N1 7.690,50'
    """
    text = mt.text
    points = [m.start() for m in _GLUE.finditer(text) if _glue_ok(text, m.start(), _kind(text, m))]
    points += [
        m.end()
        for m in _UNIT_GLUE.finditer(text)
        if _NUMBER_UNIT.search(text, max(0, m.start() - 12), m.start())
    ]
    if not points:
        return mt
    return rewrite(mt, [(i, i, " ") for i in sorted(set(points))])


def normalize(mt: MappedText) -> MappedText:
    """NFC, then spaces, then glued-word repair.

    NFC runs again after the spaces step when dropping an invisible character brought a
    letter and its combining mark together (``a`` U+200B U+0300).
    """
    return repair_glue(nfc(fold_spaces(nfc(mt))))
