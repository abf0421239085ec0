"""Features of the words around a mention (attributes) and of each token (span tagger).

Both models see the clean text cut into *syllables*: Vietnamese words are written one
syllable at a time, and a window of lower-cased syllables with its bigrams covers the
two-syllable cue words (``dự kiến``, ``trong đó``) without a word segmenter (underthesea's
costs ~30 ms an article, too slow for the 10k-article batches).

>>> [t for _, _, t in tokens("Tổng kinh phí 18,246 tỷ đồng.")]
['tổng', 'kinh', 'phí', '18,246', 'tỷ', 'đồng', '.']
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache, lru_cache

import regex

from kcextract.resources import tsv

CUES_FILE = "model_cues.tsv"
# Words before and after a mention that get positional features (L1 is the nearest).
NEAR = 3
# Words before and after a mention that go into the bag of window words.
WINDOW = 10

_TOKEN = regex.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]")
_CLAUSE_BREAK = frozenset(",;:()[]“”\"'–-")

Token = tuple[int, int, str]


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """``(start, end, lower-cased text)`` of every syllable, number or punctuation mark."""
    return [
        (m.start(), m.end(), m.group().lower())
        for m in _TOKEN.finditer(text, start, len(text) if end is None else end)
    ]


@lru_cache(maxsize=512)
def _sentence_tokens(text: str, start: int, end: int) -> tuple[Token, ...]:
    # Several mentions share a sentence; str hashes are cached, so the key is cheap.
    return tuple(tokens(text, start, end))


@cache
def cue_table() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Cue (as a syllable tuple) -> the groups it belongs to."""
    out: dict[tuple[str, ...], list[str]] = {}
    for group, cue in tsv(CUES_FILE):
        out.setdefault(tuple(cue.lower().split()), []).append(group)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _cue_lengths() -> dict[str, tuple[int, ...]]:
    """First syllable of a cue -> the lengths of the cues starting with it."""
    out: dict[str, set[int]] = {}
    for k in cue_table():
        out.setdefault(k[0], set()).add(len(k))
    return {w: tuple(sorted(n)) for w, n in out.items()}


def cue_groups(words: Sequence[str]) -> set[str]:
    """Groups of the cues found in a run of lower-case syllables.

    >>> sorted(cue_groups(["trong", "đó", "ngân", "sách", "tỉnh"]))
    ['local', 'part']
    """
    table, lengths, found = cue_table(), _cue_lengths(), set()
    for i, w in enumerate(words):
        for n in lengths.get(w, ()):
            groups = table.get(tuple(words[i : i + n]))
            if groups:
                found.update(groups)
    return found


def magnitude(value: int | None) -> str:
    """A coarse size bucket of a number (powers of ten).

    >>> magnitude(18_246_000_000), magnitude(25), magnitude(None)
    ('1e10', '1e1', 'none')
    """
    if not value or value <= 0:
        return "none"
    return f"1e{int(math.log10(value))}"


def clause_bounds(toks: Sequence[Token], i: int, j: int) -> tuple[int, int]:
    """Token range ``[a, b)`` of the clause around tokens ``i .. j-1`` (commas etc. cut)."""
    a = i
    while a > 0 and toks[a - 1][2] not in _CLAUSE_BREAK:
        a -= 1
    b = j
    while b < len(toks) and toks[b][2] not in _CLAUSE_BREAK:
        b += 1
    return a, b


