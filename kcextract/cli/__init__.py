"""The ``kcextract`` command: one module per command, each a few lines over the library.

Each command module defines ``add_parser(subparsers)``, which registers the command and
sets ``func`` (taking the parsed arguments, returning an exit code). Heavy imports happen
inside ``func`` so that ``kcextract --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("extract", "show", "evaluate", "validate", "run", "train")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kcextract",
        description="Extract structured khuyến công programme data from Vietnamese news articles.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"kcextract.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kcextract.cli.{name}":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code = int(args.func(args) or 0)
    return code


def entry() -> None:
    sys.exit(main())
