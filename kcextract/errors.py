"""Stable error codes: every reject and warning names one, so they can be counted."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# code -> short meaning
CODES: dict[str, str] = {
    "KC-E001": "file not found",
    "KC-E002": "file unreadable",
    "KC-E003": "binary file, not text",
    "KC-E004": "empty document",
    "KC-E005": "malformed JSONL line",
    "KC-E006": "JSONL record without text",
    "KC-E007": "text could not be decoded",
    "KC-E008": "unsupported file type",
    "KC-E100": "pipeline failed on this document",
    "KC-W001": "programme parts do not add up to its total",
    "KC-W050": "a model failed on this document; the rules' facts are kept",
}


class IngestError(Exception):
    """A document that cannot be read; names the file (and line) and the problem."""

    def __init__(
        self,
        code: str,
        source: str,
        message: str,
        line: int | None = None,
        doc_id: str | None = None,
    ) -> None:
        self.code = code
        self.source = source
        self.line = line
        self.doc_id = doc_id
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {code} {message}")


@dataclass(slots=True)
class Reject:
    """One input that produced no record, with why."""

    source: str
    code: str
    message: str
    doc_id: str | None = None
    line: int | None = None

    @classmethod
    def from_error(cls, err: IngestError) -> Reject:
        return cls(err.source, err.code, err.message, err.doc_id, err.line)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.code} {self.message}"
