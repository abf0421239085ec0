"""``kcextract show FILE``: an article's facts, each with its evidence in context."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="print an article's facts with their evidence")
    p.add_argument("path")
    p.add_argument("--no-models", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kcextract.errors import Reject
    from kcextract.ingest import read_path
    from kcextract.pipeline import load_pipeline

    pipe = load_pipeline(not args.no_models)
    code = 0
    for doc in read_path(args.path):  # each file read once: the record and its raw text
        if isinstance(doc, Reject):
            print(f"kcextract: {doc}", file=sys.stderr)
            code = 1
            continue
        rec, raw = pipe(doc), doc.raw
        print(
            f"# {rec.doc_id}: {rec.title!r}  published={rec.published}  provinces={rec.provinces}"
        )
        for w in rec.warnings:
            print(f"  ! {w}")
        for field in ("amounts", "organizations", "projects", "periods", "targets", "programmes"):
            facts = getattr(rec, field)
            if not facts:
                continue
            print(f"## {field} ({len(facts)})")
            for f in facts:
                d = f.model_dump(exclude={"spans"})
                label = d.pop("text", None) or d.pop("name", None) or d.pop("title", None)
                print(f"  - {label}  {d}")
                for s, e in getattr(f, "spans", [])[:3]:
                    ctx = raw[max(0, s - 40) : s] + "[" + raw[s:e] + "]" + raw[e : e + 40]
                    print("      …" + " ".join(ctx.split()) + "…")
    return code
