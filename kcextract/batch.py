"""Batch runs, engine-free: source documents in, rows of one fixed Arrow schema out.

The core is :func:`process_units`: a ``pyarrow.RecordBatch`` of *units* (``UNIT_SCHEMA``: the
bytes of one file, or of a run of lines of a crawler dump) in, a ``RecordBatch`` of results
(``RESULT_SCHEMA``: one row per document, or per input that could not be read) out. It reads
each unit with ``kcextract.ingest.read_path``, runs the pipeline, and never raises for one
document: a failure becomes a reject row with an error code. Reading happens in the workers
too, so the driver only cuts files into units, and a Spark or Dask worker needs nothing but
the bytes it is sent. The pipeline is built lazily, once per worker process
(``load_pipeline`` is cached), because underthesea's loaded ``CRFTagger`` cannot be pickled.

Around the core, what the driver (``kcextract.runner``) uses from here:

* :func:`iter_units` walks files and crawler dumps and cuts them into units;
* :class:`ResultStore` keeps finished rows in ``DIR/.kcextract/parts/`` (Arrow files, each
  renamed into place whole), so a run killed at any point is resumed: a document whose key
  ``(path, doc_id, line)``, content hash (of its decoded text) and pipeline version
  (:func:`pipeline_version`: config hash, extraction code and data, model files) already
  have a row is skipped in the worker (``status`` ``skipped``), and :class:`DoneIndex` gives
  each unit those documents;
* :func:`atomic_write`, through which every output file is written.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import hashlib
import json
import os
import resource
import socket
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.ipc as ipc

from kcextract.errors import Reject

# What an engine ships to a worker: one file, or a run of lines of a .jsonl dump.
UNIT_SCHEMA = pa.schema(
    [
        ("unit", pa.int64()),  # position of the unit in the run's inputs
        ("path", pa.string()),  # the file, as walked from the command line
        ("resolved", pa.string()),  # its absolute path (part of every document's key)
        ("first_line", pa.int64()),  # null: a whole file; else the dump line it starts at
        ("n_lines", pa.int64()),  # non-blank lines in the unit (documents of a dump chunk)
        ("payload", pa.binary()),  # the bytes
        ("done", pa.string()),  # JSON {key: content hash} of documents already done
        ("config_hash", pa.string()),  # the driver's pipeline, for ``done``
    ]
)

# What comes back: one row per document (or per input that gave no document).
RESULT_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("unit", pa.int64()),
        ("position", pa.int64()),  # order within the unit
        ("path", pa.string()),
        ("doc_id", pa.string()),
        ("line", pa.int64()),  # line of a dump, else null
        ("status", pa.string()),  # ok | reject | skipped
        ("content_hash", pa.string()),  # null when the input could not be read
        ("config_hash", pa.string()),
        ("record", pa.string()),  # RecordOut JSON, for ok
        ("error_code", pa.string()),
        ("error_message", pa.string()),
        ("seconds", pa.float64()),  # reading + pipeline time of this document
        ("worker", pa.string()),  # host:pid that ran it
        ("worker_peak_rss_kb", pa.int64()),  # that worker's peak RSS so far
        ("worker_cpu_s", pa.float64()),  # that worker's CPU time so far
        ("raw", pa.string()),  # the decoded text (for the report); not kept in the store
    ]
)

STATE_DIR = ".kcextract"
PIPELINE_ERROR = "KC-E100"
UNREADABLE = "KC-E002"
WORKER_DIED = "worker process died on this input (BrokenProcessPool)"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def content_hash(raw: str) -> str:
    """SHA-256 of a document's decoded source text (the resume identity of its content).

    >>> content_hash("Tiêu đề")[:12]
    'df5a00098bcc'
    """
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def doc_key(resolved: str, doc_id: str | None, line: int | None) -> str:
    """The key of one input: its file, its id, and its line in a dump (a dump can repeat ids).

    >>> doc_key("/data/a.jsonl", "vntc:1", 7)
    '/data/a.jsonl\\tvntc:1\\t7'
    """
    return f"{resolved}\t{doc_id or ''}\t{line if line is not None else ''}"


# --- the core ---------------------------------------------------------------------------


# Package parts that do not change what a document's record is: editing them keeps results.
_NOT_EXTRACTION = frozenset(
    {"batch.py", "runner.py", "datasets.py", "report.py", "progress.py", "engines", "cli",
     "evaluate.py", "validate.py", "__pycache__"}
)  # fmt: skip


def code_hash() -> str:
    """SHA-256 (short) of the package's extraction code and data files.

    A record depends on the code that made it, not only on the pipeline's config: the tree
    is edited between runs, and a resumed run must not mix records of two versions.
    """
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if f.is_file() and f.suffix != ".pyc" and not (set(rel.parts) & _NOT_EXTRACTION):
            h.update(str(rel).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:12]


@cache
def pipeline_version(use_models: bool = True) -> str:
    """What a stored result must have been made with to be reused: the pipeline's config
    hash, the package's extraction code (``code_hash``), and the model files it loads.
    """
    from kcextract.pipeline import load_pipeline

    pipe = load_pipeline(use_models)
    files = model_versions(pipe.config).get("files", {}) if use_models else {}
    blob = json.dumps([pipe.config_hash, code_hash(), files], sort_keys=True).encode()
    return f"{pipe.config_hash}+{hashlib.sha256(blob).hexdigest()[:12]}"


def peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def read_unit(unit: dict[str, Any]) -> list[Any]:
    """The documents and rejects of one unit, as ``read_path`` gives them for the real file.

    The bytes are written to a private temporary file of the same name (a dump chunk is
    preceded by blank lines, so line numbers and fallback ids stay those of the whole dump);
    the ``source`` of what comes back is set to the real path.
    """
    from kcextract.ingest import read_path

    data = unit["payload"]
    if unit["first_line"] is not None:
        data = b"\n" * (unit["first_line"] - 1) + data
    with tempfile.TemporaryDirectory(prefix="kcextract-") as tmp:
        p = Path(tmp) / Path(unit["path"]).name
        p.write_bytes(data)
        items = list(read_path(p))
    for item in items:
        item.source = unit["path"]
    return items


def process_units(batch: pa.RecordBatch, use_models: bool = True) -> pa.RecordBatch:
    """Read and extract a batch of units (``UNIT_SCHEMA``); rows of ``RESULT_SCHEMA``.

    Never raises for one document: an unreadable input, or a pipeline error, becomes a row
    with ``status`` ``reject`` and an error code. A document whose key and content hash are
    in the unit's ``done`` map (for this pipeline) is not run again: ``status`` ``skipped``.
    """
    from kcextract.pipeline import load_pipeline

    pipe = load_pipeline(use_models)
    version = pipeline_version(use_models)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    out: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}

    def emit(**row: Any) -> None:
        row.setdefault("config_hash", version)
        row["worker"], row["worker_peak_rss_kb"] = worker, peak_rss_kb()
        row["worker_cpu_s"] = time.process_time()
        for name in RESULT_SCHEMA.names:
            out[name].append(row.get(name))

    for unit in batch.to_pylist():
        base = {"unit": unit["unit"], "path": unit["path"]}
        done = json.loads(unit["done"] or "{}") if unit["config_hash"] == version else {}
        t0 = time.perf_counter()
        try:
            items = read_unit(unit)
        except Exception as exc:  # a reader bug on one file never stops the run
            emit(**base, key=doc_key(unit["resolved"], None, unit["first_line"]), position=0,
                 line=unit["first_line"], status="reject", error_code=UNREADABLE,
                 error_message=f"{type(exc).__name__}: {exc}",
                 seconds=time.perf_counter() - t0)  # fmt: skip
            continue
        t_read = (time.perf_counter() - t0) / max(1, len(items))
        for pos, item in enumerate(items):
            t0 = time.perf_counter()
            if isinstance(item, Reject):
                emit(**base, key=doc_key(unit["resolved"], item.doc_id, item.line),
                     position=pos, doc_id=item.doc_id, line=item.line, status="reject",
                     error_code=item.code, error_message=item.message, seconds=t_read)  # fmt: skip
                continue
            line = item.meta.get("line") if unit["first_line"] is not None else None
            key = doc_key(unit["resolved"], item.doc_id, line)
            chash = content_hash(item.raw)
            row = {**base, "key": key, "position": pos, "doc_id": item.doc_id, "line": line,
                   "content_hash": chash, "raw": item.raw}  # fmt: skip
            if done.get(key) == chash:
                emit(**row, status="skipped", seconds=t_read)
                continue
            try:
                emit(**row, status="ok", record=pipe(item).model_dump_json(),
                     seconds=t_read + time.perf_counter() - t0)  # fmt: skip
            except Exception as exc:  # one document never stops the others
                emit(**row, status="reject", error_code=PIPELINE_ERROR,
                     error_message=f"{type(exc).__name__}: {exc}",
                     seconds=t_read + time.perf_counter() - t0)  # fmt: skip
    return pa.RecordBatch.from_pydict(out, schema=RESULT_SCHEMA)


def process_batches(
    batches: Iterable[pa.RecordBatch], use_models: bool = True
) -> Iterator[pa.RecordBatch]:
    """:func:`process_units` over a stream of batches (the shape ``mapInArrow`` wants)."""
    for batch in batches:
        yield process_units(batch, use_models)


def _unit_lines(unit: dict[str, Any]) -> list[int | None]:
    """Line numbers of the documents of a unit (``[None]`` for a whole file)."""
    if unit["first_line"] is None:
        return [None]
    lines = unit["payload"].split(b"\n")
    return [unit["first_line"] + i for i, ln in enumerate(lines) if ln.strip()]


def isolate(batch: pa.RecordBatch) -> list[pa.RecordBatch] | None:
    """Smaller batches to find the input a worker died on; None once it is one input.

    A batch of several units splits into units; a dump chunk splits into single lines.
    """
    if batch.num_rows > 1:
        return [batch.slice(i, 1) for i in range(batch.num_rows)]
    unit = batch.to_pylist()[0]
    lines = _unit_lines(unit)
    if len(lines) <= 1:
        return None
    raw_lines = unit["payload"].split(b"\n")
    out = []
    for ln in lines:
        assert ln is not None
        one = {**unit, "first_line": ln, "n_lines": 1,
               "payload": raw_lines[ln - unit["first_line"]] + b"\n"}  # fmt: skip
        out.append(pa.RecordBatch.from_pylist([one], schema=UNIT_SCHEMA))
    return out


def failed_rows(batch: pa.RecordBatch, message: str = WORKER_DIED) -> pa.RecordBatch:
    """Reject rows for every input of ``batch`` (when its worker died on it)."""
    out: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}
    for unit in batch.to_pylist():
        for pos, line in enumerate(_unit_lines(unit)):
            row = {"key": doc_key(unit["resolved"], None, line), "unit": unit["unit"],
                   "position": pos, "path": unit["path"], "line": line, "status": "reject",
                   "config_hash": unit["config_hash"], "error_code": PIPELINE_ERROR,
                   "error_message": message, "seconds": 0.0}  # fmt: skip
            for name in RESULT_SCHEMA.names:
                out[name].append(row.get(name))
    return pa.RecordBatch.from_pydict(out, schema=RESULT_SCHEMA)


# --- atomic files ---------------------------------------------------------------------


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", durable: bool = True) -> Iterator[IO[Any]]:
    """Write ``path`` through a temporary file beside it, renamed into place when complete.

    A reader (or a re-run after SIGKILL) sees the old file or the new one, never half of one.
    ``durable`` also flushes it to disk first (against power loss; a killed process needs
    only the rename).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    try:
        with open(tmp, mode, **kwargs) as fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- inputs: files cut into units ---------------------------------------------------------


