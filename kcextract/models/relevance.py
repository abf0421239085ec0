"""Article relevance: is this programme news (khuyến công and kin) or not?

TF-IDF over lower-cased syllables and syllable bigrams (sublinear tf, l2 norm) and a
logistic regression, trained with scikit-learn and exported as JSON (the vocabulary of
single syllables and bigrams with their idf and weight: no sentences of the training
articles are kept). :func:`score` recomputes the same vector in plain Python.

Training labels (:func:`labelled_articles`):

* positive: gold documents with a programme, project or target (``annotations/``,
  shared gold), the shared real articles marked ``high`` or ``medium``, real2, the seeds;
* negative: gold documents with none of these, the real articles marked ``low``
  (keyword present, off topic: the hard negatives), and a fixed-seed sample of the
  general economy news (``shared/corpus/general``).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from kcextract.document import Document

GENERAL_SAMPLE = 2500
SEED = 0
MIN_DF = 2
MAX_FEATURES = 30000
THRESHOLD = 0.5
# Off-topic articles that share the programme vocabulary (real "low", gold without
# programme facts) weigh more than general news: they are the negatives that teach.
HARD_NEGATIVE_WEIGHT = 3.0
_WORD = regex.compile(r"\p{L}+|\d+")


def terms(text: str) -> list[str]:
    """Syllables and syllable bigrams, lower-cased (numbers folded to ``0``).

    >>> terms("Khuyến công 2022")
    ['khuyến', 'công', '0', 'khuyến công', 'công 0']
    """
    words = ["0" if w[0].isdigit() else w for w in _WORD.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(slots=True)
class Labelled:
    doc_id: str
    text: str
    label: int  # 1: programme news
    source: str  # which collection (for per-source reporting)


def _provenance(folder: Path) -> dict[str, str]:
    path = folder / "PROVENANCE.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return {Path(r["file"]).stem: r.get("topic_relevance", "") for r in rows}


def _is_programme_gold(gold: dict[str, Any]) -> bool:
    return bool(gold.get("programmes") or gold.get("projects") or gold.get("targets"))


def labelled_articles(
    shared: Path | None, gold_docs: Iterable[tuple[dict[str, Any], Document]] = ()
) -> list[Labelled]:
    """Every labelled article, in a fixed order (see the module docstring)."""
    out: list[Labelled] = []
    seen: set[str] = set()
    for gold, doc in gold_docs:
        out.append(Labelled(doc.doc_id, doc.text, int(_is_programme_gold(gold)), "gold"))
        seen.add(doc.doc_id)
    if shared is None or not shared.exists():
        return out
    corpus = shared / "corpus"
    for name in ("seeds", "real", "real2"):
        folder = corpus / name
        if not folder.exists():
            continue
        prov = _provenance(folder)
        for f in sorted(folder.glob("*.txt")):
            if f.stem in seen:
                continue
            rel = prov.get(f.stem, "high" if name == "seeds" else "")
            if rel not in ("high", "medium", "low"):
                continue
            text = f.read_text(encoding="utf-8", errors="replace")
            out.append(Labelled(f.stem, text, int(rel != "low"), f"{name}:{rel}"))
            seen.add(f.stem)
    general = corpus / "general" / "vi_econ_news.jsonl"
    if general.exists():
        rows = general.read_text(encoding="utf-8").splitlines()
        for line in random.Random(SEED).sample(rows, min(GENERAL_SAMPLE, len(rows))):
            row = json.loads(line)
            text = f"{row.get('title') or ''}\n{row.get('text') or ''}"
            out.append(Labelled(str(row.get("id")), text, 0, "general"))
    return out


@dataclass(slots=True)
class RelevanceModel:
    """Vocabulary ``term -> (idf, weight)``, intercept, threshold."""

    vocab: dict[str, tuple[float, float]]
    intercept: float
    threshold: float = THRESHOLD

    def score_text(self, text: str) -> float:
        counts = Counter(t for t in terms(text) if t in self.vocab)
        vec = {t: (1.0 + math.log(c)) * self.vocab[t][0] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        z = self.intercept + sum(v / norm * self.vocab[t][1] for t, v in vec.items())
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "intercept": self.intercept,
            "vocab": {t: list(v) for t, v in sorted(self.vocab.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelevanceModel:
        vocab = {t: (float(v[0]), float(v[1])) for t, v in data["vocab"].items()}
        return cls(vocab, float(data["intercept"]), float(data.get("threshold", THRESHOLD)))


def weight(item: Labelled) -> float:
    """Training weight of an article (see ``HARD_NEGATIVE_WEIGHT``)."""
    hard = item.label == 0 and item.source != "general"
    return HARD_NEGATIVE_WEIGHT if hard else 1.0


def fit(
    texts: Sequence[str], labels: Sequence[int], weights: Sequence[float] | None = None
) -> RelevanceModel:
    """TF-IDF + logistic regression (class-balanced; lbfgs, deterministic)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(
        analyzer=terms, min_df=MIN_DF, max_features=MAX_FEATURES, sublinear_tf=True
    )
    mat = vec.fit_transform(texts)
    clf = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced", random_state=SEED)
    clf.fit(mat, list(labels), sample_weight=None if weights is None else list(weights))
    coef = clf.coef_[0]
    vocab = {
        str(t): (round(float(vec.idf_[i]), 6), round(float(coef[i]), 6))
        for t, i in vec.vocabulary_.items()
    }
    return RelevanceModel(vocab, round(float(clf.intercept_[0]), 6))


