"""Cached loaders for the vocabulary tables in ``kcextract/data/`` (read once per process)."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import regex

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = unicodedata.normalize("NFC", line.rstrip())
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line)
    return out


@cache
def word_list(name: str) -> tuple[str, ...]:
    """A one-entry-per-line table (``#`` comments and blank lines skipped)."""
    return tuple(line.strip() for line in _lines(name))


@cache
def tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated table, one tuple per row (comments skipped)."""
    return tuple(tuple(c.strip() for c in line.split("\t")) for line in _lines(name))


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, escaped, longest first; refuses an empty list.

    >>> alternation(["HTX", "Hợp tác xã"])
    '(?:Hợp\\\\ tác\\\\ xã|HTX)'
    """
    items = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not items:
        raise ValueError("alternation of an empty word list would match everything")
    return "(?:" + "|".join(regex.escape(w) for w in items) + ")"
