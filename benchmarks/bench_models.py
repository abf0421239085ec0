"""Articles per second with and without the models.

    .venv/bin/python benchmarks/bench_models.py [PATH ...] [--repeat 3]

Default input: ``corpus/`` and ``../shared/corpus/{real,real2}``. Articles are read first
(ingest is not timed). Four settings, each over every article, best of ``--repeat``:

* ``rules``: ``Pipeline(use_models=False)``;
* ``models (enabled)``: ``Pipeline(use_models=True)``, i.e. the fields switched on in
  ``models/<bundle>/enabled.json``, plus the relevance score of each article;
* ``models (all on)``: every attribute model and the span tagger forced on (``combined``),
  plus relevance: the most the models can cost;
* ``relevance only``: the relevance score alone.

If ``Pipeline.run_context`` does not call ``apply_models`` yet, the benchmark calls it after
``run_context`` itself, so the figure is what the wired pipeline will cost.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kcextract.document import Document  # noqa: E402
from kcextract.errors import Reject  # noqa: E402
from kcextract.ingest import iter_files, read_path  # noqa: E402
from kcextract.models.apply import ALL_KEYS, apply_models  # noqa: E402
from kcextract.models.registry import active_bundle  # noqa: E402
from kcextract.models.relevance import score  # noqa: E402
from kcextract.pipeline import Pipeline  # noqa: E402

WIRED = "apply_models" in inspect.getsource(Pipeline.run_context)


class ModelPipeline(Pipeline):
    """The pipeline with the hook, whether or not ``pipeline.py`` has it yet."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        super().__init__(use_models=True)
        self.settings = settings

    def run_context(self, doc: Document) -> Any:
        if WIRED and self.settings is None:
            return super().run_context(doc)
        from kcextract.models.apply import apply_models as hook

        if WIRED:  # the wired pipeline applies the enabled settings; undo by running rules
            self.use_models = False
            ctx = super().run_context(doc)
            self.use_models = True
        else:
            ctx = super().run_context(doc)
        hook(doc, ctx, self.settings)
        return ctx


def load(paths: Sequence[str]) -> list[Document]:
    docs = []
    for file in iter_files(paths):
        for item in read_path(file):
            if not isinstance(item, Reject):
                docs.append(item)
    return docs


def rate(fn: Callable[[Document], Any], docs: Sequence[Document], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        best = min(best, time.perf_counter() - t0)
    return len(docs) / best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = [str(REPO / "corpus")] + [
        str(p)
        for p in (REPO.parent / "shared" / "corpus" / n for n in ("real", "real2"))
        if p.exists()
    ]
    ap.add_argument("paths", nargs="*", default=default)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    docs = load(args.paths)
    bundle = active_bundle()
    if bundle is None:
        print("no model bundle (models/enabled.json): run kcextract train first")
        return 1
    rules = Pipeline(use_models=False)
    enabled = ModelPipeline()
    all_on = ModelPipeline({k: "combined" for k in ALL_KEYS})
    for d in docs[:3]:  # warm caches (tables, models) before timing
        rules(d), enabled(d), all_on(d), score(d)
    chars = sum(len(d.text) for d in docs)
    print(f"{len(docs)} articles, {chars / len(docs):.0f} characters each on average")
    print(f"bundle: {bundle.path.name if bundle.path else '?'}; enabled: {bundle.settings}")
    print(f"hook wired in Pipeline.run_context: {WIRED}")
    base = rate(rules, docs, args.repeat)
    rows = [
        ("rules (--no-models)", base),
        ("models (enabled) + relevance", rate(lambda d: (enabled(d), score(d)), docs, args.repeat)),
        ("models (all on) + relevance", rate(lambda d: (all_on(d), score(d)), docs, args.repeat)),
        ("relevance score alone", rate(score, docs, args.repeat)),
    ]
    print("| setting | articles/s | relative to rules |")
    print("| --- | --- | --- |")
    for name, r in rows:
        print(f"| {name} | {r:.1f} | {r / base:.2f} |")
    _ = apply_models  # the hook under test (imported to fail early if it breaks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