def cross_validate(items: Sequence[Labelled], folds: int = 5) -> dict[str, Any]:
    """Precision/recall on held-out documents (stratified folds, fixed seed), overall and
    without the general news (the hard part: programme-adjacent articles)."""
    from sklearn.model_selection import StratifiedKFold

    y = [it.label for it in items]
    folds = max(2, min(folds, min(Counter(y).values())))
    pred = [0] * len(items)
    scores = [0.0] * len(items)
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for tr, te in skf.split(list(range(len(items))), y):
        model = fit([items[i].text for i in tr], [y[i] for i in tr], [weight(items[i]) for i in tr])
        for i in te:
            scores[i] = model.score_text(items[i].text)
            pred[i] = int(scores[i] >= model.threshold)
    overall = _pr(y, pred)
    # Other cut-offs: a batch may flag below 0.5 but skip only below a lower one.
    by_threshold = {
        str(t): _pr(y, [int(sc >= t) for sc in scores]) for t in (0.1, 0.2, 0.3, 0.5, 0.7)
    }
    hard = [i for i, it in enumerate(items) if it.source != "general"]
    by_source: dict[str, dict[str, int]] = {}
    for it, p in zip(items, pred, strict=True):
        c = by_source.setdefault(it.source, {"n": 0, "predicted_relevant": 0})
        c["n"] += 1
        c["predicted_relevant"] += p
    # A stricter test: the annotated gold articles (this project's corpus and the shared
    # gold), scored by a model trained without any of them.
    gold = [i for i, it in enumerate(items) if it.source == "gold"]
    rest = [i for i, it in enumerate(items) if it.source != "gold"]
    unseen_gold = None
    if gold and len({y[i] for i in rest}) == 2:
        model = fit(
            [items[i].text for i in rest], [y[i] for i in rest], [weight(items[i]) for i in rest]
        )
        gold_pred = [int(model.score_text(items[i].text) >= model.threshold) for i in gold]
        unseen_gold = {"n": len(gold), **_pr([y[i] for i in gold], gold_pred)}
    return {
        "folds": folds,
        "n": len(items),
        "gold_unseen": unseen_gold,
        "positives": sum(y),
        "overall": overall,
        "by_threshold": by_threshold,
        "without_general": _pr([y[i] for i in hard], [pred[i] for i in hard]),
        "by_source": dict(sorted(by_source.items())),
    }


def _pr(y: Sequence[int], pred: Sequence[int]) -> dict[str, float | int]:
    tp = sum(1 for a, b in zip(y, pred, strict=True) if a and b)
    fp = sum(1 for a, b in zip(y, pred, strict=True) if not a and b)
    fn = sum(1 for a, b in zip(y, pred, strict=True) if a and not b)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def save(model: RelevanceModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0) + "\n", "utf-8")


@cache
def load(path: Path) -> RelevanceModel:
    """The model at ``path``, read once per process."""
    return RelevanceModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def score(doc: Document | str) -> float:
    """Probability that an article is programme news (the enabled bundle's model).

    Raises ``FileNotFoundError`` when no relevance model is installed.
    """
    from kcextract.models.registry import relevance_model

    model = relevance_model()
    if model is None:
        raise FileNotFoundError("no relevance model in models/ (run kcextract train)")
    text = doc if isinstance(doc, str) else doc.text
    return model.score_text(text)


def is_relevant(doc: Document | str) -> bool:
    """Whether :func:`score` reaches the model's threshold."""
    from kcextract.models.registry import relevance_model

    model = relevance_model()
    return model is not None and score(doc) >= model.threshold
