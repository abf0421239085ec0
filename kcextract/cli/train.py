"""``kcextract train --gold DIR... --out models/NAME``: train, measure, write a model bundle."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train the attribute, span and relevance models from gold files",
        description="Train on all gold given (default: annotations/ and ../shared/gold), "
        "cross-validate rules only / model only / combined per field by document, and "
        "write models/NAME with a MODEL_CARD.md per model and enabled.json (the fields "
        "where combined beats rules only).",
    )
    p.add_argument("--gold", nargs="+", type=Path, help="gold folders (default: all available)")
    p.add_argument("--corpus", nargs="+", type=Path, help="article folders (default: all known)")
    p.add_argument("--out", required=True, type=Path, help="bundle folder, e.g. models/kc-2026")
    p.add_argument(
        "--only", nargs="+", choices=("attributes", "spans", "relevance"), help="models to train"
    )
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (by document)")
    p.add_argument(
        "--no-activate", action="store_true", help="do not point models/enabled.json at it"
    )
    p.add_argument(
        "--keep-rules",
        nargs=2,
        action="append",
        metavar=("FIELD", "REASON"),
        help="keep FIELD (e.g. organizations.names) on rules whatever the CV says; repeatable",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kcextract.models.compare import joint_table, markdown_table
    from kcextract.models.train import WHAT, train_bundle

    summary = train_bundle(
        args.out,
        gold_dirs=args.gold,
        corpus_dirs=args.corpus,
        what=args.only or WHAT,
        folds=args.folds,
        activate=not args.no_activate,
        keep_rules=dict(args.keep_rules or []),
    )
    if "comparison" in summary:
        print(markdown_table(summary["comparison"], summary.get("chosen", {})))
        print()
        print(joint_table(summary["comparison"]))
    if "relevance" in summary:
        r = summary["relevance"]
        for name in ("overall", "without_general"):
            s = r[name]
            print(f"relevance {name}: precision {s['precision']:.3f} recall {s['recall']:.3f}")
        if r.get("gold_unseen"):
            g = r["gold_unseen"]
            print(f"relevance gold_unseen: precision {g['precision']:.3f} recall {g['recall']:.3f}")
    print(f"wrote {args.out}")
    return 0
