"""Helpers shared by the numeric extractors (amounts, periods, targets).

Table loading, the one pattern builder that turns word lists into regex alternations, and
the cue scanner that reads qualifiers and status words around a figure.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import regex

from kcextract.resources import DATA, alternation

# A figure written with digits (Vietnamese marks), not glued to a digit, a slash or a mark
# before it ("45/2012" is a document number, "7.690,50" is one figure).
DIGITS = r"(?<![\d/]|\d[.,])\d+(?:[.,]\d+)*(?![\d/]|[.,]\d)"
DASH = r"[-–—‐‑−]"
_WS = regex.compile(r"\s+")


@cache
def json_table(name: str) -> dict[str, Any]:
    """A JSON table of ``kcextract/data`` (keys starting with ``_`` are documentation)."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def alt(words: list[str] | tuple[str, ...]) -> str:
    """``resources.alternation`` (escaped, longest first, never empty), any run of spaces.

    >>> regex.fullmatch(alt(["kinh phí"]), "kinh  phí") is not None
    True
    """
    return alternation(words).replace("\\ ", r"\s+")


def fold(text: str) -> str:
    """Lower-cased, white space folded: the form cue lists are matched against."""
    return _WS.sub(" ", text).lower()


class CueSet:
    """Labelled phrases found as whole words in a window of text (lower-cased, folded)."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.label: dict[str, str] = {}
        for label, words in table.items():
            for w in words:
                self.label.setdefault(fold(w), label)
        self.pattern = regex.compile(r"(?<![\p{L}\d])" + alt(list(self.label)) + r"(?![\p{L}\d])")

    def all(self, window: str) -> list[tuple[int, str]]:
        """``(position, label)`` of every cue in ``window`` (already folded), left to right."""
        return [(m.start(), self.label[m.group()]) for m in self.pattern.finditer(window)]

    def last(self, window: str) -> str | None:
        """The label of the cue nearest the end of ``window``."""
        found = self.all(window)
        return found[-1][1] if found else None

    def first(self, window: str) -> str | None:
        found = self.all(window)
        return found[0][1] if found else None


def _qualifier_pattern() -> regex.Pattern[str]:
    table = json_table("qualifiers.json")
    words = [w for ws in table.values() for w in ws]
    return regex.compile(
        r"(?<![\p{L}\d])(?P<q>" + alt(words) + r")\s*(?:là\s+|:\s*)?$", regex.IGNORECASE
    )


_QUAL = _qualifier_pattern()
_QUAL_LABEL = {fold(w): label for label, ws in json_table("qualifiers.json").items() for w in ws}


def qualifier_before(text: str, start: int) -> tuple[str, int]:
    """The qualifier cue right before ``start`` and where it begins (``exact`` if none).

    >>> qualifier_before("tổng kinh phí dự kiến trên 26,99 tỷ đồng", 27)
    ('over', 22)
    >>> qualifier_before("doanh thu tối thiểu là 1,0 tỷ", 23)
    ('over', 10)
    >>> qualifier_before("với 5 DN", 4)
    ('exact', 4)
    """
    m = _QUAL.search(text, max(0, start - 30), start)
    if not m:
        return "exact", start
    return _QUAL_LABEL.get(fold(m.group("q")), "exact"), m.start()


class StatusCues:
    """Planned / achieved cue words, strong and weak, with phrases that only look like cues."""

    def __init__(self, table: dict[str, Any]) -> None:
        labels = {k: v for k, v in table.items() if k not in {"mask", "modal"}}
        self.strong = CueSet({k: v["strong"] for k, v in labels.items()})
        self.weak = CueSet({k: v["weak"] for k, v in labels.items()})
        # Words of intent that govern the verb after them in their clause: "phấn đấu hoàn
        # thành 12 đề án" is planned although "hoàn thành" is an achieved cue (kc-n07).
        self.modal = regex.compile(
            r"(?<![\p{L}\d])" + alt(table.get("modal") or ["\0"]) + r"(?![\p{L}\d])[^,;:()]*$"
        )
        self.mask = regex.compile(
            r"(?<![\p{L}\d])" + alt(table.get("mask") or ["\0"]) + r"(?![\p{L}\d])"
        )

    def _clean(self, window: str) -> str:
        window = fold(window)
        return self.mask.sub(lambda m: "#" * len(m.group()), window)

    def read(self, left: str, right: str, near: str | None = None) -> tuple[str | None, int]:
        """The status label and its strength (3 strong left, 2 strong right, 1 weak).

        Weak cues ("đã", "đầu tư") count only in ``near`` (the text since the previous figure
        of the sentence) when it is given: they belong to the nearest figure."""
        left, right = self._clean(left), self._clean(right)
        if (lab := self.strong.last(left)) is not None:
            if lab == "achieved" and self.modal.search(left):
                return "planned", 3
            return lab, 3
        if (lab := self.strong.first(right)) is not None:
            return lab, 2
        if (lab := self.weak.last(left if near is None else self._clean(near))) is not None:
            return lab, 1
        if (lab := self.weak.first(right)) is not None:
            return lab, 1
        return None, 0

    def strong_in(self, text: str) -> str | None:
        return self.strong.last(self._clean(text))


_CLAUSE_END = regex.compile(r"[;:.!?()\n]|,\s")


def clause_right(text: str, end: int, stop: int) -> str:
    """The text after a figure up to the end of its clause (bounded by ``stop``)."""
    m = _CLAUSE_END.search(text, end, stop)
    return text[end : m.start() if m else stop]


def prev_sentence(sentences: list[tuple[int, int]], start: int) -> tuple[int, int] | None:
    """The sentence before the one that starts at ``start``, if any."""
    prev = None
    for s, e in sentences:
        if s >= start:
            break
        prev = (s, e)
    return prev


def period_status(sent: tuple[int, int], periods: list[Any], published: str | None) -> str | None:
    """Past period in the sentence: achieved; a future one: planned (baomoi13_002)."""
    for p in periods:
        if not any(sent[0] <= s < sent[1] for s, _ in p.spans):
            continue
        if p.end is None and p.start is not None:
            return "achieved"  # "từ đầu năm tới nay"
        if published and p.end is not None:
            end = str(p.end)
            pub = published[: len(end)] if len(end) == 7 else published[:4]
            if end < pub:
                return "achieved"
            if str(p.start or end) > pub:
                return "planned"
    return None
