"""metadata: headline, publication date (the article's, not the page clock), body start.

SYNTHETIC cases imitate the layouts seen in the corpora (page clock above the headline,
labelled dates, baomoi trailers, glued view counters); GOLD cases are every gold file beside
the repository (``../shared/gold``) and in ``annotations/``, checked against their articles.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kcextract.canon import fold_ws
from kcextract.document import Document
from kcextract.ingest import document_from_html, document_from_text, read_path
from kcextract.metadata import clean_title, parse_date

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# fmt: off
DATES = [
    ("22/06/2018", "2018-06-22"),
    ("• Thứ tư 19/06/2019 13:23", "2019-06-19"),
    ("Tin đăng lúc 13-11-2017", "2017-11-13"),
    ("27/05/13 13:05 GMT+7", "2013-05-27"),
    ("2023-03-08T07:45:00+07:00", "2023-03-08"),
    ("ngày 8 tháng 1 năm 2015", "2015-01-08"),
    ("Cập nhật: 15:10, 28/12/2023", "2023-12-28"),
    ("31/02/2020", None),
    ("13/13/2020", None),
    ("không có ngày", None),
]
TITLES = [
    ("Cao Bằng: Triển khai đề án - Báo Công Thương", "Cao Bằng: Triển khai đề án"),
    ("Khuyến công Nghệ An | Báo Nghệ An điện tử", "Khuyến công Nghệ An"),
    ("Bà Rịa - Vũng Tàu hỗ trợ 12 đề án", "Bà Rịa - Vũng Tàu hỗ trợ 12 đề án"),
    ("Hà Nam: “Kéo” công nghiệp về làng", "Hà Nam: “Kéo” công nghiệp về làng"),
    ("  Tiêu  đề\u00a0có   khoảng trắng ", "Tiêu đề có khoảng trắng"),
    ("Lạng Sơn - Khuyến công - VnExpress", "Lạng Sơn - Khuyến công"),
]
# (text, title, published, first words of the body)
SYNTHETIC = [
    ("20/04/2020\n\nTỉnh A: Kế hoạch mới\n\nNội dung bài.", "Tỉnh A: Kế hoạch mới", "2020-04-20", "Nội dung"),
    ("• Thứ tư 19/06/2019 13:23\n\nTiêu đề bài\n\n22/06/2018\n\n(VEN) - Nội dung.", "Tiêu đề bài", "2018-06-22", "(VEN)"),
    ("Thứ Sáu, 19/04/2024 17:03:12 GMT+7\n\nTin đăng lúc 13-11-2017\n\nLượt xem: 9708\n\nTiêu đề bài\n\nNội dung.", "Tiêu đề bài", "2017-11-13", "Nội dung"),
    ("Tiêu đề bài\nNội dung bài.\n27/05/13 13:05 GMT+7\nKinh tế\nThẻ,Thẻ hai\nHà Nội Mới", "Tiêu đề bài", "2013-05-27", "Nội dung"),
    ("Tiêu đề bài\n1937 03/06/2022Thực hiện kế hoạch.", "Tiêu đề bài", "2022-06-03", "1937"),
    ("Tiêu đề bài\nCập nhật: 12/01/2024 10:05(ABC) - Nội dung.", "Tiêu đề bài", "2024-01-12", "Cập nhật"),
    ("Tiêu đề bài\nNgày 3/10, UBND tỉnh họp.\nTháng 9/2022 có 5 đề án.", "Tiêu đề bài", None, "Ngày 3/10"),
    ("Scroll\nTrang chủ\nTiêu đề thật sự\nNội dung.", "Tiêu đề thật sự", None, "Nội dung"),
    ("Tiêu đề bài\nNội dung.\nTin liên quan:\n- Bài khác ở Sơn La", "Tiêu đề bài", None, "Nội dung"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), DATES, ids=[d[0] for d in DATES])
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("raw", "expected"), TITLES, ids=[t[0] for t in TITLES])
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


@pytest.mark.parametrize(
    ("text", "title", "published", "body"), SYNTHETIC, ids=range(len(SYNTHETIC))
)
def test_text_metadata(text: str, title: str, published: str | None, body: str) -> None:
    doc = document_from_text(text, "x")
    assert (doc.title, doc.published) == (title, published)
    assert doc.text[doc.body_start :].startswith(body)


def test_trailer_is_cut_from_the_clean_text() -> None:
    doc = document_from_text(SYNTHETIC[3][0], "x")
    assert doc.text.endswith("Nội dung bài.")
    assert doc.meta["source_name"] == "Hà Nội Mới"
    doc = document_from_text(SYNTHETIC[8][0], "x")
    assert "Sơn La" not in doc.text


def test_html_trailer_is_cut() -> None:
    page = (
        "<html><body><h1>Tiêu đề bài</h1><p>Nội dung.</p><p>In trang | Gửi email</p></body></html>"
    )
    doc = document_from_html(page, "x")
    assert (doc.text, doc.meta["trailer"]) == ("Tiêu đề bài\nNội dung.", "In trang | Gửi email")


def test_credit_is_read_from_the_body_start() -> None:
    doc = document_from_text(SYNTHETIC[1][0], "x")
    assert doc.meta["credit"] == "VEN"


def _gold() -> list[tuple[Path, Path]]:
    """(gold file, article file) pairs from ../shared and annotations/."""
    pairs = []
    for gold in sorted(SHARED.glob("gold/*/*.json")) + sorted(
        (REPO / "annotations").glob("*.json")
    ):
        doc_id = json.loads(gold.read_text(encoding="utf-8"))["doc_id"]
        roots = [SHARED / "corpus", REPO / "corpus"]
        found = [p for r in roots for p in r.glob(f"*/{doc_id}.*")]
        if found:
            pairs.append((gold, found[0]))
    return pairs


def _doc_for(article: Path, doc_id: str) -> Document:
    for item in read_path(article):
        if isinstance(item, Document) and item.doc_id == doc_id:
            return item
    raise AssertionError(f"{doc_id} not read from {article}")


GOLD = _gold()


@pytest.mark.skipif(not GOLD, reason="no gold files beside the repository")
@pytest.mark.parametrize(("gold", "article"), GOLD, ids=[g.stem for g, _ in GOLD])
def test_gold_title_and_published(gold: Path, article: Path) -> None:
    exp = json.loads(gold.read_text(encoding="utf-8"))
    doc = _doc_for(article, exp["doc_id"])
    assert fold_ws(doc.title or "") == fold_ws(exp["title"] or "")
    assert doc.published == exp["published"]
