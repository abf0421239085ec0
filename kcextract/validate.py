"""Check hand-annotated gold files against the record format (``schema.Record``) and the spec.

Errors (the file is not usable as gold):

* not JSON, or not a valid ``Record`` (unknown fields, wrong enums, bad dates);
* ``doc_id`` differs from the file stem;
* a text value that is not NFC with white space folded (spec, top of "Record format");
* with a corpus: no article with that ``doc_id``, or an amount / period / target ``text``
  that does not occur in the article's clean text (both sides NFC and whitespace-folded).

Warnings: two facts of one list with the same matching key (``evaluate`` counts them once).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from kcextract.canon import fold_ws
from kcextract.document import Document
from kcextract.evaluate import FACT_MODELS, TYPES
from kcextract.schema import FACT_FIELDS, Record

# Fields whose ``text`` is a surface form that must occur in the article (spec, "Grounding").
GROUNDED_TEXT = ("amounts", "periods", "targets")
# String fields of facts that the spec wants NFC and whitespace-folded.
_TEXT_FIELDS = ("text", "name", "title", "unit", "per")


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about one gold file."""

    path: str
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.severity}: {self.message}"


def gold_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The ``*.json`` files of each folder (sorted), or the files themselves."""
    for p in map(Path, paths):
        yield from sorted(p.glob("*.json")) if p.is_dir() else [p]


def index_documents(
    paths: Iterable[str | Path], wanted: set[str] | None = None
) -> tuple[dict[str, Document], list[Problem]]:
    """Documents under ``paths`` by ``doc_id`` (every file read with ``ingest.read_path``,
    so a JSONL dump gives all its articles; with ``wanted``, only those ids are kept), and
    a problem for each input that could not be read."""
    from kcextract.ingest import iter_files, read_path

    docs: dict[str, Document] = {}
    unread: list[Problem] = []
    for file in iter_files(paths):
        try:
            for item in read_path(file):
                if isinstance(item, Document):
                    if wanted is None or item.doc_id in wanted:
                        docs.setdefault(item.doc_id, item)
                else:
                    unread.append(Problem(item.source, "error", f"article not read: {item}"))
        except Exception as exc:  # a reader bug on one file must not hide the other checks
            unread.append(
                Problem(str(file), "error", f"article not read: {type(exc).__name__}: {exc}")
            )
    return docs, unread


def _field_names() -> set[str]:
    return set(Record.model_fields).union(*(m.model_fields for m in FACT_MODELS.values()))


def _schema_messages(exc: ValidationError) -> list[str]:
    """One message per bad value. A union (``start``: year or month) reports one error per
    branch, with the branch's tag (``int``, ``constrained-str``) after the field name: those
    are merged into one line."""
    fields = _field_names()
    groups: dict[tuple[tuple, str], list[str]] = {}
    for e in exc.errors():
        loc = tuple(e["loc"])
        tagged = e["type"] != "extra_forbidden"  # an extra field's name is not a tag
        while tagged and len(loc) > 1 and isinstance(loc[-1], str) and loc[-1] not in fields:
            loc = loc[:-1]  # a union branch tag, not a field
        groups.setdefault((loc, repr(e.get("input"))), []).append(e["msg"])
    return [
        f"{'.'.join(map(str, loc))}: {'; or '.join(msgs)} (got {value})"
        for (loc, value), msgs in groups.items()
    ]


def check_record(record: Record, path: str, article: Document | None = None) -> list[Problem]:
    """Spec checks on a record that already validated against ``schema.Record``."""
    problems: list[Problem] = []

    def add(severity: str, message: str) -> None:
        problems.append(Problem(path, severity, message))

    stem = Path(path).stem
    if record.doc_id != stem:
        add("error", f"doc_id {record.doc_id!r} differs from the file name {stem!r}")
    named = [
        ("title", record.title),
        *((f"provinces[{i}]", v) for i, v in enumerate(record.provinces)),
    ]
    for field, value in named:
        if value is not None and value != fold_ws(value):
            add("error", f"{field} {value!r} is not NFC with white space folded")
    clean = fold_ws(article.text) if article is not None else None
    for ftype in FACT_FIELDS:
        seen: dict[object, int] = {}
        for i, fact in enumerate(getattr(record, ftype)):
            for attr in _TEXT_FIELDS:
                value = getattr(fact, attr, None)
                if isinstance(value, str) and value != fold_ws(value):
                    add(
                        "error", f"{ftype}[{i}].{attr} {value!r} is not NFC with white space folded"
                    )
            key = TYPES[ftype].dedupe(fact.model_dump())
            if key in seen:
                add(
                    "warning",
                    f"{ftype}[{i}] has the same matching key as {ftype}[{seen[key]}] ({key!r}); "
                    "evaluation counts them once",
                )
            seen.setdefault(key, i)
            if clean is not None and ftype in GROUNDED_TEXT and fold_ws(fact.text) not in clean:
                add("error", f"{ftype}[{i}].text {fact.text!r} does not occur in the article")
    return problems


def validate_file(path: str | Path, articles: dict[str, Document] | None = None) -> list[Problem]:
    """All problems of one gold file; ``articles`` (doc_id -> Document) enables text checks."""
    p = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [Problem(p, "error", f"not a readable JSON file: {exc}")]
    try:
        record = Record.model_validate(data)
    except ValidationError as exc:
        return [Problem(p, "error", m) for m in _schema_messages(exc)]
    article = None
    if articles is not None:
        article = articles.get(record.doc_id)
        if article is None:
            return [
                *check_record(record, p),
                Problem(p, "error", f"no article with doc_id {record.doc_id!r} in the corpus"),
            ]
    return check_record(record, p, article)


def validate_paths(
    gold: Iterable[str | Path], corpus: Iterable[str | Path] | None = None
) -> list[Problem]:
    """Problems of every gold file under ``gold``; with ``corpus``, texts are checked too."""
    files = list(gold_files(gold))
    articles, unread = None, []
    if corpus is not None:
        articles, unread = index_documents(corpus, {f.stem for f in files})
    return [*unread, *(pr for f in files for pr in validate_file(f, articles))]
