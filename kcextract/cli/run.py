"""``kcextract run PATH... --out DIR``: the batch job (records, rejects, tables, report)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="run over folders and crawler dumps: records, rejects, tables, report, manifest",
        description="Process every article under PATH...; re-running resumes (skips documents "
        "already done with the same content and pipeline).",
    )
    p.add_argument("paths", nargs="+", help="files, folders (walked) or .jsonl crawler dumps")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--jobs", type=int, default=_default_jobs(), help="worker processes")
    p.add_argument("--engine", choices=("local", "dask", "spark"), default="local")
    p.add_argument("--scheduler", help="dask: scheduler address (default: a LocalCluster)")
    p.add_argument("--master", help="spark: master URL (default: the session's, or local[N])")
    p.add_argument("--batch-size", type=int, default=32, help="documents per task")
    p.add_argument("--force", action="store_true", help="redo documents already done")
    p.add_argument("--limit", type=int, help="only the first N inputs (for trials)")
    p.add_argument("--no-models", action="store_true", help="rules only")
    p.add_argument("--no-report", action="store_true", help="skip report.html")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kcextract.progress import Progress
    from kcextract.runner import RunOptions
    from kcextract.runner import run as run_batch

    options: dict[str, object] = {}
    if args.engine == "dask" and args.scheduler:
        options["scheduler"] = args.scheduler
    if args.engine == "spark" and args.master:
        options["master"] = args.master
    opts = RunOptions(
        out=args.out,
        engine=args.engine,
        jobs=args.jobs,
        batch_size=args.batch_size,
        force=args.force,
        use_models=not args.no_models,
        limit=args.limit,
        report=not args.no_report,
        engine_options=options,
    )
    try:
        res = run_batch(args.paths, opts, None if args.quiet else Progress())
    except KeyboardInterrupt:
        print("\nkcextract run: interrupted; the same command resumes where it stopped",
              file=sys.stderr)  # fmt: skip
        return 130
    t = res.manifest["timings"]
    print(
        f"kcextract run: {res.inputs} inputs -> {res.records} records, {res.rejects} rejects "
        f"({res.skipped} already done, {res.processed} processed) in {t['total_s']:.1f}s; "
        f"see {args.out}/",
        file=sys.stderr,
    )
    return 0 if res.records or not res.inputs else 1


if __name__ == "__main__":  # spark-submit .../kcextract/cli/run.py PATH... --engine spark
    from kcextract.cli import main

    sys.exit(main(["run", *sys.argv[1:]]))
