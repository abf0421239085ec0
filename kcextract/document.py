"""Documents and mentions: the raw text is kept as decoded, every clean view maps back.

A :class:`MappedText` is a string plus, for every character, the ``[start, end)`` range of
the *raw* (decoded source) text it came from. Cleaning steps (HTML to text, NFC, glued-word
repair) build new ``MappedText`` values instead of editing strings in place, so a span
found in the clean text always points back into ``Document.raw``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class MappedText:
    """A string whose characters each know their ``[start, end)`` in the raw text."""

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str, starts: array, ends: array) -> None:
        if not (len(text) == len(starts) == len(ends)):
            raise ValueError("MappedText: text and offset arrays differ in length")
        self.text = text
        self.starts = starts
        self.ends = ends

    @classmethod
    def identity(cls, raw: str, offset: int = 0) -> MappedText:
        """The raw text itself (each character maps to itself, shifted by ``offset``)."""
        n = len(raw)
        return cls(
            raw,
            array("l", range(offset, offset + n)),
            array("l", range(offset + 1, offset + n + 1)),
        )

    @classmethod
    def join(cls, parts: Iterable[MappedText]) -> MappedText:
        texts: list[str] = []
        starts = array("l")
        ends = array("l")
        for p in parts:
            texts.append(p.text)
            starts.extend(p.starts)
            ends.extend(p.ends)
        return cls("".join(texts), starts, ends)

    @classmethod
    def inserted(cls, text: str, at: int) -> MappedText:
        """Characters with no raw counterpart (a repair space), anchored at raw ``at``."""
        n = len(text)
        return cls(text, array("l", [at] * n), array("l", [at] * n))

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw ``[start, end)`` covering clean characters ``start .. end-1``."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        return int(self.starts[start]), int(self.ends[end - 1])

    def replace_chars(self, table: dict[int, str]) -> MappedText:
        """Apply a one-to-one character translation (length is kept, so offsets are too)."""
        new = self.text.translate(table)
        if len(new) != len(self.text):
            raise ValueError("replace_chars needs a one-to-one table")
        return MappedText(new, self.starts, self.ends)


@dataclass(slots=True)
class Document:
    """One article: the decoded source (never changed) and its clean, mapped view."""

    doc_id: str
    raw: str
    clean: MappedText
    source: str | None = None
    title: str | None = None
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # Clean-text offset where the body starts (after a title line, when there is one).
    body_start: int = 0

    @property
    def text(self) -> str:
        return self.clean.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.clean.raw_span(start, end)


@dataclass(slots=True)
class Mention:
    """A candidate found in the clean text: ``doc.text[start:end] == text``."""

    label: str
    start: int
    end: int
    text: str
    value: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)
    source: str = "rules"
