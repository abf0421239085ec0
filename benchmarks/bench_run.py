"""Benchmark of ``kcextract run``: articles/s and peak memory, per stage, and a scale curve.

    .venv/bin/python benchmarks/bench_run.py [--corpus ../shared/corpus/general]

Prints, for the crawler dump of ``--corpus`` (10,643 articles in ``general``):

1. ``--jobs 1`` and ``--jobs 2`` over the whole corpus: articles/s (pipeline, and end to
   end with tables and report), the speed-up, and peak RSS of the driver and of each worker;
2. the time per pipeline stage (ingest, sentences, each extractor, linking, grounding and
   validation, JSON), measured in this process on the first ``--stage-sample`` articles;
3. a scale curve with ``--jobs 2``: 1k, 5k and all articles, with peak RSS per worker
   (flat when nothing grows with the number of articles).

Each run is a fresh ``kcextract run`` process into a temporary folder. On a shared machine,
other processes' load distorts the speed-up: the script prints the load average beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "general"


def run_cli(corpus: Path, out: Path, jobs: int, limit: int | None, report: bool) -> dict:
    """One ``kcextract run`` in a child process; its manifest plus wall time and child RSS."""
    cmd = [sys.executable, "-c", "import sys; from kcextract.cli import main; "
           "sys.exit(main(sys.argv[1:]))", "run", str(corpus), "--out", str(out),
           "--jobs", str(jobs), "--quiet"]  # fmt: skip
    if limit:
        cmd += ["--limit", str(limit)]
    if not report:
        cmd.append("--no-report")
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, check=False)
    if res.returncode:
        sys.exit(f"kcextract run failed ({res.returncode}):\n{res.stderr[-3000:]}")
    wall = time.perf_counter() - t0
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    man["_wall"] = wall
    man["_load"] = load
    return man


def summary(man: dict) -> dict:
    n = man["counts"]["inputs"]
    t = man["timings"]
    workers = sorted(man["workers"]["peak_rss_kb"].values())
    cpu = sum(man["workers"].get("cpu_s", {}).values())
    return {
        "worker_cpu_s": cpu,
        "articles": n,
        "pipeline_aps": n / t["pipeline_wall_s"],
        "end_to_end_aps": n / man["_wall"],
        "wall_s": man["_wall"],
        "driver_mb": man["driver_peak_rss_kb"] / 1024,
        "worker_mb": [w / 1024 for w in workers],
        "load": man["_load"],
    }


def show(label: str, s: dict) -> None:
    workers = ", ".join(f"{w:.0f}" for w in s["worker_mb"])
    print(f"{label:<12} {s['articles']:>6} articles  pipeline {s['pipeline_aps']:7.1f} art/s  "
          f"end-to-end {s['end_to_end_aps']:7.1f} art/s ({s['wall_s']:.1f} s)  "
          f"peak RSS driver {s['driver_mb']:.0f} MB, workers [{workers}] MB  "
          f"workers' CPU {s['worker_cpu_s']:.1f} s  "
          f"(load avg before: {s['load']:.2f})", flush=True)  # fmt: skip


def stage_times(corpus: Path, sample: int) -> dict[str, float]:
    """Seconds per article in each pipeline stage, over the first ``sample`` articles."""
    import kcextract.link as link_mod
    import kcextract.pipeline as pipeline_mod
    from kcextract.ingest import iter_files, read_path

    acc: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                acc[name] += time.perf_counter() - t0

        return wrapper

    pipe = pipeline_mod.Pipeline()
    pipe.extractors = [
        replace(e, find=timed(f"{e.field}.find", e.find), build=timed(f"{e.field}.build", e.build))
        for e in pipe.extractors
    ]
    pipeline_mod.sentences = timed("sentences", pipeline_mod.sentences)
    link_mod.link = timed("link", link_mod.link)
    docs = []
    t0 = time.perf_counter()
    for f in iter_files([corpus]):
        for d in read_path(f):
            if hasattr(d, "raw"):
                docs.append(d)
            if len(docs) >= sample:
                break
        if len(docs) >= sample:
            break
    acc["ingest"] = time.perf_counter() - t0
    total = 0.0
    for d in docs:
        t0 = time.perf_counter()
        rec = pipe(d)
        total += time.perf_counter() - t0
        t1 = time.perf_counter()
        rec.model_dump_json()
        acc["json"] += time.perf_counter() - t1
    inner = sum(v for k, v in acc.items() if k not in ("ingest", "json"))
    acc["rest (grounding, models, validation)"] = total - inner
    return {k: v / len(docs) for k, v in acc.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sizes", default="1000,5000", help="scale curve sizes (all is added)")
    ap.add_argument("--stage-sample", type=int, default=1000)
    ap.add_argument("--skip-jobs", action="store_true", help="skip the jobs 1 vs 2 runs")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each jobs setting (best kept)")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-stages", action="store_true")
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    print(f"corpus {args.corpus}, {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="kc-bench-") as tmp:
        results: dict[str, dict] = {}
        if not args.skip_jobs:
            print("\n== jobs 1 vs jobs 2 (whole corpus, tables and report included)")
            for rep in range(args.repeat):
                for jobs in (1, 2):  # alternated, so a burst of load hits both alike
                    out = Path(tmp) / f"j{jobs}-{rep}"
                    s = summary(run_cli(args.corpus, out, jobs, None, True))
                    show(f"--jobs {jobs}", s)
                    best = results.get(f"jobs{jobs}")
                    if best is None or s["pipeline_aps"] > best["pipeline_aps"]:
                        results[f"jobs{jobs}"] = s
            a, b = results["jobs1"], results["jobs2"]
            print(f"speed-up --jobs 2 / --jobs 1 (best of {args.repeat}): pipeline {b['pipeline_aps'] / a['pipeline_aps']:.2f}x, "
                  f"end to end {b['end_to_end_aps'] / a['end_to_end_aps']:.2f}x")  # fmt: skip
        if not args.skip_stages:
            print(f"\n== time per stage (first {args.stage_sample} articles, one process)")
            stages = stage_times(args.corpus, args.stage_sample)
            total = sum(stages.values())
            for k, v in sorted(stages.items(), key=lambda kv: -kv[1]):
                print(f"  {k:<38} {v * 1000:8.3f} ms/article  {100 * v / total:5.1f}%")
            print(f"  {'total':<38} {total * 1000:8.3f} ms/article")
        if not args.skip_scale:
            print("\n== scale curve (--jobs 2, no report)")
            sizes = [int(x) for x in args.sizes.split(",") if x] + [0]
            for size in sizes:
                s = summary(run_cli(args.corpus, Path(tmp) / f"s{size}", 2, size or None, False))
                show(f"{size or 'all'}", s)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\nlargest child process peak RSS: {child:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
