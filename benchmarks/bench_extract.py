"""Benchmark of plain ``kcextract extract`` (one process) over a crawler dump.

    .venv/bin/python benchmarks/bench_extract.py [--dump ../shared/corpus/general/vi_econ_news.jsonl]

Runs ``kcextract extract DUMP -o records.jsonl`` in a child process and prints articles/s
and the child's peak RSS: the baseline that ``kcextract run`` (benchmarks/bench_run.py)
is compared with.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DUMP = REPO.parent / "shared" / "corpus" / "general" / "vi_econ_news.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dump", type=Path, default=DEFAULT_DUMP)
    args = ap.parse_args()
    if not args.dump.exists():
        print(f"no dump at {args.dump}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kc-bench-") as tmp:
        out = Path(tmp) / "records.jsonl"
        code = "import sys; from kcextract.cli import main; sys.exit(main(sys.argv[1:]))"
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", code, "extract", str(args.dump), "-o",
                              str(out)], stderr=subprocess.DEVNULL, check=False)  # fmt: skip
        wall = time.perf_counter() - t0
        n = sum(1 for _ in out.open(encoding="utf-8"))
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"kcextract extract {args.dump.name}: {n} records in {wall:.1f} s = {n / wall:.1f} "
          f"articles/s, peak RSS {rss:.0f} MB, exit {res.returncode} "
          f"(load avg before: {load:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
