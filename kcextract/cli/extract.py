"""``kcextract extract PATH... -o OUT.jsonl``: one JSON line per article."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract records from files, folders or - (stdin)")
    p.add_argument("paths", nargs="+", help="files or folders (walked recursively); - for stdin")
    p.add_argument("-o", "--output", default="-", help="output JSONL (default: stdout)")
    p.add_argument("--no-models", action="store_true", help="rules only")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kcextract.api import iter_extract
    from kcextract.errors import Reject
    from kcextract.ingest import document_from_text
    from kcextract.pipeline import load_pipeline

    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    failed = 0
    try:
        for path in args.paths:
            if path == "-":
                raw = sys.stdin.read()
                items = [load_pipeline(not args.no_models)(document_from_text(raw, "stdin", "-"))]
            elif not Path(path).exists():
                items = [Reject(path, "KC-E001", "file not found")]
            else:
                items = iter_extract(path, not args.no_models)
            for item in items:
                if isinstance(item, Reject):
                    failed += 1
                    print(f"kcextract: {item}", file=sys.stderr)
                    continue
                out.write(item.model_dump_json() + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if failed else 0
