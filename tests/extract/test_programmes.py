"""Programmes: names, years, province and budget split (phenomena of seed-000/001/002,
baomoi13_020, baomoi17_001, in our own words)."""

from __future__ import annotations

import pytest

import kcextract

# fmt: off
CASES = [
    # text, expected (province, start, end, total, local, national) per programme
    ("Lạng Sơn: Kế hoạch khuyến công tỉnh Lạng Sơn giai đoạn 2021 – 2025 có tổng kinh phí 20,5 tỷ đồng. Trong đó, ngân sách địa phương 6,5 tỷ đồng, ngân sách trung ương 14 tỷ đồng.",
     [("Lạng Sơn", 2021, 2025, 20_500_000_000, 6_500_000_000, 14_000_000_000)]),
    ("Năm 2017, Bộ Công Thương bố trí 93 tỷ đồng cho Chương trình xúc tiến thương mại quốc gia năm 2017.",
     [(None, 2017, 2017, 93_000_000_000, None, None)]),
    ("Tỉnh Hà Giang triển khai Chương trình khuyến công tỉnh đến năm 2030.",
     [("Hà Giang", None, 2030, None, None, None)]),
    ("Xã được hưởng chương trình 134/QĐ-TTg và chương trình 135 giai đoạn II.",
     [(None, None, None, None, None, None), (None, None, None, None, None, None)]),
    ("Trung tâm hướng dẫn các cơ sở lập kế hoạch khuyến công.", []),
    # seed-003: plans listed after the first share its name
    ("Tỉnh Cao Bằng đã ban hành 02 kế hoạch khuyến công giai đoạn 2016 - 2020, 2021 - 2025 và các kế hoạch hằng năm.",
     [("Cao Bằng", 2016, 2020, None, None, None), ("Cao Bằng", 2021, 2025, None, None, None)]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES, ids=lambda x: str(x)[:40])
def test_programmes_keys_and_budgets(text, expected):
    rec = kcextract.extract_text("Tiêu đề\n" + text, doc_id="t", use_models=False)
    got = [
        (p.province, p.start, p.end, p.total_vnd, p.local_vnd, p.national_vnd)
        for p in rec.programmes
    ]
    assert got == expected


def test_programmes_split_that_does_not_add_up_is_a_warning():
    text = (
        "Tiêu đề\nKế hoạch khuyến công tỉnh Lạng Sơn giai đoạn 2021 – 2025 có tổng kinh phí 20 tỷ đồng. "
        "Trong đó, ngân sách địa phương 6 tỷ đồng, ngân sách trung ương 13 tỷ đồng."
    )
    rec = kcextract.extract_text(text, doc_id="t", use_models=False)
    assert any(w.startswith("KC-W001") for w in rec.warnings)
