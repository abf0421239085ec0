"""Project titles, beneficiaries and attributes (phenomena of seed-001 and seed-004, our words).

DEV_CASES: written on; BUGS_CAUGHT: real failures; KNOWN_MISSES: xfail(strict=True).
"""

from __future__ import annotations

import pytest

import kcextract

# fmt: off
DEV_CASES = [
    # text, expected titles
    ("Năm 2023, đề án “Hỗ trợ máy sấy chè cho HTX Tân Cương” được phê duyệt.", ["Hỗ trợ máy sấy chè cho HTX Tân Cương"]),
    ('Đề án "Ứng dụng dây chuyền ép dầu lạc" của Công ty TNHH Hòa Bình đã nghiệm thu.', ["Ứng dụng dây chuyền ép dầu lạc"]),
    ("Trung tâm được giao 3 đề án gồm: Đề án Hỗ trợ xây dựng thương hiệu gạo (2 sản phẩm); Đề án tổ chức hội chợ hàng CNNT năm 2024; Nhiệm vụ chi quản lý chương trình năm 2024.",
     ["Hỗ trợ xây dựng thương hiệu gạo (2 sản phẩm)", "tổ chức hội chợ hàng CNNT năm 2024", "chi quản lý chương trình năm 2024"]),
    # a ";" inside a title: the segment after it does not open a new item
    ("Gồm: Đề án Hỗ trợ thuê tư vấn trong lĩnh vực Marketing; Quản lý sản xuất, tài chính; Đề án Hỗ trợ máy đóng gói.",
     ["Hỗ trợ thuê tư vấn trong lĩnh vực Marketing; Quản lý sản xuất, tài chính", "Hỗ trợ máy đóng gói"]),
    ("Các đề án hỗ trợ ứng dụng máy móc từng bước phát huy hiệu quả.", []),
    # vntc_002: projects named as examples, parallel items after a comma
    ("Năm nay sẽ chú trọng đào tạo, như đề án bồi dưỡng kỹ năng bán hàng trực tuyến, bồi dưỡng nghiệp vụ xuất khẩu cho doanh nghiệp.",
     ["bồi dưỡng kỹ năng bán hàng trực tuyến", "bồi dưỡng nghiệp vụ xuất khẩu cho doanh nghiệp"]),
    ("Đây là dự án điển hình trong nhóm chế biến dừa.", []),
    ("Đề án khuyến công địa phương hỗ trợ cho HTX Phi Đoàn.", []),
]
# fmt: on


def _record(text: str):
    return kcextract.extract_text("Tiêu đề\n" + text, doc_id="t", use_models=False)


@pytest.mark.parametrize(("text", "titles"), DEV_CASES, ids=lambda x: str(x)[:40])
def test_projects_titles(text, titles):
    assert [p.title for p in _record(text).projects] == titles


# fmt: off
ATTRIBUTE_CASES = [
    # text, title, beneficiaries, amount_vnd, funding, year, status
    ("Về đề án khuyến công quốc gia năm 2022, Trung tâm được giao thực hiện 1 đề án gồm: Đề án “Hỗ trợ ứng dụng máy chế biến nông sản”, đơn vị thụ hưởng là HTX Yến Dương, kinh phí thực hiện là 200 triệu đồng.",
     "Hỗ trợ ứng dụng máy chế biến nông sản", ["Hợp tác xã Yến Dương"], 200_000_000, "national", 2022, "planned"),
    ("Tháng 8/2017, đề án “Hỗ trợ máy cán tôn” của Công ty TNHH Giang Hiền đã được nghiệm thu.",
     "Hỗ trợ máy cán tôn", ["Công ty TNHH Giang Hiền"], None, None, 2017, "achieved"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "title", "benef", "amount", "funding", "year", "status"),
    ATTRIBUTE_CASES,
    ids=lambda x: str(x)[:30],
)
def test_projects_attributes(text, title, benef, amount, funding, year, status):
    p = next(p for p in _record(text).projects if p.title == title)
    assert (p.beneficiaries, p.amount_vnd, p.funding, p.year, p.status) == (
        benef,
        amount,
        funding,
        year,
        status,
    )
