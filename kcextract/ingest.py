"""Files to :class:`Document` values: decode, HTML to text, normalize, read metadata.

Inputs: ``.txt`` (any other suffix is read as text too), ``.html``/``.htm``, and crawler dumps
``.jsonl`` (one article per line; text under ``text``, ``content`` or ``body``; optional ``id``,
``title``, ``url``, ``published``).

Grounding (spec, "Grounding"): ``Document.raw`` is the article's text as decoded from its file
before any cleaning (the decoded .txt file; the decoded HTML page, markup included; the decoded
value of a JSONL text field), and ``Document.clean`` maps every character back into it.

Decoding (:func:`decode_bytes`): a BOM decides (UTF-8, UTF-16, UTF-32); then strict UTF-8;
then legacy candidates (windows-1258, the HTML ``charset``, charset-normalizer's guesses,
windows-1252) scored by how many Vietnamese letters they give (windows-1258 decodes tone marks
as combining characters, so NFC comes after, in ``textnorm``). NUL bytes without a UTF-16
pattern, or a decoding full of control characters, mean a binary file.

Problems never stop a batch: :func:`read_path` yields a :class:`Reject` (with an ``errors.py``
code, the file and the line) and goes on.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kcextract import metadata
from kcextract.document import Document, MappedText
from kcextract.errors import IngestError, Reject
from kcextract.htmltext import html_to_text
from kcextract.textnorm import VIET_LETTERS, normalize

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
TEXT_FIELDS = ("text", "content", "body")
# Legacy encodings tried when a file is not UTF-8, best first on a tie.
LEGACY_CANDIDATES = ("cp1258", "cp1252", "latin-1")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# Vietnamese letters outside Latin-1: a windows-1252 misreading never produces them.
_VIET_ONLY = frozenset(c for c in VIET_LETTERS if ord(c) > 0xFF)
_LOOKS_HTML = re.compile(r"<(?:p|div|br|html|body|article|span|h[1-6])\b[^>]*>", re.IGNORECASE)


# -- decoding ------------------------------------------------------------------------------
def viet_score(text: str) -> int:
    """How Vietnamese a decoding looks: Vietnamese letters minus control and mojibake marks.

    >>> raw = b"Khuy\\xea\\xecn c\\xf4ng"  # "Khuyến công" in windows-1258
    >>> viet_score(raw.decode("cp1258")) > viet_score(raw.decode("cp1252"))
    True
    """
    text = unicodedata.normalize("NFC", text)
    letters = sum(1 for c in text if c in _VIET_ONLY)
    bad = len(_CONTROL.findall(text))
    # Combining marks that did not compose onto a letter are a wrong guess.
    stray = sum(1 for c in text if unicodedata.combining(c))
    return letters - 5 * bad - 2 * stray


def decode_bytes(data: bytes, source: str = "<bytes>", declared: str | None = None) -> str:
    """Decode a file's bytes (see the module docstring); raises :class:`IngestError`.

    >>> decode_bytes("Cao Bằng".encode("utf-16"))
    'Cao Bằng'
    >>> decode_bytes(b"\\xef\\xbb\\xbfB\\xe1\\xba\\xafc")
    'Bắc'
    >>> import unicodedata
    >>> unicodedata.normalize("NFC", decode_bytes(b"Khuy\\xea\\xecn c\\xf4ng ti\\xd2nh"))
    'Khuyến công tỉnh'
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc)
            except UnicodeDecodeError as exc:
                raise IngestError("KC-E007", source, f"bad {enc} after its BOM: {exc}") from exc
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise IngestError("KC-E003", source, "binary file (NUL bytes), not text")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, source, declared)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM: NULs in every other byte."""
    n = len(data) - len(data) % 2
    if n < 4:
        return None
    even = data[0:n:2].count(0)
    odd = data[1:n:2].count(0)
    for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros > 0.3 * (n // 2) and min(even, odd) < 0.05 * (n // 2):
            try:
                text = data[:n].decode(enc)
            except UnicodeDecodeError:
                continue
            if len(_CONTROL.findall(text)) <= 0.01 * len(text):
                return text
    return None


def _decode_legacy(data: bytes, source: str, declared: str | None) -> str:
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    candidates.append("cp1258")
    try:
        from charset_normalizer import from_bytes

        for match in list(from_bytes(data, cp_isolation=None))[:3]:
            candidates.append(match.encoding)
    except Exception:  # the detector is a hint only
        pass
    candidates.extend(LEGACY_CANDIDATES)
    best: tuple[int, int, str] | None = None
    seen: set[str] = set()
    for rank, enc in enumerate(candidates):
        try:
            name = codecs.lookup(enc).name
        except LookupError:
            continue
        if name in seen or name.startswith("utf-8"):
            continue
        seen.add(name)
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        key = (viet_score(text), -rank, text)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        raise IngestError("KC-E007", source, "text could not be decoded")
    text = best[2]
    if len(_CONTROL.findall(text)) > 0.02 * max(1, len(text)):
        raise IngestError("KC-E003", source, "binary file (control bytes), not text")
    return text


# -- documents -----------------------------------------------------------------------------
_RANGE = array("l", range(1 << 16))


def _identity(raw: str) -> MappedText:
    """``MappedText.identity`` without building a range per call (arrays slice fast)."""
    global _RANGE
    n = len(raw)
    if n + 1 > len(_RANGE):
        _RANGE = array("l", range(2 * (n + 1)))
    return MappedText(raw, _RANGE[0:n], _RANGE[1 : n + 1])


def document_from_text(raw: str, doc_id: str, source: str | None = None) -> Document:
    """A Document for a plain-text article (title on its first real line)."""
    clean = normalize(_identity(raw))
    doc = Document(doc_id=doc_id, raw=raw, clean=clean, source=source)
    metadata.fill_text(doc)
    return doc


def document_from_html(raw: str, doc_id: str, source: str | None = None) -> Document:
    """A Document for an HTML page: its article text, mapped into the page."""
    ht = html_to_text(raw)
    doc = Document(doc_id=doc_id, raw=raw, clean=normalize(ht.text), source=source)
    doc.meta["html"] = ht.meta
    metadata.fill_html(doc, ht.meta)
    return doc


def document_from_record(
    rec: dict[str, Any], doc_id: str, source: str | None = None, field: str = "text"
) -> Document:
    """A Document for one crawler-dump record; the text field alone makes the clean text."""
    raw = rec[field]
    if _LOOKS_HTML.search(raw[:2000]):
        doc = document_from_html(raw, doc_id, source)
    else:
        doc = Document(doc_id=doc_id, raw=raw, clean=normalize(_identity(raw)), source=source)
    for key in ("url", "source", "category"):
        if isinstance(rec.get(key), str):
            doc.meta[key] = rec[key]
    metadata.fill_record(doc, rec)
    return doc


ARTICLE_SUFFIXES = frozenset({".txt", ".text"}) | HTML_SUFFIXES | JSONL_SUFFIXES


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file under the given files and folders, folders walked in sorted order.

    Hidden files and folders (``.git``) are skipped; a path that does not exist is yielded
    as is, so :func:`read_path` can reject it by name.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for q in sorted(p.rglob("*")):
                rel = q.relative_to(p).parts
                # A folder's README.md or PROVENANCE.tsv is not an article: walking a folder
                # takes the article suffixes only (a file named explicitly is always read).
                if (
                    q.is_file()
                    and not any(part.startswith(".") for part in rel)
                    and q.suffix.lower() in ARTICLE_SUFFIXES
                ):
                    yield q
        else:
            yield p


def _read_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError("KC-E001", str(p), "file not found") from exc
    except IsADirectoryError as exc:
        raise IngestError("KC-E002", str(p), "is a directory") from exc
    except OSError as exc:
        raise IngestError("KC-E002", str(p), f"file unreadable: {exc.strerror or exc}") from exc


def read_path(path: str | Path) -> Iterator[Document | Reject]:
    """The articles of one file (a JSONL dump gives many), or rejects saying what is wrong."""
    p = Path(path)
    src = str(p)
    try:
        data = _read_bytes(p)
        suffix = p.suffix.lower()
        declared = None
        if suffix in HTML_SUFFIXES:
            m = _CHARSET.search(data[:4096])
            declared = m.group(1).decode("ascii", "replace") if m else None
        raw = decode_bytes(data, src, declared)
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(raw, p)
            return
        if not raw.strip():
            raise IngestError("KC-E004", src, "empty document")
        doc = (document_from_html if suffix in HTML_SUFFIXES else document_from_text)(
            raw, p.stem, src
        )
        if not doc.text.strip():
            raise IngestError("KC-E004", src, "no article text (empty after cleaning)")
        yield doc
    except IngestError as err:
        yield Reject.from_error(err)


def _read_jsonl(raw: str, p: Path) -> Iterator[Document | Reject]:
    src = str(p)
    any_line = False
    for lineno, line in enumerate(raw.split("\n"), 1):
        if not line.strip():
            continue
        any_line = True
        try:
            yield _jsonl_document(line, lineno, p)
        except IngestError as err:
            yield Reject.from_error(err)
    if not any_line:
        yield Reject(src, "KC-E004", "empty document")


def _jsonl_document(line: str, lineno: int, p: Path) -> Document:
    src = str(p)
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError("KC-E005", src, f"malformed JSONL line: {exc.msg}", lineno) from exc
    if not isinstance(rec, dict):
        raise IngestError("KC-E005", src, "JSONL line is not an object", lineno)
    rid = rec.get("id")
    doc_id = str(rid) if isinstance(rid, (str, int)) and str(rid).strip() else f"{p.stem}:{lineno}"
    field = next((f for f in TEXT_FIELDS if isinstance(rec.get(f), str) and rec[f].strip()), None)
    if field is None:
        raise IngestError("KC-E006", src, "JSONL record without text", lineno, doc_id)
    doc = document_from_record(rec, doc_id, src, field)
    if not doc.text.strip():
        raise IngestError("KC-E004", src, "no article text (empty after cleaning)", lineno, doc_id)
    doc.meta["line"] = lineno
    return doc
