"""Amounts: money in VND (spec, "Amount").

A figure is digits written the Vietnamese way (``18,246``, ``7.690,50``, ``1.013``) or number
words (``hai trăm``, ``nửa``), then scale words (``tỷ``, ``triệu``, ``nghìn``/``ngàn``; mixed
``1 tỷ 200 triệu``, compound ``1,2 nghìn tỷ``) and/or the currency (``đồng``, ``VNĐ``, ``đ``).
Ranges (``từ 200 đến 300 triệu đồng``, ``6-7 tỷ đồng``) give ``max_vnd``; rates
(``7,5 triệu đồng/người/tháng``, baomoi13_002) give ``per``. A scale with no currency counts
only in a money sentence and before a non-unit word (``ngân sách xã 95 tỷ và ...``,
baomoi13_023); ``168 triệu USD`` (baomoi17_001), ``triệu tấn`` are not VND.

``build`` reads the attributes from the sentence: the qualifier from the cue right before the
figure, ``level`` from the cues since the previous amount of the sentence, ``status`` from the
nearest planned/achieved cue, ``funding`` from the nearest funding cue (tables in
``data/amount_cues.json``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import regex

from kcextract.document import Document, Mention
from kcextract.extract import Context, register
from kcextract.extract._numeric import (
    DASH,
    DIGITS,
    CueSet,
    StatusCues,
    alt,
    clause_right,
    fold,
    json_table,
    period_status,
    prev_sentence,
    qualifier_before,
)
from kcextract.numbers import WORDS, parse_number, to_int
from kcextract.resources import tsv, word_list
from kcextract.schema import AmountOut

_CUES = json_table("amount_cues.json")
_UNITS = tsv("money_units.tsv")
_SCALES = [w for w, kind, _ in _UNITS if kind == "scale"]
_VND = [w for w, kind, _ in _UNITS if kind == "vnd"]
_NOT_VND = {w.lower() for w, kind, _ in _UNITS if kind in {"foreign", "notmoney"}}
_NUMWORDS = [w for w, (_, kind) in WORDS.items() if kind not in {"scale", "half"}]
# Units of a rate after "/": the counted nouns of targets plus time and measure units.
_PER_UNITS = list(word_list("target_units.txt")) + list(word_list("rate_units.txt"))

# "hàng trăm triệu", "vài tỷ": a vague size, not a figure.
_VAGUE = r"(?<!(?:hàng|vài|mấy|nhiều|dăm|bao|hàng\s+chục|hàng\s+trăm)\s+)"
_NUMPART = (
    r"(?:"
    + DIGITS
    + r"|(?<![\p{L}])"
    + _VAGUE
    + alt(_NUMWORDS)
    + r"(?:\s+"
    + alt(_NUMWORDS)
    + r")*)"
)
# "tỷ lệ", "tỷ giá", "tỷ trọng" are ratios, not billions.
_SCALE = r"(?:" + alt(_SCALES) + r")(?!\p{L}|\s+(?:lệ|giá|trọng|suất|số)(?!\p{L}))"
_SCALES_RUN = _SCALE + r"(?:\s+" + _SCALE + r")*(?:\s+rưỡi)?"
_FIG = _NUMPART + r"(?:\s*" + _SCALES_RUN + r"(?:\s+" + _NUMPART + r"\s*" + _SCALES_RUN + r")*)?"
_DONG_NOT = alt(_CUES["dong_compounds"])
_CUR = (
    r"(?:đồng(?!\s?"
    + _DONG_NOT
    + r"(?!\p{L}))|(?:"
    + alt([v for v in _VND if v != "đồng"])
    + r")(?!\p{L}))"
)
# A rate: "/mô hình", "/người/tháng", or "mỗi"/"một" and a known unit ("mỗi lượt", kc-c11).
_PER = (
    r"(?:(?:\s*/\s*(?:" + alt(_PER_UNITS) + r"|\p{L}+)(?!\p{L}))+"
    r"|\s+(?:mỗi|một)\s+" + alt(_PER_UNITS) + r"(?!\p{L}))"
)
_AMOUNT = regex.compile(
    r"(?P<from>(?<![\p{L}])(?:từ|Từ)\s+)?(?P<lo>" + _FIG + r")"
    r"(?:(?:\s*(?P<cur1>" + _CUR + r"))?\s*(?:" + DASH + r"|đến|tới|~)\s*(?P<hi>" + _FIG + r"))?"
    r"(?:\s*(?P<cur>" + _CUR + r"))?(?P<per>" + _PER + r")?",
    regex.V1,
)
_COUNTED = regex.compile(r"(?<!\p{L})(?:số|số lượng)\s+(?!tiền|vốn|dư|thu|chi|nợ)\p{L}")
_PER_WORD = regex.compile(r"^(?:mỗi|một)\s+")
_ANCHOR = regex.compile(alt([w for w in _SCALES + _VND if w != "đ"]) + r"|đ(?!\p{L})")
_HAS_SCALE = regex.compile(r"(?<![\p{L}])" + _SCALE)
_NEXT_WORD = regex.compile(r"\s*(\p{L}+(?:\s\p{L}+)?)")
_FOLLOWERS = {fold(w) for w in _CUES["bare_scale_followers"]}
_MONEY_CONTEXT = CueSet({"money": _CUES["money_context"]})
_LEVEL = CueSet({k: v for k, v in _CUES["level"].items() if k != "other_near"})
_LEVEL_NEAR = CueSet({"other": _CUES["level"]["other_near"]})
_SOURCE_WORDS = regex.compile(r"ngân sách|kinh phí|vốn|nguồn|khuyến công|nhà nước")
# Units of a support rate ("đồng/mô hình"): such a norm is planned or paid, unlike a wage.
_BENEFICIARY_UNITS = {fold(w) for w in word_list("target_units.txt")}
_BUDGET = CueSet({"budget": _CUES["budget"]})
# A named or single project: a quoted title ("Đề án khuyến công quốc gia “Hỗ trợ ...”"),
# or "thực hiện mô hình" with no count or plural before it (kc-style plan reports).
_ONE_PROJECT = regex.compile(
    r"(?<!(?:\d|các|những|nhiều|mỗi|số)\s)(?:đề án|dự án|mô hình|nhiệm vụ)\s+"
    r"(?:(?:khuyến công\s+)?(?:quốc gia|địa phương)\s+)?[“\"]"
    r"|(?:thực hiện|của|cho)\s+(?:đề án|dự án|mô hình)(?!\s+(?:khuyến|năm|này|trên|nhóm))"
    r"|(?<![\p{L}\d])(?:một|1)\s+(?:đề án|dự án|mô hình|cơ sở|doanh nghiệp|hợp tác xã|htx)(?!\p{L})"
    r"|^\W*(?:đề án|dự án|mô hình)\s+(?!(?:khuyến công|xúc tiến)\s+(?:năm|giai đoạn))"
)
# A named beneficiary ("HTX Nông nghiệp Cam Thủy được hỗ trợ 1,5 tỷ đồng", kc-c17): matched
# on the unfolded window, the capital letter starts the name.
_NAMED_BENEFICIARY = regex.compile(
    r"(?:HTX|Hợp tác xã|Công ty|Cty|CTy|DNTN|Doanh nghiệp tư nhân|Tổ hợp tác|[Hh]ộ kinh doanh)"
    r"\s+(?:(?:TNHH|CP|cổ phần|MTV)\s+)*\p{Lu}|(?:của|cho)\s+(?:ông|bà|anh|chị)\s+\p{Lu}"
)
# A source of money named as such (not an actor: "tỉnh hỗ trợ"; not a programme's name).
_SOURCE = regex.compile(
    r"(?<![\p{L}])(?:"
    + alt([w for ws in _CUES["funding"].values() for w in ws if _SOURCE_WORDS.search(w)])
    + r")(?![\p{L}])"
)
_STATUS = StatusCues(_CUES["status"])
_OPENS_BREAKDOWN = regex.compile(r"\W*(?:trong đó|trong số)(?!\p{L})")
_FUNDING = CueSet(_CUES["funding"])
_FILLERS = regex.compile(r"(?<![\p{L}])" + alt(_CUES["fillers"]) + r"\s+(?!\p{L}*\d)")


def _scale_of(fig: str) -> Decimal | None:
    """The multiplier of the last scale word of a figure (``300 triệu`` -> 10^6)."""
    found = _HAS_SCALE.findall(fig)
    return parse_number("1 " + found[-1]) if found else None


def _candidates(text: str) -> Iterator[regex.Match[str]]:
    """``_AMOUNT`` matches, each holding a scale or currency word.

    The pattern opens with alternatives (digits or number words) that are costly to try at
    every character; it is tried only around the scale and currency words instead."""
    last_end = 0
    for a in _ANCHOR.finditer(text):
        if a.start() < last_end:
            continue
        lo = max(last_end, a.start() - 80)
        for m in _AMOUNT.finditer(text, lo, min(len(text), a.end() + 60)):
            if m.start() > a.start():
                break
            if a.start() < m.end():
                last_end = m.end()
                yield m
                break


def _per_text(per: str) -> str:
    """``/người/tháng`` -> ``người/tháng``; ``mỗi mô hình`` -> ``mô hình``."""
    per = _PER_WORD.sub("", per.strip())
    return "/".join(p.strip() for p in per.split("/") if p.strip())


def find(doc: Document) -> list[Mention]:
    """Money figures with their VND value (``value``) and range, rate and qualifier."""
    text = doc.text
    out: list[Mention] = []
    for m in _candidates(text):
        lo_txt, hi_txt, cur, per = m.group("lo"), m.group("hi"), m.group("cur"), m.group("per")
        end = m.end()
        if m.group("cur1") and not cur and not _HAS_SCALE.search(hi_txt or ""):
            # "158.000 đồng - 30 người": no range; the amount ends with its currency
            hi_txt, cur, per, end = None, m.group("cur1"), None, m.end("cur1")
        from_ = m.group("from") if hi_txt else None  # "từ 2 tỷ trở lên": "từ" opens no range
        scale_txt = hi_txt or lo_txt
        has_scale = _HAS_SCALE.search(scale_txt) is not None
        if not cur and not has_scale:
            continue
        if cur is None and not _bare_scale_ok(text, m):
            continue
        lo = parse_number(lo_txt)
        hi = parse_number(hi_txt) if hi_txt else None
        if lo is None or (hi_txt and hi is None):
            continue
        if hi is not None and not _HAS_SCALE.search(lo_txt) and has_scale:
            lo *= _scale_of(hi_txt) or 1  # "từ 200 đến 300 triệu": the lower takes the scale
        if lo <= 0 or (hi is not None and hi <= lo):
            continue
        if not has_scale and ((lo < 100 and not per) or not regex.search(r"\d", lo_txt)):
            continue  # "1 đồng vốn", "một đồng": a figure of speech, not an amount
        start = m.start("from") if from_ else m.start("lo")
        per_text = _per_text(per) if per else None
        qual, _ = qualifier_before(text, start)
        out.append(
            Mention(
                "amount",
                start,
                end,
                text[start:end],
                value=(to_int(lo), to_int(hi) if hi is not None else None, per_text),
                attrs={"qualifier": qual},
            )
        )
    return out


def _bare_scale_ok(text: str, m: regex.Match[str]) -> bool:
    """``95 tỷ`` with no ``đồng``: money when the next word is no unit and the sentence is
    about money."""
    nxt = _NEXT_WORD.match(text, m.end())
    if nxt:
        words = nxt.group(1).split()
        first = fold(words[0])
        two = fold(nxt.group(1))
        if first in _NOT_VND or two in _NOT_VND or first not in _FOLLOWERS:
            return False
    if not _HAS_SCALE.search(m.group("hi") or m.group("lo"), regex.IGNORECASE):
        return False
    if not regex.search(r"tỷ|tỉ|triệu", m.group("lo") + (m.group("hi") or "")):
        return False  # "5 nghìn" alone is a count
    clause = fold(text[max(0, m.start() - 80) : m.start()])
    clause = regex.split(r"[,;:.!?]\s", clause)[-1]
    if _COUNTED.search(clause):
        return False  # "nâng tổng số tài khoản lên 9,2 triệu": a count (kc-n20)
    window = fold(text[max(0, m.start() - 120) : m.start()])
    return _MONEY_CONTEXT.last(window) is not None


# --- attributes ----------------------------------------------------------------------------


def _level(
    window: str, near: str, right: str, prev_level: str | None, per: str | None
) -> tuple[str, int]:
    """``total`` / ``part`` / ``project`` / ``other`` from the cues since the previous amount
    of the sentence (``window``, folded) and that amount's level; with its strength (2: a
    cue, 1: from the previous amount, 0: the default)."""
    if per is not None:
        # A rate ("100 triệu đồng/mô hình", "7,5 triệu đồng/người/tháng") is never a
        # budget: the spec lists rates under "other" (baomoi13_002, baomoi17_004).
        return "other", 2
    cues = _LEVEL.all(window)
    found = {lab for _, lab in cues}
    if "other" in found or _LEVEL_NEAR.last(near):
        return "other", 2
    if "project" in found or _ONE_PROJECT.search(window) or _ONE_PROJECT.search(right):
        return "project", 2
    if prev_level == "other" and not found:
        return "other", 1  # a list continues: "ông A 30,6 triệu, B 17,7 triệu" (vietnews_008)
    if prev_level == "project" and "total" not in found:
        return "project", 1  # the split of one project's money is still that project's
    scope = [lab for _, lab in cues if lab in {"part", "total"}]
    if scope:
        return scope[-1], 2  # the nearest of "trong đó" / "tổng" (baomoi13_023)
    if prev_level in {"total", "part"}:
        return "part", 1  # "tổng quy mô 321,88 tỷ, Nhà nước hỗ trợ 195,12 tỷ" (vntc_002)
    # No level word: money named by its source is a share ("phân bổ 1,85 tỷ đồng kinh phí
    # khuyến công địa phương"); other programme money is a total; money of no programme
    # (prices, credit, market sizes) is "other".
    if _SOURCE.search(window[-60:]) or _SOURCE.search(right):
        return "part", 1
    return ("total" if _BUDGET.last(window + " " + right) else "other"), 0


def _funding(window: str, right: str) -> str | None:
    lab = _FUNDING.last(_FILLERS.sub("", fold(window)))
    if lab is None:
        lab = _FUNDING.first(_FILLERS.sub("", fold(right)))
    return lab


def _support_rate(m: Mention) -> bool:
    """A rate per beneficiary unit ("100 triệu đồng/mô hình"): programme money, with a source
    and a status, though its level is "other" like every rate."""
    per = m.value[2]
    return per is not None and fold(per.split("/")[0]) in _BENEFICIARY_UNITS


def _status(
    doc: Document, ctx: Context, m: Mention, sent: tuple[int, int], win_start: int, level: str
) -> tuple[str | None, int]:
    """Planned / achieved from the nearest cue; programme money with no cue in its sentence
    looks at the sentence before and at the sentence's period (None: undecided)."""
    text = doc.text
    if m.value[2] is not None and not _support_rate(m):
        return "unknown", 3  # a wage or a price per month has no status (baomoi13_002)
    left = text[sent[0] : m.start]
    right = clause_right(text, m.end, sent[1])
    lab, strength = _STATUS.read(left, right, text[win_start : m.start])
    if lab is not None or (level == "other" and not _support_rate(m)):
        return lab or "unknown", strength
    prev = prev_sentence(ctx.sentences, sent[0])
    if prev is not None and (lab := _STATUS.strong_in(text[prev[0] : prev[1]])):
        return lab, 0
    when = period_status(sent, ctx.facts.get("periods", []), doc.published)
    return (when, 0) if when else (None, -1)


