"""Span model: a CRF that tags organization names (``ORG``) and project titles (``PROJ``).

Tokens are the syllables of :func:`kcextract.models.features.tokens`, one sequence per
sentence, labelled ``B-``/``I-``/``O``. Gold spans are the gold names and titles found in
the article (:func:`kcextract.models.gold.locate_fact`); where two overlap, the longer wins.
Training uses ``underthesea_core``'s CRF (L-BFGS, deterministic; the file it saves is in
CRFsuite's format), a dependency the project already has through underthesea.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import regex

from kcextract.models.features import Token, cue_groups, cue_table, token_features, tokens
from kcextract.models.gold import GoldDoc, locate_fact
from kcextract.resources import alternation

LABELS = {"organizations": "ORG", "projects": "PROJ"}
FIELD_OF = {v: k for k, v in LABELS.items()}
MAX_ITERATIONS = 150
L1 = 0.05
L2 = 0.01
# A sentence longer than this many tokens is cut into pieces (crawler dumps without
# paragraph breaks, bmner_001): the CRF's cost grows with sequence length.
MAX_LEN = 200

# Cue groups of kcextract/data/model_cues.tsv that open a name or a title. At run time only
# sentences holding one of them are tagged (a name without its head word is rare in the gold,
# and the tagger costs more than all the rules together); the CV measures the tagger with it.
HEAD_GROUPS = frozenset({"agency", "cooperative", "company", "household", "other_org", "project"})

Span = tuple[int, int]
Sequence_ = list[Token]


# The head groups each label needs: with only project titles switched on, sentences without
# a project word are not tagged at all.
LABEL_GROUPS = {
    "ORG": frozenset({"agency", "cooperative", "company", "household", "other_org"}),
    "PROJ": frozenset({"project"}),
}


@cache
def _heads(groups: frozenset[str] = HEAD_GROUPS) -> regex.Pattern:
    cues = [" ".join(k) for k, gs in cue_table().items() if groups & set(gs)]
    return regex.compile(r"(?<!\w)" + alternation(cues) + r"(?!\w)", regex.IGNORECASE)


def has_head(text: str, start: int, end: int, groups: frozenset[str] = HEAD_GROUPS) -> bool:
    """Whether ``text[start:end]`` holds a word that opens a name or a title.

    >>> has_head("Hôm nay trời mưa. Sở Công Thương họp.", 0, 17)
    False
    >>> has_head("Hôm nay trời mưa. Sở Công Thương họp.", 18, 37)
    True
    """
    return _heads(groups).search(text, start, end) is not None


def sequences(text: str, sents: Sequence[Span]) -> list[Sequence_]:
    """The token sequences of a text: one per sentence, long ones cut."""
    out = []
    for s, e in sents:
        toks = tokens(text, s, e)
        for k in range(0, len(toks), MAX_LEN):
            if toks[k : k + MAX_LEN]:
                out.append(toks[k : k + MAX_LEN])
    return out


def gold_spans(gd: GoldDoc) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, label)`` of the gold names and titles, longest first."""
    cands = []
    for field, lab in LABELS.items():
        for fact in gd.gold.get(field) or []:
            for s, e in locate_fact(gd.doc.text, field, fact):
                cands.append((s, e, lab))
    chosen: list[tuple[int, int, str]] = []
    for s, e, lab in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append((s, e, lab))
    return sorted(chosen)


