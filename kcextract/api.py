"""The public functions (re-exported by ``kcextract``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kcextract.errors import IngestError, Reject
from kcextract.pipeline import load_pipeline
from kcextract.schema import RecordOut


def extract_text(text: str, doc_id: str = "doc", use_models: bool = True) -> RecordOut:
    """One record for an article given as plain text (its first line is the headline)."""
    from kcextract.ingest import document_from_text

    return load_pipeline(use_models)(document_from_text(text, doc_id))


def iter_extract(path: str | Path, use_models: bool = True) -> Iterator[RecordOut | Reject]:
    """Records (or rejects) for every article in a file or folder, in order."""
    from kcextract.ingest import iter_files, read_path

    pipe = load_pipeline(use_models)
    for file in iter_files([path]):
        for item in read_path(file):
            if isinstance(item, Reject):
                yield item
                continue
            try:
                yield pipe(item)
            except Exception as exc:  # one document never stops the others
                yield Reject(
                    item.source or str(file), "KC-E100", f"{type(exc).__name__}: {exc}", item.doc_id
                )


def extract_path(path: str | Path, use_models: bool = True) -> list[RecordOut]:
    """Records for every article in a file (a JSONL dump gives many) or folder.

    Raises ``IngestError`` for the first input that cannot be read.
    """
    out: list[RecordOut] = []
    for item in iter_extract(path, use_models):
        if isinstance(item, Reject):
            raise IngestError(item.code, item.source, item.message, item.line, item.doc_id)
        out.append(item)
    return out
