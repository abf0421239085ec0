"""Training material: gold records paired with their articles, and gold facts found in text.

A gold file says *what* an article states (``"18,246 tỷ đồng"``, ``"Hợp tác xã Phi Đoàn"``)
but not *where*; the models need the words around it. :func:`locate` finds every
occurrence of a gold surface form in the article's clean text, tolerant of white space
and, for organization names, of the legal form written short (``HTX`` for ``Hợp tác xã``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from kcextract.canon import LEGAL_FORMS, fold_ws
from kcextract.document import Document
from kcextract.segment import sentences

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def default_gold_dirs() -> list[Path]:
    """``annotations/`` and the shared gold folders, those that exist."""
    dirs = [REPO / "annotations", SHARED / "gold" / "seeds", SHARED / "gold" / "real-dev"]
    return [d for d in dirs if d.exists()]


def default_corpus_dirs() -> list[Path]:
    """Where the articles of those gold files are: ``corpus/`` and the shared corpora."""
    dirs = [REPO / "corpus"] + [SHARED / "corpus" / n for n in ("seeds", "real", "real2")]
    return [d for d in dirs if d.exists()]


@dataclass(slots=True)
class GoldDoc:
    """One gold record with its article and sentence spans (clean offsets)."""

    doc_id: str
    gold: dict[str, Any]
    doc: Document
    sentences: list[tuple[int, int]]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return max(0, pos - 200), min(len(self.doc.text), pos + 200)


def index_articles(corpus_dirs: Iterable[Path], wanted: set[str] | None = None) -> dict:
    """``doc_id -> Document`` for every article under the folders (JSONL dumps give many)."""
    from kcextract.errors import Reject
    from kcextract.ingest import iter_files, read_path

    out: dict[str, Document] = {}
    for file in iter_files(list(corpus_dirs)):
        if file.suffix.lower() not in {".txt", ".html", ".htm", ".jsonl", ".json"}:
            continue
        if file.suffix.lower() != ".jsonl" and wanted is not None and file.stem not in wanted:
            continue
        try:
            items = list(read_path(file))
        except (OSError, ValueError):  # an unreadable file is the ingest tests' business
            continue
        for item in items:
            if isinstance(item, Reject):
                continue
            if wanted is None or item.doc_id in wanted:
                out.setdefault(item.doc_id, item)
    return out


def load_gold_docs(
    gold_dirs: Sequence[Path] | None = None, corpus_dirs: Sequence[Path] | None = None
) -> list[GoldDoc]:
    """Every gold record whose article is found, sorted by ``doc_id`` (reproducible order)."""
    from kcextract.evaluate import load_gold

    golds = load_gold(gold_dirs or default_gold_dirs())
    wanted = {g["doc_id"] for g in golds}
    docs = index_articles(corpus_dirs or default_corpus_dirs(), wanted)
    out = []
    for g in sorted(golds, key=lambda r: r["doc_id"]):
        doc = docs.get(g["doc_id"])
        if doc is not None:
            out.append(GoldDoc(g["doc_id"], g, doc, sentences(doc.text, doc.body_start)))
    return out


def _pattern(needle: str, loose: bool) -> str:
    parts = [regex.escape(p) for p in fold_ws(needle).split(" ") if p]
    body = r"\s+".join(parts)
    if not loose:
        return r"(?<!\w)" + body + r"(?!\w)"
    # Scraped text glues words ("thực hiện4.170,0 triệu đồngthực hiện", seed-001): keep
    # only the guard that stops a number from matching inside a longer number.
    head = r"(?<![\d.,])" if needle[:1].isdigit() else ""
    tail = r"(?![\d])" if needle[-1:].isdigit() else ""
    return head + body + tail


@cache
def _compiled(needle: str, ignore_case: bool, loose: bool) -> regex.Pattern:
    return regex.compile(_pattern(needle, loose), regex.IGNORECASE if ignore_case else 0)


def locate(text: str, needle: str) -> list[tuple[int, int]]:
    """Clean-text spans of every occurrence of ``needle``: whole words in the exact case,
    then in any case, then glued to neighbouring words.

    >>> locate("Tổng 18,246 tỷ\\nđồng; 18,246 tỷ đồng.", "18,246 tỷ đồng")
    [(5, 19), (21, 35)]
    >>> locate("thực hiện4.170,0 triệu đồngthực hiện", "4.170,0 triệu đồng")
    [(9, 27)]
    """
    if not needle.strip():
        return []
    for ignore_case, loose in ((False, False), (True, False), (True, True)):
        found = [m.span() for m in _compiled(needle, ignore_case, loose).finditer(text)]
        if found:
            return found
    return []


def org_variants(name: str) -> list[str]:
    """The canonical name and the same with its legal form written short.

    >>> org_variants("Hợp tác xã Phi Đoàn")
    ['Hợp tác xã Phi Đoàn', 'HTX Phi Đoàn']
    """
    out = [name]
    for short, long in LEGAL_FORMS.items():
        if name.startswith(long + " "):
            out.append(short + name[len(long) :])
    return list(dict.fromkeys(out))


def locate_fact(text: str, field: str, fact: dict[str, Any]) -> list[tuple[int, int]]:
    """Where a gold fact is written: amounts and targets by ``text``, organizations by name
    (short legal forms too), projects by title."""
    if field in ("amounts", "targets", "periods"):
        return locate(text, fact.get("text") or "")
    if field == "organizations":
        spans: list[tuple[int, int]] = []
        for v in org_variants(fact.get("name") or ""):
            spans += locate(text, v)
        return sorted(set(spans))
    if field == "projects":
        return locate(text, fact.get("title") or "")
    return []
