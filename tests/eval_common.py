"""What the evaluation gate measures, shared by ``test_eval_gate.py`` and ``update_floors.py``
so that the two cannot drift apart.

Two gold sets (paths relative to the repository):

* ``annotations``: ``annotations/*.json``, articles anywhere under ``corpus/`` (text, HTML
  or JSONL dumps; every file is extracted and the records are paired by ``doc_id``);
* ``shared``: ``../shared/gold/*/*.json``, articles ``../shared/corpus/*/<doc_id>.txt``
  (the files the before-stop hook extracts).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kcextract.api import iter_extract
from kcextract.errors import Reject
from kcextract.evaluate import evaluate, load_gold
from kcextract.ingest import iter_files
from kcextract.schema import RecordOut

REPO = Path(__file__).resolve().parents[1]
FLOORS = Path(__file__).with_name("eval_floors.json")
TOLERANCE = 1e-9
REPIN = "python tests/update_floors.py"


def _annotations_gold() -> list[Path]:
    return sorted((REPO / "annotations").glob("*.json"))


def _annotations_inputs(gold: list[dict[str, Any]]) -> list[Path]:
    return [REPO / "corpus"] if (REPO / "corpus").exists() else []


def _shared_gold() -> list[Path]:
    return sorted((REPO.parent / "shared" / "gold").glob("*/*.json"))


def _shared_inputs(gold: list[dict[str, Any]]) -> list[Path]:
    corpus = REPO.parent / "shared" / "corpus"
    return [f for g in gold for f in sorted(corpus.glob(f"*/{g['doc_id']}.txt"))]


# name -> (gold files, article inputs for those gold records, root the file names are relative to)
GOLD_SETS: dict[str, tuple[Callable[[], list[Path]], Callable[[list], list[Path]], Path]] = {
    "annotations": (_annotations_gold, _annotations_inputs, REPO / "annotations"),
    "shared": (_shared_gold, _shared_inputs, REPO.parent / "shared" / "gold"),
}


def gold_sha256(files: Iterable[Path], root: Path) -> str:
    """sha256 over the sorted gold files: each file's name (relative to ``root``) and bytes."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(f.read_bytes() + b"\0")
    return h.hexdigest()


def predict(inputs: Iterable[Path], doc_ids: set[str]) -> list[RecordOut]:
    """The rules' records for ``doc_ids`` (``api.iter_extract`` over ``inputs``).

    Rules only: the models are trained on these very gold files, so with them on the figures
    would be in-sample and would move with every retraining; the models' own figures are
    cross-validated by document (``kcextract train``, the bundle's MODEL_CARD.md).
    """
    out: list[RecordOut] = []
    for path in iter_files(inputs):
        try:  # one unreadable file costs its own documents only (they count as missed)
            out.extend(
                item
                for item in iter_extract(path, use_models=False)
                if not isinstance(item, Reject) and item.doc_id in doc_ids
            )
        except Exception as exc:
            print(f"eval gate: {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return out


def measure(name: str) -> dict[str, Any] | None:
    """The set's hash and the evaluation report of the current pipeline (None: no gold)."""
    gold_of, inputs_of, root = GOLD_SETS[name]
    files = gold_of()
    if not files:
        return None
    gold = load_gold(files)
    preds = predict(inputs_of(gold), {g["doc_id"] for g in gold})
    return {
        "sha256": gold_sha256(files, root),
        "files": len(files),
        "report": evaluate(preds, gold),
    }


def floor3(x: float) -> float:
    """``x`` rounded down to 3 decimals (a float error just below a step is not lost).

    >>> floor3(0.8), floor3(0.79990), floor3(2 / 3)
    (0.8, 0.799, 0.666)
    """
    return math.floor(x * 1000 + 1e-6) / 1000


def read_floors() -> dict[str, Any]:
    return json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}


def write_floors(data: dict[str, Any]) -> None:
    FLOORS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
