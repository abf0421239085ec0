"""Ingest (placeholder): plain text only; the full reader replaces this module."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kcextract.document import Document, MappedText
from kcextract.errors import IngestError, Reject


def document_from_text(raw: str, doc_id: str, source: str | None = None) -> Document:
    clean = MappedText.identity(raw)
    first = raw.split("\n", 1)[0].strip()
    return Document(doc_id=doc_id, raw=raw, clean=clean, source=source, title=first or None)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file())
        else:
            yield p


def read_path(path: str | Path) -> Iterator[Document | Reject]:
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        yield Reject.from_error(IngestError("KC-E002", str(p), str(exc)))
        return
    yield document_from_text(raw, p.stem, str(p))
