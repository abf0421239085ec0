"""The numeric extractors never raise, and every span they return covers its own text."""

from __future__ import annotations

from _numeric_cases import run
from hypothesis import given, settings
from hypothesis import strategies as st

# fmt: off
_PIECES = [
    "năm", "2022", "2021 – 2025", "tháng", "9/2022", "6 tháng đầu năm", "từ", "đến", "nay",
    "tỷ", "triệu", "nghìn", "đồng", "đ", "VNĐ", "USD", "/", "-", ",", ".", "(", ")", "7.690,50",
    "18,246", "1.013", "hai", "trăm", "mười", "lăm", "nửa", "rưỡi", "trên", "khoảng", "gần",
    "đề án", "mô hình", "cơ sở", "lượt", "DN", "HTX", "125/182", "8 – 10", "quý", "II", "ngày",
    "khuyến công", "hỗ trợ", "đã", "sẽ", "trong đó", "tổng kinh phí", "\n", "  ", "Năm", "Từ",
]
# fmt: on
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(_TEXT, st.sampled_from([None, "2013-05-29"]))
def test_numeric_extractors_never_raise(text, published):
    for field in ("periods", "amounts", "targets"):
        run(text, field, published)  # run() checks that every span covers text
