"""``apply_models``: relabels attributes and merges span candidates per field setting."""

from __future__ import annotations

import pytest

from kcextract.extract import Context
from kcextract.ingest import document_from_text
from kcextract.models.apply import apply_models
from kcextract.models.linear import LinearModel
from kcextract.models.registry import Bundle
from kcextract.schema import AmountOut, OrganizationOut
from kcextract.segment import sentences

TEXT = "Tin\nNăm 2024, tỉnh A đã giải ngân 5 tỷ đồng. Sở Công Thương tỉnh A và HTX Bình An ký kết."


class FakeTagger:
    """Stands for the CRF: fixed candidates."""

    def __init__(self, cands):
        self.cands = cands

    def spans(self, text, sents, labels=("ORG", "PROJ")):
        return [c for c in self.cands if c[2] in labels]


def const(label: str) -> LinearModel:
    return LinearModel([label], [0.0], {})


def setup(cands=()):
    doc = document_from_text(TEXT, "x")
    ctx = Context(sentences=sentences(doc.text, doc.body_start))
    s = doc.text.index("5 tỷ đồng")
    ctx.facts["amounts"] = [
        AmountOut(text="5 tỷ đồng", value_vnd=5_000_000_000, status="planned", spans=[(s, s + 9)])
    ]
    o = doc.text.index("Sở Công Thương tỉnh A")
    ctx.facts["organizations"] = [
        OrganizationOut(
            name="Sở Công Thương tỉnh A", type="agency", role="implementer", spans=[(o, o + 21)]
        )
    ]
    bundle = Bundle(
        None,
        attributes={
            "amounts.status": {"model": const("achieved"), "combined": const("unknown")},
            "amounts.funding": {"model": const("null"), "combined": const("local")},
            "organizations.role": {"model": const("beneficiary"), "combined": const("other")},
        },
        tagger=FakeTagger(list(cands)),
    )
    return doc, ctx, bundle


# (setting, expected amount status, funding, organization role)
# fmt: off
ATTR_CASES = [
    ("rules",    "planned",  None,    "implementer"),
    ("model",    "achieved", None,    "beneficiary"),
    ("combined", "unknown",  "local", "other"),
]
# fmt: on


@pytest.mark.parametrize(
    ("setting", "status", "funding", "role"), ATTR_CASES, ids=[c[0] for c in ATTR_CASES]
)
def test_attributes_follow_the_setting(setting, status, funding, role):
    doc, ctx, bundle = setup()
    keys = ("amounts.status", "amounts.funding", "organizations.role")
    apply_models(doc, ctx, {k: setting for k in keys}, bundle)
    amount, org = ctx.facts["amounts"][0], ctx.facts["organizations"][0]
    assert (amount.status, amount.funding, org.role) == (status, funding, role)


def test_no_bundle_leaves_the_facts_alone(monkeypatch):
    import kcextract.models.apply as apply_mod

    monkeypatch.setattr(apply_mod, "active_bundle", lambda: None)
    doc, ctx, _ = setup()
    apply_models(doc, ctx)
    assert ctx.facts["amounts"][0].status == "planned"


def _cands():
    text = document_from_text(TEXT, "x").text
    sct = text.index("Sở Công Thương")
    htx = text.index("HTX Bình An")
    return [(sct, sct + 14, "ORG"), (htx, htx + 11, "ORG")]


# (setting, organization names after the merge)
# fmt: off
SPAN_CASES = [
    ("rules",    ["Sở Công Thương tỉnh A"]),
    ("combined", ["Sở Công Thương tỉnh A", "Hợp tác xã Bình An"]),   # overlap with a rule fact: dropped
    ("model",    ["Sở Công Thương", "Hợp tác xã Bình An"]),
]
# fmt: on


@pytest.mark.parametrize(("setting", "names"), SPAN_CASES, ids=[c[0] for c in SPAN_CASES])
def test_span_candidates_merge_with_the_rules(setting, names):
    doc, ctx, bundle = setup(_cands())
    apply_models(doc, ctx, {"organizations.names": setting}, bundle)
    assert [o.name for o in ctx.facts["organizations"]] == names


def test_added_organizations_take_the_model_attributes():
    doc, ctx, bundle = setup(_cands())
    apply_models(doc, ctx, {"organizations.names": "combined"}, bundle)
    added = ctx.facts["organizations"][1]
    assert added.role == "beneficiary"
    assert doc.text[added.spans[0][0] : added.spans[0][1]] == "HTX Bình An"


def test_a_failing_model_keeps_the_rules_facts_and_warns():
    doc, ctx, bundle = setup(_cands())
    bundle.attributes["amounts.status"]["model"] = None  # breaks predict
    apply_models(doc, ctx, {"amounts.status": "model", "organizations.names": "combined"}, bundle)
    assert ctx.facts["amounts"][0].status == "planned"
    assert [o.name for o in ctx.facts["organizations"]] == ["Sở Công Thương tỉnh A"]
    assert ctx.warnings and ctx.warnings[0].startswith("KC-W050")


# (text, rule name, model span end, name after the merge)
# fmt: off
EXTEND_CASES = [
    ("Trung tâm Khuyến công Bà Rịa – Vũng Tàu tổ chức hội nghị.", "Trung tâm Khuyến công Bà Rịa", "Vũng Tàu", "Trung tâm Khuyến công Bà Rịa – Vũng Tàu"),   # kc-s01
    ("Trung tâm Khuyến công Bà Rịa tổ chức hội nghị.", "Trung tâm Khuyến công Bà Rịa", "tổ chức", "Trung tâm Khuyến công Bà Rịa"),                 # lower-case words: kept
    ("Chính phủ Trần Văn An chỉ đạo.", "Chính phủ", "An", "Chính phủ"),                                                                           # a person after the name (blind test)
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "rule", "upto", "name"), EXTEND_CASES, ids=["dash", "verb", "person"]
)
def test_combined_extends_a_rule_name_to_the_models_longer_span(text, rule, upto, name):
    doc = document_from_text("Tin\n" + text, "x")
    ctx = Context(sentences=sentences(doc.text, doc.body_start))
    s = doc.text.index(rule)
    ctx.facts["organizations"] = [
        OrganizationOut(name=rule, type="agency", spans=[(s, s + len(rule))])
    ]
    end = doc.text.index(upto) + len(upto)
    bundle = Bundle(None, tagger=FakeTagger([(s, end, "ORG")]))
    apply_models(doc, ctx, {"organizations.names": "combined"}, bundle)
    assert [o.name for o in ctx.facts["organizations"]] == [name]
