"""provinces: the table, the matcher's context rules, and every gold file.

DEV_CASES are short made-up articles (headline, then body) written for the rules they test;
GOLD cases are the gold files beside the repository and in ``annotations/``.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from kcextract.document import Document
from kcextract.extract import Context
from kcextract.extract import provinces as pv
from kcextract.ingest import document_from_text, read_path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"

# fmt: off
DEV_CASES = [
    ("Cao Bằng: Triển khai đề án khuyến công\nUBND tỉnh phê duyệt 12 đề án.", ["Cao Bằng"]),
    ("Khuyến công Bắc Kạn năm 2022\nTrung tâm Khuyến công tỉnh hỗ trợ 10 cơ sở.", ["Bắc Kạn"]),
    ("Nghiệm thu đề án khuyến công\nTrung tâm Khuyến công và Tư vấn phát triển công nghiệp Thái Bình nghiệm thu 3 đề án.", ["Thái Bình"]),
    ("Hỗ trợ hợp tác xã\nÔng A ở huyện Chương Mỹ, TP Hà Nội hỏi về chính sách hỗ trợ HTX.", []),
    ("Giá xăng giảm từ chiều nay\nCác cửa hàng ở Nghệ An và Hà Tĩnh điều chỉnh giá ngay.", []),
    ("Khuyến công TP.HCM năm 2024\nSở Công Thương TP.HCM hỗ trợ 40 đề án.", ["Hồ Chí Minh"]),
    ("Đề án OCOP của BR-VT\nTỉnh Bà Rịa - Vũng Tàu có 50 sản phẩm OCOP.", ["Bà Rịa - Vũng Tàu"]),
    ("Khuyến công Đăk Lăk\nTrung tâm Khuyến công Đắk Lắk hỗ trợ 5 đề án.", ["Đắk Lắk"]),
    ("Thanh Hoá: làng nghề được hỗ trợ\nNội dung.", ["Thanh Hóa"]),
    ("Khuyến công vùng Thái Bình Dương\nCác nước Thái Bình Dương và đề án khuyến công.", []),
    ("Lâm Đồng nghiệm thu đề án tại khu vực Bình Thuận cũ\nĐề án khuyến công ở khu vực Bình Thuận cũ.", ["Lâm Đồng"]),
    ("Đề án khuyến công ở huyện Long Hồ\nHTX ở xã Hòa Bình, huyện Long Hồ nhận hỗ trợ.", []),
    ("Làng nghề du lịch ở Thừa Thiên - Huế\nTP Huế có 20 làng nghề được hỗ trợ.", ["Thừa Thiên Huế"]),
    ("Khuyến công năm 2026\nSở Công Thương thành phố Huế hỗ trợ 9 đề án khuyến công.\n15/01/2026", ["Huế"]),
    ("Hội chợ hàng Việt\nTại Hà Nội, đề án xúc tiến thương mại quốc gia khai mạc.", []),
    ("Tiêu đề\nTỉnh Hà Giang triển khai Chương trình khuyến công tỉnh đến năm 2030.", ["Hà Giang"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "expected"), DEV_CASES, ids=[c[0].split("\n")[0] for c in DEV_CASES]
)
def test_build(text: str, expected: list[str]) -> None:
    doc = document_from_text(text, "x")
    assert pv.build(doc, pv.find(doc), Context([])) == expected


def test_mentions_point_at_their_surface() -> None:
    doc = document_from_text("Khuyến công Cao Bằng\nSở Công Thương TP.HCM và tỉnh Bắc Cạn.", "x")
    got = [(doc.text[m.start : m.end], m.value, m.attrs["cue"]) for m in pv.find(doc)]
    assert got == [
        ("Cao Bằng", "Cao Bằng", "agency"),
        ("TP.HCM", "Hồ Chí Minh", "agency"),
        ("Bắc Cạn", "Bắc Kạn", "province"),
    ]


# -- the table ------------------------------------------------------------------------------
def test_table_has_63_units_before_and_34_after_the_2025_merger() -> None:
    units = pv.units()
    before = {u.name for u in units if not u.valid_from and u.valid_to != "2008-07-31"}
    now = {u.name for u in units if not u.valid_to}
    assert len(before) == 63
    assert len(now) == 34
    for u in units:
        assert u.name == unicodedata.normalize("NFC", u.name)
        assert not u.successor or u.successor in now
        for a in u.aliases + u.context_aliases:
            assert a and a == unicodedata.normalize("NFC", a)


def test_no_alias_names_two_different_units() -> None:
    owner: dict[str, set[str]] = {}
    for u in pv.units():
        for a in (u.name, *u.aliases):
            owner.setdefault(a, set()).add(u.name)
    assert {a: n for a, n in owner.items() if len(n) > 1} == {}


# -- gold -----------------------------------------------------------------------------------
def _gold() -> list[tuple[Path, Path]]:
    pairs = []
    for gold in sorted(SHARED.glob("gold/*/*.json")) + sorted(
        (REPO / "annotations").glob("*.json")
    ):
        doc_id = json.loads(gold.read_text(encoding="utf-8"))["doc_id"]
        found = [p for r in (SHARED / "corpus", REPO / "corpus") for p in r.glob(f"*/{doc_id}.*")]
        if found:
            pairs.append((gold, found[0]))
    return pairs


GOLD = _gold()


@pytest.mark.skipif(not GOLD, reason="no gold files beside the repository")
@pytest.mark.parametrize(("gold", "article"), GOLD, ids=[g.stem for g, _ in GOLD])
def test_gold_provinces(gold: Path, article: Path) -> None:
    exp = json.loads(gold.read_text(encoding="utf-8"))
    doc = next(
        d for d in read_path(article) if isinstance(d, Document) and d.doc_id == exp["doc_id"]
    )
    assert pv.build(doc, pv.find(doc), Context([])) == exp["provinces"]