def bio(seq: Sequence_, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO labels of a token sequence given character spans."""
    out = []
    for s, e, _ in seq:
        lab = "O"
        for cs, ce, cl in spans:
            if cs <= s and e <= ce:
                lab = ("B-" if s == cs or not out or out[-1] == "O" else "I-") + cl
                break
        out.append(lab)
    return out


def training_data(gds: Sequence[GoldDoc]) -> tuple[list[list[list[str]]], list[list[str]]]:
    X, y = [], []
    for gd in gds:
        spans = gold_spans(gd)
        for seq in sequences(gd.doc.text, gd.sentences):
            X.append(token_features(gd.doc.text, seq))
            y.append(bio(seq, spans))
    return X, y


@contextmanager
def _quiet() -> Iterator[None]:
    """The Rust trainer logs every iteration to stderr; keep the CLI readable."""
    fd = sys.stderr.fileno()
    saved = os.dup(fd)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


def train(gds: Sequence[GoldDoc], path: Path) -> int:
    """Train on the gold documents, save the CRF to ``path``; return the sequence count."""
    from underthesea_core import CRFTrainer

    X, y = training_data(gds)
    trainer = CRFTrainer()
    trainer.set_max_iterations(MAX_ITERATIONS)
    trainer.set_l1_penalty(L1)
    trainer.set_l2_penalty(L2)
    with _quiet():
        model = trainer.train(X, y)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(str(path))
    return len(X)


class SpanTagger:
    """A loaded CRF: ``spans(text, sentences)`` gives ``(start, end, label)`` candidates."""

    def __init__(self, path: Path) -> None:
        from underthesea_core import CRFTagger

        self.path = path
        self._tagger = CRFTagger()
        self._tagger.load(str(path))

    def spans(
        self, text: str, sents: Sequence[Span], labels: Sequence[str] = ("ORG", "PROJ")
    ) -> list[tuple[int, int, str]]:
        """Candidates of the given labels, from the sentences holding one of their heads."""
        groups = frozenset().union(*(LABEL_GROUPS[lab] for lab in labels))
        out = []
        for seq in sequences(text, [(s, e) for s, e in sents if has_head(text, s, e, groups)]):
            out.extend(decode(seq, self._tagger.tag(token_features(text, seq))))
        return [sp for sp in out if sp[2] in labels and _plausible(text, sp)]


def decode(seq: Sequence_, labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans of B/I runs (an ``I-`` after ``O`` opens a span too).

    >>> decode([(0, 3, "htx"), (4, 7, "phi"), (8, 12, "đoàn"), (13, 14, ".")],
    ...        ["B-ORG", "I-ORG", "I-ORG", "O"])
    [(0, 12, 'ORG')]
    """
    out: list[tuple[int, int, str]] = []
    cur: list[int] | None = None
    cur_lab = ""
    for (s, e, _), lab in zip(seq, labels, strict=True):
        kind = lab[2:] if lab != "O" else ""
        if lab.startswith("B-") or (lab.startswith("I-") and (cur is None or kind != cur_lab)):
            if cur is not None:
                out.append((cur[0], cur[1], cur_lab))
            cur, cur_lab = [s, e], kind
        elif lab.startswith("I-") and cur is not None:
            cur[1] = e
        else:
            if cur is not None:
                out.append((cur[0], cur[1], cur_lab))
            cur = None
    if cur is not None:
        out.append((cur[0], cur[1], cur_lab))
    return out


_NAME_HEADS = frozenset({"agency", "cooperative", "company", "household", "other_org"})


def _plausible(text: str, span: tuple[int, int, str]) -> bool:
    """Cheap guards on a candidate (each from an error of the CV, see model_cues.tsv).

    >>> t = "Anh Nguyễn Văn Sơn và Cục trưởng Cục Xúc tiến thương mại và HTX Phi Đoàn"
    >>> [_plausible(t, (s, e, "ORG")) for s, e in ((0, 18), (22, 55), (60, 72))]
    [False, False, True]
    """
    s, e, lab = span
    words = text[s:e].split()
    if lab != "ORG":
        return len(words) >= 3
    # A name has a capitalised word after its head ("Sở Công Thương", "HTX Phi Đoàn").
    if len(words) < 2 or not any(w[:1].isupper() for w in words[1:]):
        return False
    low = [t[2] for t in tokens(text, s, e)]
    table = cue_table()
    first = set(table.get((low[0],), ()))
    if "person" in first or ("surname" in first and not _NAME_HEADS & cue_groups(low)):
        return False
    if {"office"} & cue_groups(low[:3]):
        return False
    return text[s].isupper() or "household" in cue_groups(low[:3])
