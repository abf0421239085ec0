"""Provinces: the provinces whose programmes the article reports on (spec, "Top level").

``find`` matches every surface form of ``data/provinces.tsv`` (official names, aliases such as
``TP.HCM``, ``BR-VT``, ``Đăk Lăk``; context-only forms such as ``HN`` or bare ``Huế`` after
``tỉnh``/``TP``/``thành phố``) with one compiled regex, and weighs each mention by its context:

* in the headline (``Cao Bằng: Triển khai đề án…``, seed-000): 10;
* after a province cue (``tỉnh Sóc Trăng``, ``TP Hà Nội``) or inside an agency or programme
  name (``Trung tâm Khuyến công tỉnh X``, ``Sở Công Thương X``, ``Khuyến công X``): 3;
* anywhere else: 1; after ``huyện``, ``xã``, ``đường``, ``Công ty``… (a district, street or
  company named like a province): not counted.

The article's credit also counts 3 when it is a provincial paper (``(HNM)`` Hà Nội Mới,
baomoi13_002). ``build`` ranks provinces by weight and keeps those in the headline, or, when the
headline names none, those with enough weight; a national story that only mentions a province
in passing (baomoi17_004 ``huyện Chương Mỹ, TP Hà Nội`` in a reader's question) gets ``[]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kcextract.document import Document, Mention
from kcextract.extract import Context, register

_DATA = Path(__file__).resolve().parents[1] / "data"

W_TITLE = 10
W_CUE = 3
# An agency or programme named with the province (kc-n12 "Trung tâm Khuyến công và Tư vấn
# phát triển công nghiệp Thái Bình") is enough on its own.
W_AGENCY = 5
W_BARE = 1
W_CREDIT = 3
# Without a province in the headline, a province needs this much weight to be reported.
MIN_BODY = 5
# A further province is kept when it has at least this share of the top one's weight.
SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Unit:
    """One row of ``provinces.tsv``."""

    name: str
    type: str
    valid_from: str
    valid_to: str
    successor: str
    aliases: tuple[str, ...]
    context_aliases: tuple[str, ...]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


@cache
def units() -> tuple[Unit, ...]:
    """Every row of ``data/provinces.tsv``."""
    out = []
    lines = (_DATA / "provinces.tsv").read_text(encoding="utf-8").splitlines()
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    for line in rows[1:]:
        cols = [_nfc(c) for c in line.split("\t")]
        cols += [""] * (7 - len(cols))
        name, typ, vf, vt, succ, al, ctx = cols[:7]
        out.append(
            Unit(
                name,
                typ,
                vf,
                vt,
                succ,
                tuple(a.strip() for a in al.split(";") if a.strip()),
                tuple(a.strip() for a in ctx.split(";") if a.strip()),
            )
        )
    return tuple(out)


def official_names() -> frozenset[str]:
    """All official names (pre- and post-2025)."""
    return frozenset(u.name for u in units())


@dataclass(frozen=True, slots=True)
class _Matcher:
    regex: re.Pattern[str]
    # surface -> [(unit, context_only)]
    table: dict[str, list[tuple[Unit, bool]]]


@cache
def _matcher() -> _Matcher:
    table: dict[str, list[tuple[Unit, bool]]] = defaultdict(list)
    for u in units():
        # A name that is also a context alias ("Huế", the city since 2025) is context-only.
        forms = [(u.name, u.name in u.context_aliases)] + [(a, False) for a in u.aliases]
        forms += [(a, True) for a in u.context_aliases]
        for form, ctx in forms:
            for f in {form, form.upper()}:
                if (u, ctx) not in table[f]:
                    table[f].append((u, ctx))
    surfaces = sorted(table, key=lambda s: (-len(s), s))
    if not surfaces:
        raise ValueError("provinces.tsv gives no surface forms")
    alt = "|".join(re.escape(s) for s in surfaces)
    return _Matcher(re.compile(rf"(?<![\w.-])(?:{alt})(?![\w])"), dict(table))


# Cues right before a mention.
_CUE = re.compile(r"(?:tỉnh|Tỉnh|TỈNH|thành phố|Thành phố|THÀNH PHỐ|TP\.?|Tp\.?)\s*$")
# An agency or programme name running up to the mention (same clause).
_ORG = re.compile(
    r"(?:Sở|Trung tâm|UBND|Ủy ban|Uỷ ban|Chi cục|Liên minh|Quỹ|HĐND|Hội đồng nhân dân|Tỉnh ủy"
    r"|Tỉnh uỷ|Thành ủy|Thành uỷ|Kế hoạch|Chương trình|Đề án|[Kk]huyến công|[Kk]huyến nông"
    r"|[Xx]úc tiến thương mại|KCĐP|TTKC)[^.,;:!?\n()“”\"]{0,60}$"
)
# A district, street, company… named like a province (huyện Phú Yên? no: "huyện Long Hồ").
_NOT = re.compile(
    r"(?:huyện|Huyện|quận|Quận|thị xã|Thị xã|xã|Xã|phường|Phường|thị trấn|Thị trấn|đường|Đường"
    r"|phố|Phố|thôn|ấp|sông|Sông|làng|Làng|bản|Bản|núi|cầu|chợ|Chợ|hồ|Hồ|đèo|Công ty|công ty"
    r"|Cty|HTX|Hợp tác xã|hợp tác xã|Ngân hàng|Trường|trường|Đại học|ĐH|Bệnh viện|Báo|báo"
    r"|Nhà máy|nhà máy|khách sạn|Khách sạn|bến xe|sân bay|Tổng công ty)\s*$"
)
# After the 2025 merger a former province is named as an area of the new one: "khu vực Bình
# Thuận cũ" (kc-c09), "tỉnh Hậu Giang và tỉnh Sóc Trăng trước đây" (kc-s02): not reported.
_FORMER_AFTER = re.compile(r"\s*(?:\(cũ\)|cũ(?!\w)|trước đây)")
# "Thái Bình Dương" is the Pacific Ocean, not Thái Bình or Bình Dương.
_PACIFIC = re.compile(r"Thái Bình Dương|THÁI BÌNH DƯƠNG")


@cache
def _credits() -> dict[str, str]:
    table = {}
    for line in (_DATA / "province_credits.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            credit, name = line.split("\t")
            table[_nfc(credit).casefold()] = _nfc(name)
    return table


def _resolve(cands: list[tuple[Unit, bool]], cued: bool, published: str | None) -> Unit | None:
    ok = [u for u, ctx in cands if cued or not ctx]
    if not ok:
        return None
    if len({u.name for u in ok}) == 1:
        return ok[0]
    # Only Huế / Thừa Thiên Huế differ by date: the unit valid at the article's date.
    day = published or "2000-01-01"
    for u in ok:
        if (not u.valid_from or u.valid_from <= day) and (not u.valid_to or day <= u.valid_to):
            return u
    return ok[0]


_SUBJECT_BEFORE = re.compile(r"(?:^|[.!?\n]\s*)(?:tỉnh|Tỉnh|TP\.?|Tp\.?|Thành phố|thành phố)?\s*$")
_CLAUSE_END = re.compile(r"[.!?\n]")


def _programme_subject(text: str, s: int, e: int, before: str) -> bool:
    """The province opens its sentence and the sentence speaks of a programme."""
    if not _SUBJECT_BEFORE.search(before) or (s > len(before) and not before.strip()):
        return False
    end = _CLAUSE_END.search(text, e)
    return _topic().search(text, e, end.start() if end else len(text)) is not None


def _scan(text: str, published: str | None) -> list[tuple[int, int, str, int, str]]:
    """``(start, end, name, weight, cue)`` for every province mention in ``text``."""
    m_ = _matcher()
    out = []
    pacific = [m.span() for m in _PACIFIC.finditer(text)]
    for m in m_.regex.finditer(text):
        s, e = m.span()
        if any(ps <= s < pe for ps, pe in pacific):
            continue
        before = text[max(0, s - 80) : s]
        if _FORMER_AFTER.match(text, e):
            continue
        surface = m.group()
        cued = bool(_CUE.search(before)) or surface.upper().startswith(("TP", "THÀNH PHỐ"))
        if not cued and _NOT.search(before):
            continue
        # "Sở Công Thương thành phố Huế" is an agency named with its province; "Tỉnh Hà Giang
        # triển khai Chương trình khuyến công…" has the province as the subject of a programme.
        if _ORG.search(before) or _programme_subject(text, s, e, before):
            cue = "agency"
        else:
            cue = "province" if cued else ""
        unit = _resolve(m_.table[surface], cued, published)
        if unit is None:
            continue
        w = W_AGENCY if cue == "agency" else W_CUE if cue else W_BARE
        out.append((s, e, unit.name, w, cue))
    return out


def find(doc: Document) -> list[Mention]:
    """Every province mention of the clean text (headline included), weighted by context."""
    text = doc.text
    mentions = []
    for s, e, name, w, cue in _scan(text, doc.published):
        in_head = s < doc.body_start
        mentions.append(
            Mention(
                "province",
                s,
                e,
                text[s:e],
                value=name,
                attrs={"weight": W_TITLE if in_head else w, "cue": cue, "in_title": in_head},
            )
        )
    return mentions


def rank(doc: Document, mentions: list[Mention]) -> list[tuple[str, int, bool]]:
    """``(name, weight, in_title)`` for every province mentioned, heaviest first."""
    weight: dict[str, int] = defaultdict(int)
    titled: set[str] = set()
    first: dict[str, int] = {}
    for m in mentions:
        weight[m.value] += int(m.attrs.get("weight", 1))
        first.setdefault(m.value, m.start)
        if m.attrs.get("in_title"):
            titled.add(m.value)
    # A JSONL title is metadata only, so it is not in the text: scan it too.
    if doc.title and not any(m.attrs.get("in_title") for m in mentions):
        for _, _, name, _, _ in _scan(doc.title, doc.published):
            if name not in titled:
                weight[name] += W_TITLE
                titled.add(name)
                first.setdefault(name, -1)
    for key in ("credit", "source_name"):
        c = doc.meta.get(key)
        name = _credits().get(_nfc(c).casefold()) if isinstance(c, str) else None
        if name:
            weight[name] += W_CREDIT
            first.setdefault(name, len(doc.text))
    order = sorted(weight, key=lambda n: (-weight[n], first[n]))
    return [(n, weight[n], n in titled) for n in order]


@cache
def _topic() -> re.Pattern[str]:
    words = []
    for line in (_DATA / "province_gate_words.txt").read_text(encoding="utf-8").splitlines():
        line = _nfc(line)
        if line and not line.startswith("#"):
            words.append(re.escape(line))
    if not words:
        raise ValueError("province_gate_words.txt is empty")
    words.sort(key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)


def about_programme(doc: Document) -> bool:
    """Does the article speak of a support programme at all (``province_gate_words.txt``)?"""
    return _topic().search(doc.text) is not None or bool(doc.title and _topic().search(doc.title))


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[str]:
    """Official names of the provinces the article reports on, most salient first."""
    if not about_programme(doc):
        return []
    ranked = rank(doc, mentions)
    if not ranked:
        return []
    top = ranked[0][1]
    titled = [n for n, _, t in ranked if t]
    if titled:
        keep = set(titled)
        return [n for n, w, t in ranked if n in keep or (w >= MIN_BODY * 2 and w >= SHARE * top)]
    return [n for n, w, _ in ranked if w >= MIN_BODY and w >= SHARE * top]


register("provinces.v1", "provinces", find, build)