@dataclass(slots=True)
class FileInfo:
    """What the manifest says about one input file."""

    path: str
    bytes: int = 0
    sha256: str | None = None
    units: list[int] = field(default_factory=list)


def chunk_lines(data: bytes, per_unit: int) -> Iterator[tuple[int, int, bytes]]:
    """``(first line, non-blank lines, bytes)`` runs of ``per_unit`` non-blank lines.

    >>> [(a, n, b) for a, n, b in chunk_lines(b'{"a":1}\\n\\n{"b":2}\\n{"c":3}\\n', 2)]
    [(1, 2, b'{"a":1}\\n\\n{"b":2}\\n'), (4, 1, b'{"c":3}\\n')]
    """
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    start, count = 0, 0
    for i, line in enumerate(lines):
        if line.strip():
            if count == per_unit:
                yield start + 1, count, b"\n".join(lines[start:i]) + b"\n"
                start, count = i, 0
            count += 1
    if count:
        yield start + 1, count, b"\n".join(lines[start:]) + b"\n"


def _splittable(data: bytes) -> bool:
    """A dump can be cut at line breaks when it is UTF-8 without a byte-order mark."""
    if data.startswith(_BOMS):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def iter_units(
    paths: Iterable[str | Path], lines_per_unit: int, files: dict[str, FileInfo]
) -> Iterator[dict[str, Any]]:
    """Units (dicts of ``UNIT_SCHEMA`` without ``done``) of every file under ``paths``.

    A ``.jsonl`` dump is cut into runs of ``lines_per_unit`` lines; any other file is one
    unit. A path that does not exist is a unit with no payload (read as ``KC-E001``).
    ``files`` is filled with each file's size and hash, for the manifest.
    """
    from kcextract.ingest import iter_files

    n = 0
    for file in iter_files(paths):
        p = Path(file)
        info = files.setdefault(str(p), FileInfo(str(p)))
        resolved = str(p.resolve())
        try:
            data = p.read_bytes()
        except OSError:
            data = None  # read_path rejects it, by name and reason, in the worker
        if data is not None:
            info.bytes, info.sha256 = len(data), hashlib.sha256(data).hexdigest()
        unit = {"path": str(p), "resolved": resolved, "first_line": None, "n_lines": 1}
        if data is None:
            info.units.append(n)
            yield {**unit, "unit": n, "payload": None, "missing": True}
            n += 1
        elif p.suffix.lower() in JSONL_SUFFIXES and _splittable(data):
            for first, count, chunk in chunk_lines(data, lines_per_unit):
                info.units.append(n)
                yield {**unit, "unit": n, "first_line": first, "n_lines": count,
                       "payload": chunk}  # fmt: skip
                n += 1
            if not data.strip():  # an empty dump is still an input
                info.units.append(n)
                yield {**unit, "unit": n, "payload": data}
                n += 1
        else:
            info.units.append(n)
            yield {**unit, "unit": n, "payload": data}
            n += 1


