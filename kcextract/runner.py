"""The driver of ``kcextract run``: inputs to records, rejects, tables, report and manifest.

:func:`run` cuts the inputs into units (``batch.iter_units``), gives each unit the documents
it may skip (``batch.DoneIndex``: same key, content and pipeline version as a stored row),
sends the units in batches through an engine (``kcextract.engines``) to
``batch.process_units``, keeps every finished row (``batch.ResultStore``), and then writes
the outputs in input order, each atomically, so that a resumed run writes the same bytes as
an uninterrupted one.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kcextract.batch import (
    UNIT_SCHEMA,
    UNREADABLE,
    DoneIndex,
    FileInfo,
    ResultStore,
    atomic_write,
    doc_key,
    estimate_documents,
    iter_units,
    model_versions,
    peak_rss_kb,
    pipeline_version,
)
from kcextract.errors import Reject


@dataclass
class RunOptions:
    out: Path
    engine: str = "local"
    jobs: int = 1
    batch_size: int = 32  # documents per task (dump lines, or files)
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


def _unit_batches(
    units: Iterator[dict[str, Any]], opts: RunOptions, done: DoneIndex, config_hash: str,
    missing: list[dict[str, Any]],
) -> Iterator[pa.RecordBatch]:  # fmt: skip
    """Units grouped into batches of about ``batch_size`` documents."""
    pending: list[dict[str, Any]] = []
    size = 0
    budget = opts.limit
    for unit in units:
        if unit.pop("missing", False):
            missing.append(unit)
            continue
        if budget is not None:
            if budget <= 0:
                break
            if unit["first_line"] is not None and unit["n_lines"] > budget:
                unit["payload"] = _first_lines(unit["payload"], budget)
                unit["n_lines"] = budget
            budget -= unit["n_lines"]
        unit["done"] = json.dumps(done.for_unit(unit), ensure_ascii=False)
        unit["config_hash"] = config_hash
        pending.append(unit)
        size += unit["n_lines"]
        if size >= opts.batch_size:
            yield pa.RecordBatch.from_pylist(pending, schema=UNIT_SCHEMA)
            pending, size = [], 0
    if pending:
        yield pa.RecordBatch.from_pylist(pending, schema=UNIT_SCHEMA)


def unit_batches(
    paths: Iterable[str | Path], batch_size: int = 32, config_hash: str = "",
    done: dict[str, dict[str, Any]] | None = None,
) -> list[pa.RecordBatch]:  # fmt: skip
    """The unit batches a run would send for ``paths`` (for tests and benchmarks)."""
    opts = RunOptions(out=Path("."), batch_size=batch_size)
    units = iter_units(paths, batch_size, {})
    return list(_unit_batches(units, opts, DoneIndex(done or {}, config_hash), config_hash, []))


def _first_lines(payload: bytes, n: int) -> bytes:
    """The start of a dump chunk holding its first ``n`` non-blank lines.

    >>> _first_lines(b"a\\n\\nb\\nc\\n", 2)
    b'a\\n\\nb\\n'
    """
    lines = payload.split(b"\n")
    seen = 0
    for i, line in enumerate(lines):
        seen += bool(line.strip())
        if seen == n:
            return b"\n".join(lines[: i + 1]) + b"\n"
    return payload


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
    config_hash = pipeline_version(opts.use_models)  # config hash (+ model files)
    store = ResultStore(out)
    stored = store.load()
    done = DoneIndex({} if opts.force else stored, config_hash)

    total = estimate_documents(paths)
    if opts.limit is not None:
        total = min(total, opts.limit)
    files: dict[str, FileInfo] = {}
    missing: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []  # this run's rows, without records and texts
    records_new: dict[str, str] = {}
    raws: dict[str, str] = {}
    counts = {"done": 0, "rejects": 0, "skipped": 0, "processed": 0}
    worker_peak: dict[str, int] = {}
    worker_cpu: dict[str, float] = {}
    doc_seconds = 0.0

    t_pipe, cpu_pipe = time.perf_counter(), time.process_time()
    first_result: float | None = None
    units = iter_units(paths, opts.batch_size, files)
    batches = _unit_batches(units, opts, done, config_hash, missing)
    engine = get_engine(opts.engine, opts.jobs, opts.use_models, config_hash, **opts.engine_options)
    with engine:
        for result in engine.imap(batches):
            if first_result is None:
                first_result = time.perf_counter() - t_pipe
            keep = pc.and_(pc.not_equal(result.column("status"), "skipped"),
                           pc.is_valid(result.column("content_hash")))  # fmt: skip
            store.append(result.filter(keep))
            for row in result.to_pylist():
                if row["worker"] is not None and row["worker_peak_rss_kb"] is not None:
                    w = row["worker"]
                    worker_peak[w] = max(worker_peak.get(w, 0), row["worker_peak_rss_kb"])
                    worker_cpu[w] = max(worker_cpu.get(w, 0.0), row["worker_cpu_s"] or 0.0)
                doc_seconds += row["seconds"] or 0.0
                raw, record = row.pop("raw"), row.pop("record")
                if raw is not None and len(raws) < opts.report_texts:
                    raws[row["key"]] = raw
                if record is not None:
                    records_new[row["key"]] = record
                rows.append(row)
                counts["done"] += 1
                counts["rejects"] += row["status"] == "reject"
                counts["skipped"] += row["status"] == "skipped"
                counts["processed"] += (
                    row["status"] != "skipped" and row["content_hash"] is not None
                )
            if progress:
                progress(counts["done"], max(total, counts["done"]), counts["rejects"], False)
    pipeline_wall = time.perf_counter() - t_pipe
    driver_cpu = time.process_time() - cpu_pipe
    for unit in missing:  # a path that could not be read at all: as read_path says
        rej = next(iter(_read_missing(unit["path"])))
        rows.append({"key": doc_key(unit["resolved"], None, None), "unit": unit["unit"],
                     "position": 0, "path": unit["path"], "doc_id": rej.doc_id,
                     "line": rej.line, "status": "reject", "error_code": rej.code,
                     "error_message": rej.message})  # fmt: skip
        counts["rejects"] += 1
    rows.sort(key=lambda r: (r["unit"], r["position"]))
    if progress:
        progress(len(rows), len(rows), counts["rejects"], True)

    # Assemble the outputs in input order.
    t_write = time.perf_counter()
    store.compact({r["key"] for r in rows})
    records: list[str] = []
    rejects: list[dict[str, Any]] = []
    doc_rows: list[dict[str, Any]] = []  # one per record: key, path, doc_id
    per_file: dict[str, dict[str, int]] = {}
    for row in rows:
        stats = per_file.setdefault(row["path"], {"documents": 0, "records": 0, "rejects": 0})
        stats["documents"] += 1
        final = row
        if row["status"] == "skipped":
            final = stored[row["key"]]
        if final["status"] == "ok":
            records.append(records_new.get(row["key"]) or final["record"])
            doc_rows.append({"key": row["key"], "path": row["path"], "doc_id": row["doc_id"]})
            stats["records"] += 1
        else:
            rejects.append({"path": row["path"], "doc_id": row["doc_id"], "line": row["line"],
                            "code": final["error_code"], "message": final["error_message"]})  # fmt: skip
            stats["rejects"] += 1
    if len(records) + len(rejects) != len(rows):  # every input accounted for
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

    manifest: dict[str, Any] = {
        "kcextract": __version__,
        "versions": _versions(),
        "models": model_versions(pipe.config),
        "config": pipe.config,
        "config_hash": pipe.config_hash,
        "pipeline_version": config_hash,
        "engine": {
            "name": opts.engine,
            "jobs": opts.jobs,
            "batch_size": opts.batch_size,
            **engine.info,
        },
        "arguments": [str(p) for p in paths],
        "inputs": [
            {
                "path": f.path,
                "bytes": f.bytes,
                "sha256": f.sha256,
                "units": len(f.units),
                **per_file.get(f.path, {"documents": 0, "records": 0, "rejects": 0}),
            }
            for f in files.values()
        ],
        "counts": {
            "inputs": len(rows),
            "records": len(records),
            "rejects": len(rejects),
            "skipped_resumed": counts["skipped"],
            "processed": counts["processed"],
            "rejects_by_code": _count_codes(rejects),
            "tables": {name: len(df) for name, df in tables.items()},
        },
        "workers": {
            "peak_rss_kb": worker_peak,
            "cpu_s": {w: round(v, 3) for w, v in worker_cpu.items()},
        },
        "timings": {
            "started": _iso(t_start),
            "pipeline_wall_s": round(pipeline_wall, 3),
            "first_result_s": round(first_result or 0.0, 3),
            "driver_cpu_during_pipeline_s": round(driver_cpu, 3),
            "documents_s": round(doc_seconds, 3),  # sum of per-document times in workers
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
    manifest["driver_peak_rss_kb"] = peak_rss_kb()
    with atomic_write(out / "manifest.json") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return RunResult(len(records), len(rejects), len(rows), counts["skipped"],
                     counts["processed"], manifest)  # fmt: skip


def _read_missing(path: str) -> Iterator[Reject]:
    from kcextract.ingest import read_path

    for item in read_path(path):
        if isinstance(item, Reject):
            yield item
            return
    yield Reject(path, UNREADABLE, "file unreadable")


def _count_codes(rejects: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rejects:
        out[r["code"]] = out.get(r["code"], 0) + 1
    return dict(sorted(out.items()))


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
