"""Model-based extractors: where rules stall on what context decides.

Three kinds of model, trained from the gold files by ``kcextract train`` and kept in
``models/<name>/`` with a ``MODEL_CARD.md`` each:

* ``attributes``: logistic-regression classifiers for attributes read from context
  (amount ``level``/``status``/``funding``, target ``status``, organization
  ``type``/``role``), stored as reviewable JSON weights (:mod:`kcextract.models.linear`);
* ``spans``: a CRF tagger (``underthesea_core``'s CRFsuite-compatible trainer) for
  organization names and project titles, whose candidates are merged with the rules';
* ``relevance``: a TF-IDF + logistic-regression article classifier (programme news or not).

Which of them the pipeline uses is decided by measurement, not by hope:
``models/enabled.json`` lists the fields where rules + model beat rules alone in a
cross-validation by document (:mod:`kcextract.models.compare`). The pipeline calls
:func:`kcextract.models.apply.apply_models` after linking when ``use_models`` is on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The repository's models/ folder (the package is installed editable); KCEXTRACT_MODELS
# points elsewhere, e.g. for tests or a deployed copy.
_REPO_MODELS = Path(__file__).resolve().parents[2] / "models"


# An installed (non-editable) package finds them where pyproject's data-files put them.
_INSTALLED_MODELS = Path(sys.prefix) / "share" / "kcextract" / "models"


def models_dir() -> Path:
    """Where model bundles and ``enabled.json`` live."""
    env = os.environ.get("KCEXTRACT_MODELS")
    if env:
        return Path(env)
    return _REPO_MODELS if _REPO_MODELS.is_dir() else _INSTALLED_MODELS
