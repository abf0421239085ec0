"""Batch runs, engine-free: documents in, rows of one fixed Arrow schema out.

The core is :func:`process_batch`: a ``pyarrow.RecordBatch`` of documents (``DOC_SCHEMA``)
in, a ``RecordBatch`` of results (``RESULT_SCHEMA``) out, one row per document, and it never
raises for one document: a failure becomes a reject row (``ok`` false, an error code). The
engines (``kcextract.engines``: local processes, Dask, Spark) only move those batches around;
the pipeline is loaded lazily, once per worker process (``load_pipeline`` is cached), because
underthesea's loaded ``CRFTagger`` cannot be pickled.

Around the core, the driver side of ``kcextract run``:

* :func:`scan_inputs` walks files and crawler dumps (``kcextract.ingest``) and gives every
  input a stable key, ``(resolved path, doc_id, occurrence)``, and a content hash;
* :class:`ResultStore` keeps finished result rows in ``DIR/.kcextract/parts/`` (Arrow files,
  each written atomically), so a run killed at any point is resumed by skipping documents
  whose key, content hash and pipeline config hash already have a row;
* :func:`run` ties it together and writes ``records.jsonl``, ``rejects.jsonl``, the tables,
  the report and ``manifest.json``, each atomically, in input order (so a resumed run and an
  uninterrupted one write the same bytes).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import platform
import resource
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.ipc as ipc

from kcextract.document import Document
from kcextract.errors import Reject

# What an engine ships to a worker: the key, and the ingested Document, pickled (it holds
# the raw text and the clean text's offset map; the engines never look inside).
DOC_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("path", pa.string()),
        ("doc_id", pa.string()),
        ("content_hash", pa.string()),
        ("document", pa.binary()),
    ]
)

# What comes back: one row per document, whether it gave a record or a reject.
RESULT_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("path", pa.string()),
        ("doc_id", pa.string()),
        ("content_hash", pa.string()),
        ("config_hash", pa.string()),
        ("ok", pa.bool_()),
        ("record", pa.string()),  # RecordOut JSON, null for a reject
        ("error_code", pa.string()),
        ("error_message", pa.string()),
        ("seconds", pa.float64()),  # pipeline time of this document
        ("worker", pa.string()),  # host:pid that ran it
        ("worker_peak_rss_kb", pa.int64()),  # that worker's peak RSS so far
    ]
)

STATE_DIR = ".kcextract"
PIPELINE_ERROR = "KC-E100"


def content_hash(raw: str) -> str:
    """SHA-256 of a document's decoded source text (the resume identity of its content).

    >>> content_hash("Tiêu đề")[:12]
    'df5a00098bcc'
    """
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def doc_key(path: str, doc_id: str, occurrence: int = 0) -> str:
    """The key of one input document: its file, its id, and which repeat of that id it is.

    A crawler dump can hold one id twice; the occurrence keeps both.

    >>> doc_key("/data/a.jsonl", "vntc:1")
    '/data/a.jsonl\\tvntc:1\\t0'
    """
    return f"{path}\t{doc_id}\t{occurrence}"


# --- the core ---------------------------------------------------------------------------


def _peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def process_batch(batch: pa.RecordBatch, use_models: bool = True) -> pa.RecordBatch:
    """Run the pipeline over a batch of documents (``DOC_SCHEMA``); rows of ``RESULT_SCHEMA``.

    Never raises for one document: an unreadable payload or a pipeline error becomes a row
    with ``ok`` false and an error code. The pipeline is built on first use in this process.
    """
    from kcextract.pipeline import load_pipeline

    pipe = load_pipeline(use_models)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    cols = batch.to_pydict()
    out: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}
    for i in range(batch.num_rows):
        t0 = time.perf_counter()
        record = code = message = None
        try:
            doc = pickle.loads(cols["document"][i])
            record = pipe(doc).model_dump_json()
        except Exception as exc:  # one document never stops the others
            code, message = PIPELINE_ERROR, f"{type(exc).__name__}: {exc}"
        for name in ("key", "path", "doc_id", "content_hash"):
            out[name].append(cols[name][i])
        out["config_hash"].append(pipe.config_hash)
        out["ok"].append(record is not None)
        out["record"].append(record)
        out["error_code"].append(code)
        out["error_message"].append(message)
        out["seconds"].append(time.perf_counter() - t0)
        out["worker"].append(worker)
        out["worker_peak_rss_kb"].append(_peak_rss_kb())
    return pa.RecordBatch.from_pydict(out, schema=RESULT_SCHEMA)


def process_batches(
    batches: Iterable[pa.RecordBatch], use_models: bool = True
) -> Iterator[pa.RecordBatch]:
    """:func:`process_batch` over a stream of batches (the shape ``mapInArrow`` wants)."""
    for batch in batches:
        yield process_batch(batch, use_models)


def failed_batch(batch: pa.RecordBatch, config_hash: str, message: str) -> pa.RecordBatch:
    """Reject rows for every document of ``batch`` (when its worker died on it)."""
    n = batch.num_rows
    cols = batch.to_pydict()
    data: dict[str, list[Any]] = {
        **{name: cols[name] for name in ("key", "path", "doc_id", "content_hash")},
        "config_hash": [config_hash] * n,
        "ok": [False] * n,
        "record": [None] * n,
        "error_code": [PIPELINE_ERROR] * n,
        "error_message": [message] * n,
        "seconds": [0.0] * n,
        "worker": [None] * n,
        "worker_peak_rss_kb": [None] * n,
    }
    return pa.RecordBatch.from_pydict(data, schema=RESULT_SCHEMA)


def split_batch(batch: pa.RecordBatch) -> list[pa.RecordBatch]:
    """One single-document batch per row (to find the document that kills a worker)."""
    return [batch.slice(i, 1) for i in range(batch.num_rows)]


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


# --- inputs ---------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One input: a document to run, or a reject from reading it."""

    key: str
    path: str  # as given on the command line (walked)
    doc_id: str | None
    content_hash: str | None
    doc: Document | None = None
    reject: Reject | None = None


