"""The record's relevance: the relevance model's probability, null with the rules alone."""

from __future__ import annotations

import pytest

import kcextract
from kcextract.models.registry import relevance_model

# fmt: off
CASES = [
    ("Cao Bằng: kế hoạch khuyến công\nNăm 2024, tỉnh dành 2,5 tỷ đồng hỗ trợ 10 đề án khuyến công cho HTX Phi Đoàn.", True),
    ("Giá vàng tăng mạnh\nGiá vàng miếng hôm nay tăng 200.000 đồng/lượng, ngân hàng giữ lãi suất.", False),
]
# fmt: on


@pytest.mark.skipif(relevance_model() is None, reason="no relevance model installed")
@pytest.mark.parametrize(("text", "relevant"), CASES, ids=["khuyen-cong", "gold-price"])
def test_relevance_field_on_records(text, relevant):
    rec = kcextract.extract_text(text, doc_id="t")
    assert rec.relevance is not None
    assert (rec.relevance >= 0.5) == relevant


def test_relevance_field_is_null_with_rules_only():
    assert (
        kcextract.extract_text("Tiêu đề\nNội dung.", doc_id="t", use_models=False).relevance is None
    )
