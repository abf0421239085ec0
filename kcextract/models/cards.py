"""``MODEL_CARD.md`` files: training data, features, cross-validated scores, size, date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kcextract.models import compare
from kcextract.models.registry import ATTRIBUTES_FILE, RELEVANCE_FILE, SPANS_FILE

REPRODUCE = "kcextract train --out {out}"


def _size(path: Path) -> str:
    n = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0
    if path.is_file():
        n = path.stat().st_size
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def _data(summary: Mapping[str, Any]) -> str:
    docs = summary["documents"]
    loc = summary["located"]
    found = ", ".join(f"{f} {c['found']}/{c['facts']}" for f, c in loc.items())
    return (
        f"{len(docs)} gold documents with their articles (`annotations/` and "
        f"`../shared/gold/{{seeds,real-dev}}`): {', '.join(docs)}.\n"
        f"Gold facts found in their article text (the rest cannot be trained on): {found}."
    )


def bundle_card(summary: Mapping[str, Any], out: Path) -> str:
    comp = summary.get("comparison")
    parts = [
        f"# Model bundle `{out.name}`",
        "",
        f"Trained {summary['date']} by `{REPRODUCE.format(out=out.as_posix())}` "
        "(fixed seeds: the same data gives the same files). "
        f"Size on disk: {_size(out)}.",
        "",
        "## Training data",
        "",
        _data(summary),
        "",
    ]
    if comp:
        parts += [
            "## Measured choice (cross-validation by document)",
            "",
            f"{comp['folds']} folds over {comp['documents']} documents (GroupKFold by doc_id). "
            "Attribute rows: accuracy on the gold/prediction pairs the rules matched "
            "(same pairs in all three settings). Name/title rows: F1 of the field. "
            "A field is on by default only where combined beats rules only "
            "(`enabled.json`). `docs +/-`: articles on which combined does better / worse "
            "than rules only.",
            "",
            compare.markdown_table(comp, summary.get("chosen", {})),
            "",
            "The chosen settings all on at once, same folds (F1 per type, attribute "
            "accuracy on matched pairs), against rules only:",
            "",
            compare.joint_table(comp),
            "",
        ]
    kept = summary.get("kept_on_rules") or {}
    if kept:
        parts += ["## Kept on rules whatever the CV says (`train --keep-rules`)", ""]
        parts += [f"- `{k}`: {v}" for k, v in sorted(kept.items())]
        parts += [""]
    parts += [
        "## Models",
        "",
        "- `attributes/`: logistic-regression attribute classifiers (JSON weights)",
        "- `spans/`: CRF tagger of organization names and project titles",
        "- `relevance/`: TF-IDF + logistic-regression article relevance",
        "",
    ]
    return "\n".join(parts)


def attributes_card(summary: Mapping[str, Any], out: Path) -> str:
    comp = summary.get("comparison") or {}
    rows = ["| attribute | rules | model | combined | n |", "| --- | --- | --- | --- | --- |"]
    for key, variants in (comp.get("intrinsic") or {}).items():
        cells = [variants.get(v, {}).get("accuracy") for v in ("rules", "model", "combined")]
        n = variants.get("model", {}).get("total", 0)
        rows.append(
            f"| {key} | "
            + " | ".join("–" if c is None else f"{c:.3f}" for c in cells)
            + f" | {n} |"
        )
    return "\n".join(
        [
            "# Attribute classifiers",
            "",
            f"Date: {summary['date']}. File: `attributes.json` "
            f"({_size(out / ATTRIBUTES_FILE)}), one multinomial logistic regression "
            "(scikit-learn, lbfgs, C=1) per attribute and variant, exported as "
            "`feature -> weight per class` (weights under 1e-4 dropped). No pickle.",
            "",
            "## Training data",
            "",
            _data(summary),
            f"Examples per field: {summary.get('attribute_examples')}.",
            "",
            "## Features (`kcextract/models/features.py`, `attributes.py`)",
            "",
            "Lower-cased syllables of the sentence around each occurrence (first 3 "
            "occurrences pooled): the 3 nearest words left and right by position, a bag of "
            "10 words each side and their bigrams, the clause's words, cue groups of "
            "`kcextract/data/model_cues.tsv` found left/right/in the clause/in the sentence, "
            "the mention's own words, position in the sentence and the article; amounts: "
            "size bucket (power of ten), qualifier, `per`, how many amounts share the "
            "sentence and whether this one is the largest; targets: size and unit words; "
            "organizations: the name's first words and head. The `combined` variant also "
            "sees the rules' label (`rule=planned`, `rule=none`).",
            "",
            "## Cross-validated accuracy on the gold facts (by document)",
            "",
            "Rules: the label of the rule fact overlapping the gold fact (no such fact "
            "counts as wrong).",
            "",
            *rows,
            "",
        ]
    )


def spans_card(summary: Mapping[str, Any], out: Path) -> str:
    comp = summary.get("comparison") or {}
    table = comp.get("table") or {}
    lines = []
    for key in compare.SPAN_KEYS:
        row = table.get(key)
        if row:
            m = row["model"]
            c = row["combined"]
            r = row["rules"]
            lines.append(
                f"- {key}: model only P {m['precision']:.3f} R {m['recall']:.3f} "
                f"F1 {m['value']:.3f}; rules only F1 {r['value']:.3f}; "
                f"combined F1 {c['value']:.3f} (partial {c['partial_f1']:.3f}); gold {r['n']}"
            )
    return "\n".join(
        [
            "# Span model: organization names and project titles",
            "",
            f"Date: {summary['date']}. File: `spans.crf` ({_size(out / SPANS_FILE)}), a "
            "linear-chain CRF in CRFsuite's format, trained with `underthesea_core` "
            f"(L-BFGS, L1={0.05}, L2={0.01}, 150 iterations; deterministic).",
            "",
            "## Training data",
            "",
            _data(summary),
            f"{summary.get('span_sequences')} sentences; labels B/I/O for ORG (gold "
            "organization names as written, short legal forms too) and PROJ (gold project "
            "titles).",
            "",
            "## Features (`kcextract/models/features.py: token_features`)",
            "",
            "Per syllable: the word, its shape (Xx, XX, x, digit, punctuation), the words "
            "and shapes two either side, the bigrams with each neighbour, and the cue "
            "groups (agency, cooperative, company, project …) of the word and its bigrams.",
            "",
            "## Cross-validated scores (by document)",
            "",
            *(lines or ["(not measured)"]),
            "",
        ]
    )


def relevance_card(summary: Mapping[str, Any], out: Path) -> str:
    rel = summary["relevance"]
    o, h = rel["overall"], rel["without_general"]
    return "\n".join(
        [
            "# Article relevance classifier (programme news or not)",
            "",
            f"Date: {summary['date']}. File: `relevance.json` "
            f"({_size(out / RELEVANCE_FILE)}): the vocabulary (single lower-cased syllables "
            "and syllable bigrams, numbers folded to `0`) with idf and weight, and the "
            "intercept. No sentence of the training articles is stored.",
            "",
            "## Training data",
            "",
            "Positives: gold documents with a programme, project or target; shared real "
            "articles marked high/medium (`PROVENANCE.tsv`), real2, seeds. Negatives: gold "
            "documents without, real articles marked low (keyword present, off topic), and "
            f"a fixed-seed sample of {rel_mod_sample()} general economy articles "
            "(`../shared/corpus/general`).",
            f"Counts (source:label): {rel.get('sources')}.",
            "",
            "## Features and model",
            "",
            "TF-IDF (sublinear tf, l2 norm, min_df 2, at most 30 000 terms) and a "
            "class-balanced logistic regression (C=4), off-topic articles with programme vocabulary (real low, gold without programme facts) weighted 3. Threshold 0.5.",
            "",
            f"## Held-out scores ({rel['folds']}-fold stratified CV, each article predicted "
            "by a model that did not see it)",
            "",
            "| set | precision | recall | F1 | tp | fp | fn |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            f"| all ({rel['n']} articles) | {o['precision']:.3f} | {o['recall']:.3f} | "
            f"{o['f1']:.3f} | {o['tp']} | {o['fp']} | {o['fn']} |",
            f"| without general news | {h['precision']:.3f} | {h['recall']:.3f} | "
            f"{h['f1']:.3f} | {h['tp']} | {h['fp']} | {h['fn']} |",
            "",
            *(
                [
                    f"Gold articles (n={g['n']}) scored by a model trained without any gold "
                    f"article: precision {g['precision']:.3f}, recall {g['recall']:.3f} "
                    f"(tp {g['tp']}, fp {g['fp']}, fn {g['fn']}).",
                    "",
                ]
                if (g := rel.get("gold_unseen"))
                else []
            ),
            "Other thresholds (all articles, same held-out scores): "
            + "; ".join(
                f"{t}: P {v['precision']:.3f} R {v['recall']:.3f}"
                for t, v in (rel.get("by_threshold") or {}).items()
            )
            + ".",
            "",
            "Predicted relevant per source: "
            + ", ".join(
                f"{s} {c['predicted_relevant']}/{c['n']}" for s, c in rel["by_source"].items()
            ),
            "",
        ]
    )


def rel_mod_sample() -> int:
    from kcextract.models.relevance import GENERAL_SAMPLE

    return GENERAL_SAMPLE


def write_cards(out: Path, summary: Mapping[str, Any], what: Sequence[str]) -> None:
    """One card per model folder and one for the bundle."""
    if "attributes" in what:
        (out / "attributes" / "MODEL_CARD.md").write_text(attributes_card(summary, out), "utf-8")
    if "spans" in what:
        (out / "spans" / "MODEL_CARD.md").write_text(spans_card(summary, out), "utf-8")
    if "relevance" in what:
        (out / "relevance" / "MODEL_CARD.md").write_text(relevance_card(summary, out), "utf-8")
    (out / "MODEL_CARD.md").write_text(bundle_card(summary, out), "utf-8")