def _reject_key(path: str, reject: Reject, n: int) -> str:
    return f"{path}\t{reject.doc_id or ''}\t!{reject.line if reject.line is not None else n}"


def scan_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Every document (or reject) under ``paths``, in walk order, with its key and hash.

    A path that does not exist is a ``KC-E001`` reject; a reader that fails on a file is a
    ``KC-E002`` reject for that file, so every input is accounted for.
    """
    from kcextract.ingest import iter_files, read_path

    seen: dict[tuple[str, str], int] = {}
    n = 0
    for given in paths:
        if not Path(given).exists():
            yield Item(f"{given}\t\t!missing", str(given), None, None, None,
                       Reject(str(given), "KC-E001", "file not found"))  # fmt: skip
            continue
        for file in iter_files([given]):
            resolved = str(Path(file).resolve())
            try:
                for thing in read_path(file):
                    n += 1
                    if isinstance(thing, Reject):
                        yield Item(_reject_key(resolved, thing, n), str(file), thing.doc_id,
                                   None, None, thing)  # fmt: skip
                        continue
                    occ = seen.get((resolved, thing.doc_id), 0)
                    seen[(resolved, thing.doc_id)] = occ + 1
                    yield Item(doc_key(resolved, thing.doc_id, occ), str(file), thing.doc_id,
                               content_hash(thing.raw), thing)  # fmt: skip
            except Exception as exc:  # a reader bug on one file never stops the run
                n += 1
                rej = Reject(str(file), "KC-E002", f"{type(exc).__name__}: {exc}")
                yield Item(_reject_key(resolved, rej, n), str(file), None, None, None, rej)


def to_doc_batch(items: list[Item]) -> pa.RecordBatch:
    """The ``DOC_SCHEMA`` batch of documents to ship to a worker."""
    data = {
        "key": [it.key for it in items],
        "path": [it.path for it in items],
        "doc_id": [it.doc_id for it in items],
        "content_hash": [it.content_hash for it in items],
        "document": [pickle.dumps(it.doc, protocol=pickle.HIGHEST_PROTOCOL) for it in items],
    }
    return pa.RecordBatch.from_pydict(data, schema=DOC_SCHEMA)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def estimate_documents(paths: Iterable[str | Path]) -> int:
    """A quick guess of how many documents ``paths`` hold, for the progress bar's ETA.

    One per file, one per non-blank line of a ``.jsonl`` dump; the bar is corrected once
    reading is finished.
    """
    from kcextract.ingest import iter_files

    total = 0
    for given in paths:
        if not Path(given).exists():
            total += 1
            continue
        for file in iter_files([given]):
            if Path(file).suffix.lower() == ".jsonl":
                with open(file, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total


# --- resume state -----------------------------------------------------------------------


class ResultStore:
    """Finished result rows of ``DIR``, kept as Arrow part files in ``DIR/.kcextract/parts``.

    Each part is written to a temporary name and renamed, so a killed run leaves whole parts
    only; later parts win over earlier ones for the same key.
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

    def append(self, table: pa.Table | pa.RecordBatch) -> Path:
        self._seq += 1
        path = self.dir / f"part-{self._seq:08d}.arrow"
        with (
            atomic_write(path, "wb", durable=False) as fh,
            ipc.new_file(fh, RESULT_SCHEMA) as writer,
        ):
            writer.write(table)
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


