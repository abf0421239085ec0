"""``kcextract train``: reproducible (same data, same files and predictions), loaded once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tiny_gold import TINY, tiny_gold_docs

from kcextract.cli import main
from kcextract.models import attributes as attr_mod
from kcextract.models import registry
from kcextract.models import spans as span_mod


@pytest.fixture
def tiny_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """The tiny gold set written as gold files and articles."""
    gold, corpus = tmp_path / "gold", tmp_path / "corpus"
    gold.mkdir()
    corpus.mkdir()
    for doc_id, text, facts in TINY:
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (gold / f"{doc_id}.json").write_text(
            json.dumps({"doc_id": doc_id, **facts}, ensure_ascii=False), encoding="utf-8"
        )
    return gold, corpus


def _train(gold: Path, corpus: Path, out: Path) -> None:
    argv = ["train", "--gold", str(gold), "--corpus", str(corpus), "--out", str(out)]
    assert main([*argv, "--only", "attributes", "spans", "--folds", "2"]) == 0


def test_train_twice_gives_the_same_models(tiny_dirs, tmp_path):
    gold, corpus = tiny_dirs
    _train(gold, corpus, tmp_path / "a" / "m")
    _train(gold, corpus, tmp_path / "b" / "m")
    # (spans.crf is not compared byte for byte: the trainer writes its feature table in
    # hash-map order; the predictions are compared in the next test.)
    for rel in ("attributes/attributes.json", "enabled.json"):
        assert (tmp_path / "a" / "m" / rel).read_bytes() == (
            tmp_path / "b" / "m" / rel
        ).read_bytes()
    cmp_a = json.loads((tmp_path / "a" / "m" / "comparison.json").read_text())
    cmp_b = json.loads((tmp_path / "b" / "m" / "comparison.json").read_text())
    assert cmp_a["comparison"] == cmp_b["comparison"]
    for name in ("MODEL_CARD.md", "attributes/MODEL_CARD.md", "spans/MODEL_CARD.md"):
        assert (tmp_path / "a" / "m" / name).exists()
    assert json.loads((tmp_path / "a" / "enabled.json").read_text()) == {"bundle": "m"}


def test_same_data_gives_the_same_predictions(tmp_path):
    docs = tiny_gold_docs()
    runs = []
    for k in range(2):
        exs = [e for gd in docs for e in attr_mod.examples(gd)]
        models = attr_mod.train(exs)
        span_mod.train(docs, tmp_path / f"{k}.crf")
        tagger = span_mod.SpanTagger(tmp_path / f"{k}.crf")
        attrs = [models[f"{e.field}.{a}"]["model"].proba(e.feats) for e in exs for a in e.labels]
        tags = [tagger.spans(gd.doc.text, gd.sentences) for gd in docs]
        runs.append((attrs, tags))
    assert runs[0] == runs[1]


def test_the_span_model_learns_its_training_names(tmp_path):
    docs = tiny_gold_docs()
    span_mod.train(docs, tmp_path / "s.crf")
    tagger = span_mod.SpanTagger(tmp_path / "s.crf")
    found = {
        docs[0].doc.text[s:e] for s, e, lab in tagger.spans(docs[0].doc.text, docs[0].sentences)
    }
    assert "Hợp tác xã Mây Tre Đan Bình An" in found


def test_a_bundle_is_loaded_once_per_process(tiny_dirs, tmp_path, monkeypatch):
    gold, corpus = tiny_dirs
    root = tmp_path / "models"
    _train(gold, corpus, root / "m")
    monkeypatch.setenv("KCEXTRACT_MODELS", str(root))
    before = len(registry.LOADS)
    first = registry.active_bundle()
    assert first is not None and first.tagger is not None
    assert registry.active_bundle() is first
    assert registry.load_bundle((root / "m").resolve()) is first
    assert len(registry.LOADS) == before + 1


def test_keep_rules_overrides_the_cv_with_a_note(tiny_dirs, tmp_path):
    gold, corpus = tiny_dirs
    out = tmp_path / "m"
    argv = ["train", "--gold", str(gold), "--corpus", str(corpus), "--out", str(out)]
    argv += ["--only", "attributes", "spans", "--folds", "2", "--no-activate"]
    assert main([*argv, "--keep-rules", "projects.titles", "lost on a blind set"]) == 0
    enabled = json.loads((out / "enabled.json").read_text())
    assert enabled["fields"]["projects.titles"] == "rules"
    assert enabled["note"] == ["projects.titles: kept on rules: lost on a blind set"]
    assert not (tmp_path / "enabled.json").exists()
