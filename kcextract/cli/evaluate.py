"""``kcextract evaluate PRED.jsonl --gold DIR [--gold DIR ...] [--json FILE]``: scores."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score predicted records against gold files")
    p.add_argument("predictions", help="predicted records, JSONL (- for stdin)")
    p.add_argument("gold_dirs", nargs="*", help="gold folders (same as --gold)")
    p.add_argument(
        "--gold", action="append", default=[], help="folder of gold <doc_id>.json (repeatable)"
    )
    p.add_argument("--json", dest="json_out", help="write the full report (JSON) here")
    p.add_argument("--worst", type=int, default=5, help="how many worst documents to list")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kcextract.evaluate import evaluate, format_report, load_gold, load_predictions

    dirs = [*args.gold, *args.gold_dirs]
    if not dirs:
        raise SystemExit("kcextract evaluate: give at least one --gold DIR")
    report = evaluate(load_predictions(args.predictions), load_gold(dirs))
    print(format_report(report, args.worst))
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0
