"""``kcextract validate GOLD... [--corpus DIR ...]``: check gold files; exit 1 on any error."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check gold <doc_id>.json files against the record format")
    p.add_argument("gold", nargs="+", help="gold files or folders of *.json")
    p.add_argument(
        "--corpus",
        action="append",
        help="article files or folders (repeatable): check that texts occur in their article",
    )
    p.add_argument("--strict", action="store_true", help="warnings count as problems too")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kcextract.validate import gold_files, validate_paths

    n_files = len(list(gold_files(args.gold)))
    problems = validate_paths(args.gold, args.corpus)
    for pr in problems:
        print(pr)
    errors = sum(pr.severity == "error" for pr in problems)
    warnings = len(problems) - errors
    print(f"{n_files} gold files: {errors} errors, {warnings} warnings")
    return 1 if errors or (args.strict and warnings) else 0
