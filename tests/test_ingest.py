"""ingest: encodings, HTML to text with offsets, JSONL dumps, rejects.

Fixtures are written to ``tmp_path``; the last tests read the corpora beside the repository
(``../shared``, ``corpus/``) and skip when they are absent.
"""

from __future__ import annotations

import codecs
import html
import json
import re
import unicodedata
from pathlib import Path

import pytest

from kcextract.document import Document
from kcextract.errors import Reject
from kcextract.ingest import decode_bytes, document_from_text, iter_files, read_path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

TEXT = "Khuyến công Bắc Kạn: Phấn đấu hoàn thành\n\nTrung tâm Khuyến công tỉnh Cao Bằng hỗ trợ 18,246 tỷ đồng."

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes as Vietnamese text is saved: base letter, then a combining tone."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


# fmt: off
ENCODINGS = [
    ("utf8",        lambda t: t.encode("utf-8")),
    ("utf8-bom",    lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
    ("utf16-bom",   lambda t: t.encode("utf-16")),
    ("utf16be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    ("utf16le-nobom", lambda t: t.encode("utf-16-le")),
    ("cp1258",      cp1258),
    ("utf8-nfd",    lambda t: unicodedata.normalize("NFD", t).encode("utf-8")),
    ("crlf",        lambda t: t.replace("\n", "\r\n").encode("utf-8")),
]
# fmt: on


@pytest.mark.parametrize(("name", "encode"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_txt_encodings_decode_to_the_same_clean_text(tmp_path: Path, name: str, encode) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(encode(TEXT))
    (doc,) = read_path(path)
    assert isinstance(doc, Document), doc
    assert doc.text == TEXT.replace("\n\n", "\n")
    assert doc.title == "Khuyến công Bắc Kạn: Phấn đấu hoàn thành"
    i = doc.text.index("Cao Bằng")
    s, e = doc.raw_span(i, i + len("Cao Bằng"))
    assert unicodedata.normalize("NFC", doc.raw[s:e]) == "Cao Bằng"


def test_decode_bytes_prefers_the_vietnamese_reading_of_legacy_bytes() -> None:
    raw = cp1258("Hỗ trợ ứng dụng máy móc thiết bị tiên tiến")
    text = unicodedata.normalize("NFC", decode_bytes(raw))
    assert text == "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến"


# -- HTML -----------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Cao Bằng hỗ trợ 12 đề án - Báo Công Thương</title>
<meta property="og:title" content="Cao Bằng hỗ trợ 12 đề án | Báo Công Thương">
<meta property="article:published_time" content="2023-03-08T07:45:00+07:00">
<style>p{color:red}</style><script>var x = "<p>không</p>";</script></head>
<body><header><div class="logo">Báo Công Thương</div></header>
<nav class="menu"><a href="/">Trang chủ</a><a href="/kt">Kinh tế</a></nav>
<div class="date-bar">Thứ Hai, 20/11/2026</div>
<div class="article-detail"><h1>Cao Bằng hỗ trợ 12 đề án</h1>
<div class="share-bar">Chia sẻ Facebook</div>
<p>Năm 2023, kinh phí là 1.600&nbsp;triệu đồng cho &quot;Hỗ trợ máy sấy&quot;.</p>
<p>Trung t&acirc;m Khuy&#7871;n c&ocirc;ng tỉnh<br>đã nghiệm thu.</p>
<div class="box-comment">Gửi bình luận</div>
<div class="related-news"><a href="/x">Tin khác về Hà Giang</a></div>
<div class="ads">Quảng cáo</div></div>
<footer>Cơ quan chủ quản</footer></body></html>"""

# fmt: off
HTML_KEPT = ["Cao Bằng hỗ trợ 12 đề án", "1.600 triệu đồng", '"Hỗ trợ máy sấy"', "Trung tâm Khuyến công tỉnh\nđã nghiệm thu."]
HTML_DROPPED = ["Trang chủ", "var x", "color:red", "Chia sẻ", "bình luận", "Hà Giang", "Quảng cáo", "Cơ quan chủ quản", "20/11/2026", "Báo Công Thương"]
# fmt: on


@pytest.fixture
def page_doc(tmp_path: Path) -> Document:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (doc,) = read_path(path)
    assert isinstance(doc, Document), doc
    return doc


@pytest.mark.parametrize("snippet", HTML_KEPT)
def test_html_keeps_article_text(page_doc: Document, snippet: str) -> None:
    assert snippet in page_doc.text


@pytest.mark.parametrize("snippet", HTML_DROPPED)
def test_html_drops_chrome(page_doc: Document, snippet: str) -> None:
    assert snippet not in page_doc.text


# fmt: off
HTML_SPANS = [
    ("Khuyến", "Khuy&#7871;n"),
    ("tâm", "t&acirc;m"),
    ('"Hỗ', "&quot;Hỗ"),
    ("1.600 triệu", "1.600&nbsp;triệu"),
    ("Cao Bằng hỗ trợ", "Cao Bằng hỗ trợ"),
]
# fmt: on


@pytest.mark.parametrize(("word", "raw"), HTML_SPANS, ids=[w for w, _ in HTML_SPANS])
def test_html_spans_point_into_the_page(page_doc: Document, word: str, raw: str) -> None:
    i = page_doc.text.index(word)
    s, e = page_doc.raw_span(i, i + len(word))
    assert page_doc.raw[s:e] == raw
    assert html.unescape(page_doc.raw[s:e]).replace("\xa0", " ") == word


def test_html_metadata(page_doc: Document) -> None:
    assert page_doc.title == "Cao Bằng hỗ trợ 12 đề án"
    assert page_doc.published == "2023-03-08"
    assert page_doc.text[page_doc.body_start :].startswith("Năm 2023")


def test_html_in_a_legacy_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1258"></head><body><p>Khuyến công</p></body></html>'
    path = tmp_path / "legacy.htm"
    path.write_bytes(cp1258(page))
    (doc,) = read_path(path)
    assert isinstance(doc, Document)
    assert doc.text == "Khuyến công"


# -- JSONL ----------------------------------------------------------------------------------
# fmt: off
JSONL_LINES = [
    ('{"id": "a1", "title": "Tiêu đề A", "text": "Nội dung A về khuyến công.", "published": "2024-01-18T08:00:00+07:00"}', ("doc", "a1")),
    ('{"content": "Nội dung B.", "url": "https://x.vn/b"}',                      ("doc", "dump:2")),
    ('{"body": "Nội dung C.", "title": "C"}',                                     ("doc", "dump:3")),
    ("",                                                                          None),
    ('{"id": "bad", "text": "thiếu ngoặc"',                                       ("KC-E005", 5)),
    ('["not", "an", "object"]',                                                   ("KC-E005", 6)),
    ('{"id": "empty", "text": "   "}',                                            ("KC-E006", 7)),
    ('{"id": "none", "title": "Chỉ có tiêu đề"}',                                 ("KC-E006", 8)),
    ('{"id": 42, "text": "Mã số là số nguyên."}',                                 ("doc", "42")),
]
# fmt: on


def test_jsonl_lines_give_documents_or_rejects(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(line for line, _ in JSONL_LINES) + "\n", encoding="utf-8")
    got = list(read_path(path))
    expected = [exp for _, exp in JSONL_LINES if exp is not None]
    assert len(got) == len(expected)
    for item, (kind, key) in zip(got, expected, strict=True):
        if kind == "doc":
            assert isinstance(item, Document), item
            assert item.doc_id == key
        else:
            assert isinstance(item, Reject), item
            assert (item.code, item.line, item.source) == (kind, key, str(path))


def test_jsonl_text_field_is_the_raw_and_title_is_metadata(tmp_path: Path) -> None:
    rec = {
        "id": "x",
        "title": "Tiêu đề",
        "text": "Đoạn\u00a0một.\nĐoạn hai.",
        "published": "18/01/2024",
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=True) + "\n", encoding="utf-8")
    (doc,) = read_path(path)
    assert isinstance(doc, Document)
    assert doc.raw == rec["text"]
    assert doc.text == "Đoạn một.\nĐoạn hai."
    assert (doc.title, doc.published, doc.body_start) == ("Tiêu đề", "2024-01-18", 0)


# -- rejects --------------------------------------------------------------------------------
# fmt: off
BAD_FILES = [
    ("missing.txt", None,                         "KC-E001"),
    ("empty.txt",   b"",                          "KC-E004"),
    ("blank.txt",   b" \n\n \t\n",                "KC-E004"),
    ("binary.txt",  b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "KC-E003"),
    ("empty.jsonl", b"\n\n",                      "KC-E004"),
    ("empty.html",  b"<html><script>x</script></html>", "KC-E004"),
]
# fmt: on


@pytest.mark.parametrize(("name", "data", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_rejected_by_name(tmp_path: Path, name: str, data, code: str) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    (item,) = read_path(path)
    assert isinstance(item, Reject), item
    assert item.code == code and item.source == str(path)


def test_iter_files_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ("b.txt", "a.html", "sub/c.jsonl", ".git/x", "sub/.hidden.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert got == ["a.html", "b.txt", "sub/c.jsonl"]


def test_document_from_text_keeps_raw() -> None:
    raw = "Tiêu đề\u00a0bài\n\nthực hiện4.170,0 triệu đồngthực hiện"
    doc = document_from_text(raw, "x")
    assert doc.raw == raw
    assert doc.text == "Tiêu đề bài\nthực hiện 4.170,0 triệu đồng thực hiện"
    assert doc.title == "Tiêu đề bài"


# -- the corpora ----------------------------------------------------------------------------
def _corpus_files() -> list[Path]:
    files = sorted((SHARED / "corpus").glob("*/*.txt")) if SHARED.exists() else []
    files += sorted(p for p in (REPO / "corpus").glob("*/*") if p.suffix != ".md")
    return files


_WORD = re.compile(r"\w+")


@pytest.mark.skipif(not _corpus_files(), reason="no corpus beside the repository")
def test_every_word_of_every_corpus_article_maps_back_to_its_raw_text() -> None:
    """``raw[span]`` of each clean word reads as that word (after NFC and entity decoding)."""
    n = 0
    for path in _corpus_files():
        for doc in read_path(path):
            assert isinstance(doc, Document), doc
            for m in _WORD.finditer(doc.text):
                s, e = doc.raw_span(m.start(), m.end())
                got = unicodedata.normalize("NFC", html.unescape(doc.raw[s:e]))
                got = re.sub(r"[\s\u200b-\u200d\u00ad\ufeff]+", "", got)
                assert got == m.group().replace(" ", ""), (doc.doc_id, m.group(), doc.raw[s:e])
                n += 1
    assert n > 1000


def test_iter_files_walks_article_suffixes_only(tmp_path):
    # corpus/south/README.md was read as an article once (an extra document in evaluate).
    for name in ("a.txt", "b.html", "c.jsonl", "README.md", "PROVENANCE.tsv", ".hidden.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in iter_files([tmp_path])] == ["a.txt", "b.html", "c.jsonl"]
    assert [p.name for p in iter_files([tmp_path / "README.md"])] == ["README.md"]