# --- the run -------------------------------------------------------------------------------


@dataclass
class RunOptions:
    out: Path
    engine: str = "local"
    jobs: int = 1
    batch_size: int = 32
    force: bool = False
    use_models: bool = True
    limit: int | None = None
    report: bool = True
    tables: bool = True
    report_texts: int = 20000
    engine_options: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunResult:
    records: int
    rejects: int
    inputs: int
    skipped: int
    processed: int
    manifest: dict[str, Any]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("kcextract", "underthesea", "spacy", "pydantic", "pyarrow", "pandas", "regex"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def _model_versions(config: dict[str, Any]) -> dict[str, Any]:
    """Model names/versions the pipeline reports in its config (keys naming a model)."""
    return {k: v for k, v in config.items() if "model" in k}


def run(
    paths: list[str],
    opts: RunOptions,
    progress: Callable[[int, int, int, bool], None] | None = None,
) -> RunResult:
    """``kcextract run``: every document under ``paths`` to records, rejects, tables, report.

    ``progress(done, total, rejects, final)`` is called as batches finish.
    """
    from kcextract import __version__
    from kcextract.engines import get_engine
    from kcextract.pipeline import load_pipeline

    t_start = time.time()
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    pipe = load_pipeline(opts.use_models)
    config_hash = pipe.config_hash
    store = ResultStore(out)
    done_rows = {} if opts.force else store.load()

    order: list[Item] = []  # every input, without its Document once shipped
    raws: dict[str, str] = {}
    counts = {"skipped": 0, "processed": 0, "rejects": 0, "done": 0}
    total = [estimate_documents(paths)]
    if opts.limit is not None:
        total[0] = min(total[0], opts.limit)
    t_ingest = [0.0]

    def batches() -> Iterator[pa.RecordBatch]:
        pending: list[Item] = []
        t0 = time.perf_counter()
        for n, item in enumerate(scan_inputs(paths)):
            if opts.limit is not None and n >= opts.limit:
                break
            if item.doc is not None and len(raws) < opts.report_texts:
                raws[item.key] = item.doc.raw
            doc, item.doc = item.doc, None
            order.append(item)
            if doc is None:
                counts["rejects"] += 1
                counts["done"] += 1
                continue
            row = done_rows.get(item.key)
            if (
                row is not None
                and row["content_hash"] == item.content_hash
                and row["config_hash"] == config_hash
            ):
                counts["skipped"] += 1
                counts["done"] += 1
                counts["rejects"] += not row["ok"]
                continue
            item.doc = doc
            pending.append(item)
            if len(pending) >= opts.batch_size:
                batch = to_doc_batch(pending)
                for it in pending:
                    it.doc = None
                pending = []
                t_ingest[0] += time.perf_counter() - t0
                yield batch
                t0 = time.perf_counter()
        if pending:
            batch = to_doc_batch(pending)
            for it in pending:
                it.doc = None
            yield batch
        t_ingest[0] += time.perf_counter() - t0
        total[0] = len(order)

    t_pipe = time.perf_counter()
    worker_peak: dict[str, int] = {}
    doc_seconds = 0.0
    engine = get_engine(opts.engine, opts.jobs, opts.use_models, config_hash, **opts.engine_options)
    with engine:
        for result in engine.imap(batches()):
            store.append(result)
            cols = result.to_pydict()
            for w, rss in zip(cols["worker"], cols["worker_peak_rss_kb"], strict=True):
                if w is not None and rss is not None:
                    worker_peak[w] = max(worker_peak.get(w, 0), rss)
            doc_seconds += sum(cols["seconds"])
            counts["processed"] += result.num_rows
            counts["done"] += result.num_rows
            counts["rejects"] += sum(1 for ok in cols["ok"] if not ok)
            if progress:
                progress(counts["done"], max(total[0], counts["done"]), counts["rejects"], False)
    pipeline_wall = time.perf_counter() - t_pipe
    if progress:
        progress(counts["done"], len(order), counts["rejects"], True)

    # Assemble the outputs in input order from the stored rows.
    t_write = time.perf_counter()
    rows = store.load()
    store.compact({it.key for it in order})
    records: list[str] = []
    rejects: list[dict[str, Any]] = []
    doc_rows: list[dict[str, Any]] = []  # one per record: key, path, doc_id
    per_file: dict[str, dict[str, int]] = {}
    for it in order:
        stats = per_file.setdefault(it.path, {"documents": 0, "records": 0, "rejects": 0})
        stats["documents"] += 1
        if it.reject is not None:
            r = it.reject
            rejects.append({"path": it.path, "doc_id": r.doc_id, "line": r.line,
                            "code": r.code, "message": r.message})  # fmt: skip
            stats["rejects"] += 1
            continue
        row = rows.get(it.key)
        if row is None or row["content_hash"] != it.content_hash:
            row = {"ok": False, "error_code": PIPELINE_ERROR, "error_message": "no result"}
        if row["ok"]:
            records.append(row["record"])
            doc_rows.append({"key": it.key, "path": it.path, "doc_id": it.doc_id})
            stats["records"] += 1
        else:
            rejects.append({"path": it.path, "doc_id": it.doc_id, "line": None,
                            "code": row["error_code"], "message": row["error_message"]})  # fmt: skip
            stats["rejects"] += 1
    if len(records) + len(rejects) != len(order):  # every input accounted for
        raise AssertionError("records + rejects != inputs")

    with atomic_write(out / "records.jsonl") as fh:
        fh.writelines(r + "\n" for r in records)
    with atomic_write(out / "rejects.jsonl") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rejects)
    t_records = time.perf_counter() - t_write

    parsed = [json.loads(r) for r in records]
    t0 = time.perf_counter()
    tables: dict[str, Any] = {}
    if opts.tables or opts.report:
        from kcextract.datasets import build_tables, write_tables

        tables = build_tables(parsed, doc_rows)
        if opts.tables:
            write_tables(tables, out / "tables")
    t_tables = time.perf_counter() - t0

    inputs = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            from kcextract.ingest import iter_files

            files = list(iter_files([p]))
        else:
            files = [p] if p.exists() else []
        inputs.append({
            "path": str(given),
            "files": [
                {"path": str(f), "bytes": f.stat().st_size, "sha256": file_sha256(f),
                 **per_file.get(str(f), {"documents": 0, "records": 0, "rejects": 0})}
                for f in files
            ],
        })  # fmt: skip
    manifest: dict[str, Any] = {
        "kcextract": __version__,
        "versions": _versions(),
        "models": _model_versions(pipe.config),
        "config": pipe.config,
        "config_hash": config_hash,
        "engine": {
            "name": opts.engine,
            "jobs": opts.jobs,
            "batch_size": opts.batch_size,
            **engine.info,
        },
        "inputs": inputs,
        "counts": {
            "inputs": len(order),
            "records": len(records),
            "rejects": len(rejects),
            "skipped_resumed": counts["skipped"],
            "processed": counts["processed"],
            "rejects_by_code": _count_codes(rejects),
            "tables": {name: len(df) for name, df in tables.items()},
        },
        "workers": {"peak_rss_kb": worker_peak},
        "timings": {
            "started": _iso(t_start),
            "read_and_ship_s": round(t_ingest[0], 3),
            "pipeline_wall_s": round(pipeline_wall, 3),
            "pipeline_cpu_s": round(doc_seconds, 3),
            "records_s": round(t_records, 3),
            "tables_s": round(t_tables, 3),
        },
    }
    t0 = time.perf_counter()
    if opts.report:
        from kcextract.report import write_report

        write_report(out / "report.html", parsed, doc_rows, raws, tables, rejects, manifest)
    manifest["timings"]["report_s"] = round(time.perf_counter() - t0, 3)
    manifest["timings"]["total_s"] = round(time.time() - t_start, 3)
    manifest["timings"]["finished"] = _iso(time.time())
    manifest["driver_peak_rss_kb"] = _peak_rss_kb()
    with atomic_write(out / "manifest.json") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return RunResult(len(records), len(rejects), len(order), counts["skipped"],
                     counts["processed"], manifest)  # fmt: skip


def _count_codes(rejects: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rejects:
        out[r["code"]] = out.get(r["code"], 0) + 1
    return dict(sorted(out.items()))


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def log(message: str) -> None:
    print(f"kcextract run: {message}", file=sys.stderr, flush=True)
