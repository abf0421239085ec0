"""Targets: counted programme outputs, planned or achieved (spec, "Target").

A target is a figure (``25``, ``8 – 10``, ``4.701``) followed by a head noun of
``data/target_units.txt`` (cơ sở, lượt, mô hình, đề án, sản phẩm, lao động, DN, hộ, lớp ...);
its unit is the noun phrase from the head to the first stop word, punctuation or figure
(``9 mô hình trình diễn kỹ thuật áp dụng ...`` gives ``mô hình trình diễn kỹ thuật``,
seed-000; ``57 cơ sở đầu tư thiết bị`` gives ``cơ sở``, seed-002). ``125/182 đề án``
(vntc_010) gives 125 done out of 182 planned.

Not targets: money, percentages, years, durations and ages (their units are no heads),
ratios of a population (``2.477 hộ/9.326 nhân khẩu``), criteria (``quy mô tối thiểu
100 hộ``, baomoi17_004), documents issued, and counts in a sentence with no programme work.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import regex

from kcextract.canon import unit_key
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
from kcextract.numbers import parse_digits
from kcextract.resources import word_list
from kcextract.schema import TargetOut

_CUES = json_table("target_cues.json")
_HEADS = list(word_list("target_units.txt"))
# A count: digits not glued to a slash before (document numbers), "/" allowed after (125/182).
_NUM = r"(?<![\d/]|\d[.,])\d+(?:[.,]\d+)*(?!\d|[.,]\d)"
_TARGET = regex.compile(
    r"(?<!\d\s*" + DASH + r"\s*)(?P<num>" + _NUM + r")"
    r"(?:[^\S\n]*(?:" + DASH + r"|đến|tới)[^\S\n]*(?P<hi>" + DIGITS + r"))?"
    r"(?:/(?P<of>\d+(?:[.,]\d+)*))?[^\S\n]+(?P<head>" + alt(_HEADS) + r")(?!\p{Ll})",
    regex.V1,
)
_WORD = regex.compile(r"[ \t]+(\p{L}[\p{L}\d-]*)")
_STOP = {fold(w) for w in _CUES["unit_stop"]}
_STOP_MAX = max(len(w.split()) for w in _STOP)
_SKIP = CueSet({"skip": _CUES["skip_before"]})
_ACTION = CueSet({"action": _CUES["action"]})
_NEGATIVE = CueSet({"negative": _CUES["negative"]})
# The words that show an article speaks of a support programme (shared with provinces).
_PROGRAMME_DOC = CueSet({"programme": list(word_list("province_gate_words.txt"))})
_STATUS = StatusCues(_CUES["status"])
_MAX_UNIT_WORDS = 8
# "ở 1.450 làng nghề": where something happens, not what was produced.
_EXISTS = regex.compile(r"(?<![\p{L}])ở\s+(?:\p{Ll}+\s+){0,1}$")
# "năm 2012 xã ...": the figure is a year.
_YEAR_BEFORE = regex.compile(r"(?<![\p{L}])(?:năm|tháng\s+\d{1,2}\s*[/-])\s*$")
# A capitalised word or a Roman numeral right after the head makes it part of a name.
_NAMED = regex.compile(r"\s+(?:\p{Lu}\p{Ll}|[IVX]+(?![\p{L}\d]))")
# Not a target when glued to "%", a currency or a time unit right after the figure.
_AFTER_BAD = regex.compile(r"\s*/\s*\d")
_NOT_UNIT = regex.compile(alt(_CUES["not_units"]) + r"(?!\p{L})")


def _unit_end(text: str, pos: int) -> int:
    """Where the noun phrase that starts with a head (ending at ``pos``) ends."""
    words: list[tuple[int, int, str]] = []
    p = pos
    while len(words) < _MAX_UNIT_WORDS + _STOP_MAX:
        m = _WORD.match(text, p)
        if not m:
            break
        words.append((m.start(1), m.end(1), m.group(1)))
        p = m.end()
    end = pos
    i = 0
    while i < len(words) and i < _MAX_UNIT_WORDS:
        stop = False
        for n in range(_STOP_MAX, 0, -1):
            if i + n <= len(words) and fold(" ".join(w for _, _, w in words[i : i + n])) in _STOP:
                stop = True
                break
        if stop:
            break
        word = words[i][2]
        if word[0].isupper() and not word.isupper() and i > 0:
            break  # a proper name begins ("doanh nghiệpThi Sơn" after the glue is split)
        end = words[i][1]
        i += 1
    return end


def find(doc: Document) -> list[Mention]:
    """Counted outputs: figure, optional range or ``/total``, head noun and its phrase."""
    text = doc.text
    out: list[Mention] = []
    for m in _TARGET.finditer(text):
        if _AFTER_BAD.match(text, m.end()) or _NOT_UNIT.match(text, m.start("head")):
            continue  # "2.477 hộ/9.326 nhân khẩu": a population, not an output
        num = parse_digits(m.group("num"))
        hi = parse_digits(m.group("hi")) if m.group("hi") else None
        if num is None or num != int(num) or num <= 0:
            continue
        if hi is not None and (hi != int(hi) or hi <= num):
            continue
        head_end = m.end("head")
        # An abbreviation head (DN, HTX) may be glued to the next word; keep it short.
        end = _unit_end(text, head_end)
        start = m.start("num")
        unit = text[m.start("head") : end]
        qual, _ = qualifier_before(text, start)
        first = Mention(
            "target", start, end, text[start:end],
            value=(int(num), int(hi) if hi is not None else None, unit),
            attrs={"qualifier": qual, "head": m.group("head")},
        )  # fmt: skip
        out.append(first)
        if m.group("of"):  # "125/182 đề án": 125 done out of 182 planned (vntc_010)
            of = parse_digits(m.group("of"))
            if of is not None and of == int(of) and of > num:
                attrs = {**first.attrs, "qualifier": "exact", "of_total": True}
                out.append(replace(first, value=(int(of), None, unit), attrs=attrs))
    return out


def _keep(text: str, m: Mention, sent: tuple[int, int]) -> bool:
    """A programme output: programme work near the figure; no criterion, census or name."""
    clause_start = max([sent[0]] + [text.rfind(c, sent[0], m.start) + 1 for c in ";:("])
    left = fold(text[max(clause_start, m.start - 25) : m.start])
    if _SKIP.last(left) is not None or _EXISTS.search(left) or _YEAR_BEFORE.search(left):
        return False
    if _NAMED.match(text, m.end - len(m.value[2]) + len(m.attrs["head"])):
        return False  # "HTX An Phát", "Khoá IX": a name, not a count (baomoi17_024)
    if _NEGATIVE.last(fold(text[m.start : min(sent[1], m.end + 25)])):
        return False  # "328 doanh nghiệp giải thể", "40 làng nghề ô nhiễm": no output
    near = fold(text[max(sent[0], m.start - 100) : m.start] + " " + m.text)
    right = fold(text[m.end : min(sent[1], m.end + 100)])
    return _ACTION.last(near) is not None or _ACTION.first(right) is not None


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[TargetOut]:
    """One Target per distinct ``(quantity, quantity_max, unit)``; a unit contained in the
    unit of an earlier target with the same numbers is the same target."""
    text = doc.text
    facts: list[TargetOut] = []
    strength: list[int] = []
    pending: list[int] = []  # facts whose status came from no cue at all
    periods = ctx.facts.get("periods", [])
    if mentions and _PROGRAMME_DOC.last(fold(text)) is None:
        return []  # an article about no support programme has no programme outputs
    for m in mentions:
        sent = ctx.sentence_of(m.start)
        if not _keep(text, m, sent):
            continue
        qty, qmax, unit = m.value
        if m.attrs.get("of_total"):
            status, st = "planned", 3  # "125/182 đề án": 182 were planned
        else:
            status, st = _status(text, ctx, m, sent, periods, doc.published)
        idx = _same(facts, qty, qmax, unit)
        if idx is None:
            facts.append(
                TargetOut(
                    text=m.text,
                    quantity=qty,
                    quantity_max=qmax,
                    qualifier=m.attrs["qualifier"],
                    unit=unit,
                    status=status or "planned",  # type: ignore[arg-type]
                    spans=[(m.start, m.end)],
                )
            )
            strength.append(st)
            if status is None:
                pending.append(len(facts) - 1)
            continue
        fact = facts[idx]
        fact.spans.append((m.start, m.end))
        if len(unit_key(unit)) > len(unit_key(fact.unit)):
            fact.unit = unit
        if st > strength[idx] and status is not None:
            fact.status, strength[idx] = status, st  # type: ignore[assignment]
            if idx in pending:
                pending.remove(idx)
        if fact.qualifier == "exact":
            fact.qualifier = m.attrs["qualifier"]
    # No cue at all: the article's prevailing status (seed-004 reports results throughout).
    decided = [f.status for i, f in enumerate(facts) if strength[i] >= 2]
    default = "achieved" if decided.count("achieved") > decided.count("planned") else "planned"
    for i in pending:
        facts[i].status = default  # type: ignore[assignment]
    return facts


def _same(facts: list[TargetOut], qty: int, qmax: int | None, unit: str) -> int | None:
    key = unit_key(unit)
    for i, f in enumerate(facts):
        if f.quantity != qty or f.quantity_max != qmax:
            continue
        other = unit_key(f.unit)
        if key == other or _contains(key, other) or _contains(other, key):
            return i
    return None


def _contains(long: str, short: str) -> bool:
    return f" {short} " in f" {long} "


def _status(
    text: str,
    ctx: Context,
    m: Mention,
    sent: tuple[int, int],
    periods: list[Any],
    published: str | None,
) -> tuple[str | None, int]:
    left = text[sent[0] : m.start]
    right = clause_right(text, m.end, sent[1])
    lab, st = _STATUS.read(left, right)
    if lab is not None:
        return lab, st
    when = period_status(sent, periods, published)
    if when is not None:
        return when, 1
    prev = prev_sentence(ctx.sentences, sent[0])
    if prev is not None and (lab := _STATUS.strong_in(text[prev[0] : prev[1]])) is not None:
        return lab, 0
    return None, -1


register("targets.v1", "targets", find, build)