def estimate_documents(paths: Iterable[str | Path]) -> int:
    """A quick guess of how many documents ``paths`` hold, for the progress bar's ETA.

    One per file, one per non-blank line of a ``.jsonl`` dump; the bar is corrected once
    reading is finished.
    """
    from kcextract.ingest import iter_files

    total = 0
    for file in iter_files(paths):
        p = Path(file)
        if p.suffix.lower() in JSONL_SUFFIXES and p.is_file():
            with open(p, "rb") as fh:
                total += sum(1 for line in fh if line.strip())
        else:
            total += 1
    return total


# --- resume state -----------------------------------------------------------------------


class ResultStore:
    """Finished rows of ``DIR``, kept as Arrow part files in ``DIR/.kcextract/parts``.

    Each part is written to a temporary name and renamed, so a killed run leaves whole parts
    only; later parts win over earlier ones for the same key. The ``raw`` column is not kept.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.dir = Path(out_dir) / STATE_DIR / "parts"
        self.dir.mkdir(parents=True, exist_ok=True)
        for tmp in self.dir.glob(".*.tmp-*"):  # left by a killed run
            tmp.unlink(missing_ok=True)
        self._seq = max((int(p.stem.split("-")[1]) for p in self._parts()), default=0)

    def _parts(self) -> list[Path]:
        return sorted(self.dir.glob("part-*.arrow"))

    def load(self) -> dict[str, dict[str, Any]]:
        """The latest row for every key, as dicts."""
        rows: dict[str, dict[str, Any]] = {}
        for part in self._parts():
            with pa.memory_map(str(part)) as src:
                table = ipc.open_file(src).read_all()
            for row in table.to_pylist():
                rows[row["key"]] = row
        return rows

    def append(self, rows: pa.Table | pa.RecordBatch) -> Path | None:
        table = pa.Table.from_batches([rows]) if isinstance(rows, pa.RecordBatch) else rows
        if table.num_rows == 0:
            return None
        i = table.schema.get_field_index("raw")
        table = table.set_column(i, "raw", pa.nulls(table.num_rows, pa.string()))
        self._seq += 1
        path = self.dir / f"part-{self._seq:08d}.arrow"
        with (
            atomic_write(path, "wb", durable=False) as fh,
            ipc.new_file(fh, RESULT_SCHEMA) as writer,
        ):
            writer.write_table(table)
        return path

    def compact(self, keep: set[str]) -> None:
        """Rewrite all parts as one, keeping only the rows of ``keep`` keys."""
        parts = self._parts()
        if len(parts) <= 1:
            return
        rows = [r for k, r in self.load().items() if k in keep]
        self.append(pa.Table.from_pylist(rows, schema=RESULT_SCHEMA))
        for p in parts:
            p.unlink(missing_ok=True)


class DoneIndex:
    """Stored rows by file and line, to give each unit the documents it may skip."""

    def __init__(self, rows: dict[str, dict[str, Any]], config_hash: str) -> None:
        by_file: dict[str, list[tuple[int, str, str]]] = {}
        for key, row in rows.items():
            if row["config_hash"] != config_hash or not row["content_hash"]:
                continue
            resolved = key.split("\t", 1)[0]
            by_file.setdefault(resolved, []).append((row["line"] or 0, key, row["content_hash"]))
        for v in by_file.values():
            v.sort()
        self.by_file = by_file

    def for_unit(self, unit: dict[str, Any]) -> dict[str, str]:
        rows = self.by_file.get(unit["resolved"], [])
        if unit["first_line"] is None:
            return {k: h for _, k, h in rows}
        lo = unit["first_line"]
        hi = lo + unit["payload"].count(b"\n") + 1
        i = bisect.bisect_left(rows, (lo, "", ""))
        out = {}
        while i < len(rows) and rows[i][0] < hi:
            out[rows[i][1]] = rows[i][2]
            i += 1
        return out


# --- versions ------------------------------------------------------------------------------


def model_versions(config: dict[str, Any]) -> dict[str, Any]:
    """The model bundle the pipeline would use (``models/enabled.json``), with file hashes.

    Best effort: a pipeline without models, or a layout this does not know, gives ``{}``
    plus whatever the pipeline's config says about models.
    """
    out: dict[str, Any] = {k: v for k, v in config.items() if "model" in k}
    try:
        from kcextract.models import models_dir

        root = models_dir()
        enabled = json.loads((root / "enabled.json").read_text(encoding="utf-8"))
        out["enabled"] = enabled
        bundle = root / str(enabled.get("bundle", ""))
        if enabled.get("bundle") and bundle.is_dir():
            out["bundle"] = enabled["bundle"]
            out["files"] = {str(f.relative_to(bundle)): file_sha256(f)
                            for f in sorted(bundle.rglob("*")) if f.is_file()}  # fmt: skip
    except Exception:  # no models installed, or another layout: the config says enough
        pass
    return out


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
