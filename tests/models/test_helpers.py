"""Pure helpers of the model package: locating gold text, features, decoding, linear models."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kcextract.models.features import cue_groups, magnitude, tokens
from kcextract.models.gold import locate, org_variants
from kcextract.models.linear import LinearModel, fit
from kcextract.models.relevance import terms
from kcextract.models.spans import bio, decode

# (text, needle, expected surface forms)
# fmt: off
LOCATE_CASES = [
    ("Tổng kinh phí 18,246 tỷ đồng.", "18,246 tỷ đồng", ["18,246 tỷ đồng"]),             # seed-000 style
    ("Kinh phí 18,246 tỷ\nđồng và 18,246 tỷ đồng", "18,246 tỷ đồng", ["18,246 tỷ\nđồng", "18,246 tỷ đồng"]),
    ("thực hiện4.170,0 triệu đồngthực hiện", "4.170,0 triệu đồng", ["4.170,0 triệu đồng"]),  # glued (seed-001)
    ("chi 118,246 tỷ đồng", "18,246 tỷ đồng", []),                                         # not inside a number
    ("do sở công thương chủ trì", "Sở Công Thương", ["sở công thương"]),                    # any case as fallback
    ("", "5 tỷ đồng", []),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "needle", "expected"), LOCATE_CASES, ids=[c[1] for c in LOCATE_CASES]
)
def test_locate_finds_every_occurrence(text, needle, expected):
    assert [text[s:e] for s, e in locate(text, needle)] == expected


# fmt: off
VARIANT_CASES = [
    ("Hợp tác xã Phi Đoàn", ["Hợp tác xã Phi Đoàn", "HTX Phi Đoàn"]),
    ("Công ty TNHH Giang Hiền", ["Công ty TNHH Giang Hiền", "Cty TNHH Giang Hiền", "CTy TNHH Giang Hiền", "CTY TNHH Giang Hiền"]),
    ("Sở Công Thương", ["Sở Công Thương"]),
]
# fmt: on


@pytest.mark.parametrize(("name", "expected"), VARIANT_CASES, ids=[c[0] for c in VARIANT_CASES])
def test_org_variants_write_the_legal_form_short(name, expected):
    assert org_variants(name) == expected


# fmt: off
CUE_CASES = [
    ("trong đó ngân sách tỉnh", {"part", "local"}),
    ("dự kiến phân bổ", {"planned"}),
    ("đã giải ngân", {"achieved"}),
    ("kinh phí khuyến công quốc gia", {"national"}),
    ("hôm nay trời mưa", set()),
]
# fmt: on


@pytest.mark.parametrize(("text", "groups"), CUE_CASES, ids=[c[0] for c in CUE_CASES])
def test_cue_groups(text, groups):
    assert cue_groups([t[2] for t in tokens(text)]) == groups


@pytest.mark.parametrize(
    ("value", "bucket"), [(18_246_000_000, "1e10"), (9, "1e0"), (0, "none"), (None, "none")]
)
def test_magnitude(value, bucket):
    assert magnitude(value) == bucket


def test_bio_and_decode_round_trip():
    text = "Hợp tác xã Phi Đoàn được hỗ trợ"
    seq = tokens(text)
    labels = bio(seq, [(0, 19, "ORG")])
    assert labels == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O"]
    assert decode(seq, labels) == [(0, 19, "ORG")]


def test_decode_starts_a_span_on_a_stray_inside_label():
    seq = tokens("Sở Công Thương")
    assert decode(seq, ["O", "I-ORG", "I-ORG"]) == [(3, 14, "ORG")]


def test_terms_fold_numbers_and_add_bigrams():
    assert terms("Khuyến công 2022") == ["khuyến", "công", "0", "khuyến công", "công 0"]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_linear_model_matches_scikit_learn(n_classes):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X = [{"a": 1.0}, {"b": 1.0}, {"c": 1.0}, {"a": 1.0, "c": 1.0}, {"b": 1.0, "c": 1.0}, {"c": 2.0}]
    y = ["x", "y", "z", "x", "y", "z"] if n_classes == 3 else ["x", "y", "y", "x", "y", "y"]
    ours = fit(X, y)
    vec = DictVectorizer(sort=True)
    ref = LogisticRegression(C=1.0, max_iter=3000, random_state=0).fit(vec.fit_transform(X), y)
    for x, row in zip(X, ref.predict_proba(vec.transform(X)), strict=True):
        p = ours.proba(x)
        assert [round(p[c], 3) for c in ref.classes_] == [round(float(v), 3) for v in row]


def test_linear_model_json_round_trip():
    m = fit([{"a": 1.0}, {"b": 1.0}, {"a": 1.0}, {"b": 1.0}], ["x", "y", "x", "y"])
    assert m.predict({"a": 1.0}) == "x"
    assert LinearModel.from_json(m.to_json()) == m


def test_single_class_gives_a_constant_model():
    m = fit([{"a": 1.0}, {"b": 1.0}], ["planned", "planned"])
    assert m.predict({"zzz": 1.0}) == "planned"


# --- properties ------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["Hợp", "tác", "xã", "Phi", "Đoàn", "hỗ", "trợ", "18,246", "tỷ", "đồng", ",", "."]
)


@given(
    st.lists(WORDS, max_size=12),
    st.lists(WORDS, min_size=1, max_size=4),
    st.lists(WORDS, max_size=12),
)
def test_locate_finds_a_needle_between_spaces(before, needle, after):
    text = " ".join([*before, "", *needle, "", *after]).replace("  ", " \n ")
    target = " ".join(needle)
    assert (
        any(" ".join(text[s:e].split()) == target for s, e in locate(text, target))
        or not target.strip()
    )


@given(
    st.lists(st.sampled_from(["O", "B-ORG", "I-ORG", "B-PROJ", "I-PROJ"]), min_size=1, max_size=30)
)
def test_decode_gives_ordered_disjoint_spans_that_bio_reproduces(labels):
    text = " ".join(f"w{i}" for i in range(len(labels)))
    seq = tokens(text)
    spans = decode(seq, labels)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert decode(seq, bio(seq, spans)) == spans