def context_features(
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    extra: dict[str, float] | None = None,
) -> dict[str, float]:
    """Features of the mention ``text[start:end]`` from its sentence.

    Positional words next to it (``L1=``, ``R1=``), a bag of window words and bigrams
    (``Lw=``, ``Rw=``, ``Lb=``), the clause's words (``C=``), cue groups found left, right,
    in the clause and in the sentence (``cueL=`` …), the mention's own words (``T=``), and
    whatever the caller adds (``extra``: size, rank among siblings, the rules' label).
    """
    s0, s1 = sentence
    s0, s1 = min(s0, start), max(s1, end)
    toks = _sentence_tokens(text, s0, s1)
    starts = [t[0] for t in toks]
    i = bisect_right(starts, start - 1)  # first token at or after start
    j = bisect_right(starts, end - 1)  # first token at or after end
    f: dict[str, float] = {"bias": 1.0}
    left = [t[2] for t in toks[max(0, i - WINDOW) : i]]
    right = [t[2] for t in toks[j : j + WINDOW]]
    own = [t[2] for t in toks[i:j]]
    for k, w in enumerate(reversed(left[-NEAR:]), 1):
        f[f"L{k}={w}"] = 1.0
    for k, w in enumerate(right[:NEAR], 1):
        f[f"R{k}={w}"] = 1.0
    for w in left:
        f[f"Lw={w}"] = 1.0
    for w in right:
        f[f"Rw={w}"] = 1.0
    for a, b in itertools.pairwise(left):
        f[f"Lb={a}_{b}"] = 1.0
    for a, b in itertools.pairwise(right):
        f[f"Rb={a}_{b}"] = 1.0
    for w in own:
        f[f"T={w}"] = 1.0
    ca, cb = clause_bounds(toks, i, j)
    clause = [t[2] for t in toks[ca:cb]]
    for w in clause:
        f[f"C={w}"] = 1.0
    for name, words in (
        ("L", left),
        ("R", right),
        ("C", clause),
        ("S", [t[2] for t in toks]),
        ("T", own),
    ):
        for g in cue_groups(words):
            f[f"cue{name}={g}"] = 1.0
    f[f"pos_in_sent={_bucket(i, len(toks))}"] = 1.0
    if extra:
        f.update(extra)
    return f


def _bucket(i: int, n: int) -> str:
    if i == 0:
        return "first"
    return "early" if i < n / 3 else ("late" if i > 2 * n / 3 else "middle")


# --- span tagger ----------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if not any(c.isalpha() for c in word):
        return "p"
    if word.isupper() and len(word) > 1:
        return "XX"
    return "Xx" if word[:1].isupper() else "x"


_OFFSETS = (-2, -1, 1, 2)


@lru_cache(maxsize=65536)
def _word_feats(word: str, shape: str) -> tuple[str, ...]:
    """``w=``, ``sh=`` and the neighbour forms (``w[-1]=`` …) of one word, made once."""
    out = [f"w={word}", f"sh={shape}"]
    for d in _OFFSETS:
        out.append(f"w[{d}]={word}")
        out.append(f"sh[{d}]={shape}")
    return tuple(out)


_EDGE = {d: f"w[{d}]=<{'s' if d < 0 else '/s'}>" for d in _OFFSETS}


def token_features(text: str, toks: Sequence[Token]) -> list[list[str]]:
    """CRF features of each token of one sentence: word, shape, neighbours, cue groups."""
    words = [t[2] for t in toks]
    table = cue_table()
    wf = [_word_feats(w, _shape(text[s:e])) for s, e, w in toks]
    out: list[list[str]] = []
    n = len(toks)
    for k in range(n):
        w = words[k]
        feats = list(wf[k][:2])
        for j, d in enumerate(_OFFSETS):
            m = k + d
            if 0 <= m < n:
                feats.append(wf[m][2 + 2 * j])
                feats.append(wf[m][3 + 2 * j])
            else:
                feats.append(_EDGE[d])
        if k > 0:
            feats.append(f"b[-1]={words[k - 1]}_{w}")
        if k + 1 < n:
            feats.append(f"b[+1]={w}_{words[k + 1]}")
        for groups, tag in ((table.get((w,)), "cue"),):
            for g in groups or ():
                feats.append(f"{tag}={g}")
        if k + 1 < n:
            for g in table.get((w, words[k + 1]), ()):
                feats.append(f"cue2={g}")
        if k > 0:
            for g in table.get((words[k - 1], w), ()):
                feats.append(f"cue2[-1]={g}")
        out.append(feats)
    return out
