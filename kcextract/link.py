"""Cross-field linking: placeholder (owned by the pipeline work)."""

from __future__ import annotations

from kcextract.document import Document
from kcextract.extract import Context


def link(doc: Document, ctx: Context) -> None:
    """Attach and dedupe facts across fields, in place on ``ctx``."""
    return None
