"""Linear classifiers over sparse named features, trained with scikit-learn, kept as JSON.

A fitted ``LogisticRegression`` is exported as ``{classes, intercept, weights}`` where
``weights`` maps a feature name to one weight per class. The file is a diffable artifact (no
pickle), and predicting is a few dict look-ups in plain Python, so the pipeline does not
import scikit-learn at all. A binary model's single score ``z`` becomes the two rows
``(-z/2, z/2)``: their softmax is exactly the logistic ``sigmoid(z)``.

>>> m = LinearModel(["a", "b"], [0.0, 0.0], {"x": [-1.0, 1.0]})
>>> m.predict({"x": 1.0}), round(m.proba({"x": 1.0})["b"], 3)
('b', 0.881)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Features = Mapping[str, float]
# Weights below this are dropped from the artifact (and rounded to 5 decimals).
PRUNE = 1e-4
DECIMALS = 5
# A feature seen in fewer training examples than this is not used (noise, and size).
MIN_COUNT = 2
SEED = 0


@dataclass(slots=True)
class LinearModel:
    """A multinomial (or binary) logistic model over named features."""

    classes: list[str]
    intercept: list[float]
    weights: dict[str, list[float]] = field(default_factory=dict)

    def scores(self, feats: Features) -> list[float]:
        out = list(self.intercept)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for k, wk in enumerate(w):
                    out[k] += wk * value
        return out

    def proba(self, feats: Features) -> dict[str, float]:
        """Class probabilities (softmax of the scores)."""
        s = self.scores(feats)
        top = max(s)
        exps = [math.exp(x - top) for x in s]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def predict(self, feats: Features) -> str:
        p = self.proba(feats)
        return max(self.classes, key=lambda c: (p[c], c))

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "intercept": self.intercept,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearModel:
        return cls(list(data["classes"]), list(data["intercept"]), dict(data["weights"]))


def fit(
    X: Sequence[Features], y: Sequence[str], c: float = 1.0, class_weight: str | None = None
) -> LinearModel:
    """Fit a logistic regression (lbfgs, deterministic for the same data and order)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(y))
    if len(classes) == 1:  # nothing to learn: a constant model
        return LinearModel(classes, [0.0], {})
    counts: dict[str, int] = {}
    for x in X:
        for name in x:
            counts[name] = counts.get(name, 0) + 1
    kept = [{k: v for k, v in x.items() if counts[k] >= MIN_COUNT} or {"bias": 1.0} for x in X]
    vec = DictVectorizer(sort=True)
    mat = vec.fit_transform(kept)
    clf = LogisticRegression(
        C=c, max_iter=3000, random_state=SEED, class_weight=class_weight, solver="lbfgs"
    )
    clf.fit(mat, list(y))
    coef = clf.coef_
    icpt = clf.intercept_
    if len(clf.classes_) == 2:
        rows = [[-w / 2, w / 2] for w in coef[0]]
        intercept = [-icpt[0] / 2, icpt[0] / 2]
    else:
        rows = [list(col) for col in coef.T]
        intercept = list(icpt)
    weights = {
        name: [round(float(w), DECIMALS) for w in row]
        for name, row in zip(vec.get_feature_names_out(), rows, strict=True)
        if max(abs(w) for w in row) >= PRUNE
    }
    return LinearModel(
        [str(c) for c in clf.classes_], [round(float(b), DECIMALS) for b in intercept], weights
    )