@dataclass(slots=True)
class _Read:
    """The attributes read for one mention, with how sure each is."""

    level: str
    level_strength: int
    funding: str | None
    status: str | None
    status_strength: int


def _read(
    doc: Document, ctx: Context, m: Mention, prev: tuple[int, str, AmountOut] | None
) -> _Read:
    """Level, funding and status of one mention; ``prev`` is the amount before it in its
    sentence (where it ends, its level, its fact)."""
    text = doc.text
    sent = ctx.sentence_of(m.start)
    win_start = prev[0] if prev else sent[0]
    window = fold(text[win_start : m.start])
    sentence_left = fold(text[sent[0] : m.start])
    right = clause_right(text, m.end, sent[1])
    level, lv_strength = _level(
        window, window[-14:], fold(right), prev[1] if prev else None, m.value[2]
    )
    weak_scope = level in {"total", "part"} and lv_strength < 2
    if weak_scope and _NAMED_BENEFICIARY.search(text, win_start, m.start):
        level, lv_strength = "project", 2  # "HTX ... được hỗ trợ 1,5 tỷ đồng" (kc-c17)
    # "Trong đó" opening the sentence, or before an earlier amount of it, makes the rest of
    # the sentence a breakdown (seed-001 "Trong đó, ... tổng kinh phí 4.170,0 triệu").
    earlier = sentence_left[: len(sentence_left) - len(window)]
    opens = _OPENS_BREAKDOWN.match(sentence_left) is not None
    if level == "total" and (opens or (prev and "part" in {lb for _, lb in _LEVEL.all(earlier)})):
        level = "part"
    funding = _funding(window, right)
    if level == "other" and not _support_rate(m) and funding != "other":
        # Revenue, prices, credit have no programme source; money the beneficiary puts in
        # or gives back is "other" funding ("doanh nghiệp đối ứng 1,8 tỷ đồng", kc-c06).
        funding = None
    if funding is None and level != "other" and prev is not None:
        funding = prev[2].funding  # parallel items share their source (seed-001)
    if funding is None and level in {"project", "part"} and prev is None:
        # One project of a list introduced by its source in the sentence before
        # ("... nghiệm thu 3 đề án thuộc kế hoạch khuyến công địa phương.", kc-n12).
        before = prev_sentence(ctx.sentences, sent[0])
        if before is not None:
            funding = _FUNDING.last(_FILLERS.sub("", fold(text[before[0] : before[1]])))
    status, st = _status(doc, ctx, m, sent, win_start, level)
    return _Read(level, lv_strength, funding, status, st)


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[AmountOut]:
    """One Amount per distinct ``(value_vnd, max_vnd, per)``, with all its spans.

    A fact said more than once takes, attribute by attribute, the reading with the best
    evidence: the level from a cue over a default, the first funding named, the status from
    the strongest cue (``93 tỷ đồng`` of a headline has none; its body sentence does).
    """
    facts: dict[tuple[Any, ...], AmountOut] = {}
    best: dict[tuple[Any, ...], _Read] = {}
    last_in_sentence: dict[tuple[int, int], tuple[int, str, AmountOut]] = {}
    by_sentence: dict[tuple[int, int], list[tuple[_Read, AmountOut]]] = {}
    for m in mentions:
        sent = ctx.sentence_of(m.start)
        r = _read(doc, ctx, m, last_in_sentence.get(sent))
        key = m.value
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = AmountOut(
                text=m.text,
                value_vnd=key[0],
                max_vnd=key[1],
                per=key[2],
                qualifier=m.attrs["qualifier"],
                level=r.level,  # type: ignore[arg-type]
                status=r.status or "unknown",  # type: ignore[arg-type]
                funding=r.funding,  # type: ignore[arg-type]
                spans=[(m.start, m.end)],
            )
            if r.status in {None, "unknown"}:
                r.status_strength = -1
            best[key] = r
        else:
            fact.spans.append((m.start, m.end))
            b = best[key]
            if r.level_strength > b.level_strength:
                fact.level, b.level_strength = r.level, r.level_strength  # type: ignore[assignment]
            if fact.funding is None and r.funding is not None:
                fact.funding = r.funding  # type: ignore[assignment]
            if r.status_strength > b.status_strength and r.status not in {None, "unknown"}:
                fact.status, b.status_strength = r.status, r.status_strength  # type: ignore[assignment]
            if fact.qualifier == "exact":
                fact.qualifier = m.attrs["qualifier"]
        last_in_sentence[sent] = (m.end, r.level, fact)
        by_sentence.setdefault(sent, []).append((r, fact))
    # Programme money with no cue anywhere: the article's prevailing status (seed-004).
    decided = [
        f.status for k, f in facts.items() if best[k].status_strength >= 2 and f.level != "other"
    ]
    if decided:
        default = max(("planned", "achieved", "unknown"), key=decided.count)
        for k, f in facts.items():
            if best[k].status_strength < 0 and f.level != "other":
                f.status = default  # type: ignore[assignment]
    # A total named as such ("tổng kinh phí") and split in its own sentence has no single
    # source (seed-000, vntc_002).
    for items in by_sentence.values():
        for i, (r, fact) in enumerate(items):
            named_total = r.level == "total" and r.level_strength == 2
            if named_total and any(later.level == "part" for later, _ in items[i + 1 :]):
                fact.funding = None
    return list(facts.values())


register("amounts.v1", "amounts", find, build)
