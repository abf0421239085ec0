"""Amounts: placeholder extractor (finds nothing yet)."""

from __future__ import annotations

from typing import Any

from kcextract.document import Document, Mention
from kcextract.extract import Context, register


def find(doc: Document) -> list[Mention]:
    return []


def build(doc: Document, mentions: list[Mention], ctx: Context) -> list[Any]:
    return []


register("amounts.v1", "amounts", find, build)
