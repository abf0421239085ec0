"""Canonical forms and matching keys, shared by the pipeline (dedupe, linking) and the scorer.

Keeping them in one module means the pipeline and ``evaluate`` fold names the same way.

>>> org_key("HTX  Phi Đoàn")
'hợp tác xã phi đoàn'
>>> org_key("Cty. TNHH Giang Hiền")
'công ty tnhh giang hiền'
>>> canonical_org_name("HTX Yến Dương")
'Hợp tác xã Yến Dương'
>>> title_tokens("Đề án “Hỗ trợ ứng dụng máy móc”;")
['hỗ', 'trợ', 'ứng', 'dụng', 'máy', 'móc']
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import regex

_WS = regex.compile(r"\s+")
_PUNCT = regex.compile(r"[\p{P}\p{S}]+")

# Legal-form abbreviations expanded in canonical names and keys (spec, "Organization").
# Order matters only for readability; each is matched as a whole word.
LEGAL_FORMS: dict[str, str] = {
    "HTX": "Hợp tác xã",
    "Cty": "Công ty",
    "CTy": "Công ty",
    "CTY": "Công ty",
    "DNTN": "Doanh nghiệp tư nhân",
    "DN tư nhân": "Doanh nghiệp tư nhân",
    "THT": "Tổ hợp tác",
}
_FORM_RE = regex.compile(
    r"(?<!\w)(" + "|".join(sorted(LEGAL_FORMS, key=len, reverse=True)) + r")\.?(?!\w)"
)


def fold_ws(text: str) -> str:
    """NFC, and every run of white space (no-break spaces included) folded to one space.

    >>> fold_ws("Bắc\u00a0 Kạn ")
    'Bắc Kạn'
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def expand_legal_form(name: str) -> str:
    """``HTX Văn Quyết`` -> ``Hợp tác xã Văn Quyết``; ``TNHH`` and ``CP`` are kept."""
    return _FORM_RE.sub(lambda m: LEGAL_FORMS[m.group(1)], name)


def canonical_org_name(name: str) -> str:
    return fold_ws(expand_legal_form(fold_ws(name)))


def _fold_key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    text = _PUNCT.sub(" ", text)
    return _WS.sub(" ", text).strip()


def org_key(name: str) -> str:
    """Matching key of an organization name: casefolded, forms expanded, punctuation folded."""
    return _fold_key(expand_legal_form(fold_ws(name)))


_TITLE_HEAD = regex.compile(r"^\s*(đề án|dự án|nhiệm vụ|mô hình)\s*[:“\"']?\s*", regex.IGNORECASE)


def clean_title(title: str) -> str:
    """A project title without ``Đề án``, quotes or trailing punctuation.

    >>> clean_title('Đề án “Hỗ trợ máy cán tôn”.')
    'Hỗ trợ máy cán tôn'
    """
    t = fold_ws(title)
    t = _TITLE_HEAD.sub("", t) if t.lower().startswith("đề án") else t
    t = t.strip(" \"'“”‘’«»")
    t = regex.sub(r"[\s.,;:!?\"”’]+$", "", t)
    return t.strip(" \"'“”‘’«»")


def title_key(title: str) -> str:
    return _fold_key(clean_title(title))


def title_tokens(title: str) -> list[str]:
    return title_key(title).split()


def token_f1(a: list[str], b: list[str]) -> float:
    """Token-level F1 of two token lists (multiset overlap).

    >>> round(token_f1(["a", "b", "c"], ["a", "b"]), 3)
    0.8
    """
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if common == 0:
        return 0.0
    p, r = common / len(b), common / len(a)
    return 2 * p * r / (p + r)


def unit_key(unit: str) -> str:
    return _fold_key(unit)
