"""Extractors: one module per record field, each with the same anatomy.

Every extractor module defines

* ``find(doc) -> list[Mention]``: candidates with clean-text offsets (pure);
* ``build(doc, mentions, ctx) -> list[<Out model>]``: attributes read from context,
  facts returned with ``spans`` in *clean* offsets (the pipeline maps them to raw);

and registers itself with a versioned name, so a published evaluation can name exactly
what produced it. ``ctx`` carries what earlier extractors produced (``ctx.facts[field]``)
and the sentence boundaries; ``requires`` names the fields that must come earlier.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kcextract.document import Document, Mention


@dataclass(slots=True)
class Context:
    """What the extractors share for one document."""

    sentences: list[tuple[int, int]]
    facts: dict[str, list[Any]] = field(default_factory=dict)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The ``(start, end)`` of the sentence holding clean offset ``pos``."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s, e = self.sentences[mid]
            if pos < s:
                hi = mid - 1
            elif pos >= e:
                lo = mid + 1
            else:
                return s, e
        return (max(0, pos - 200), pos + 200)


FindFn = Callable[[Document], list[Mention]]
BuildFn = Callable[[Document, list[Mention], Context], list[Any]]


@dataclass(frozen=True, slots=True)
class Extractor:
    name: str
    field: str
    find: FindFn
    build: BuildFn
    requires: tuple[str, ...] = ()


REGISTRY: dict[str, Extractor] = {}


def register(
    name: str, field: str, find: FindFn, build: BuildFn, requires: tuple[str, ...] = ()
) -> Extractor:
    """Add an extractor under a versioned name (``amounts.v1``)."""
    if name in REGISTRY:
        raise ValueError(f"extractor {name!r} registered twice")
    ext = Extractor(name, field, find, build, requires)
    REGISTRY[name] = ext
    return ext
