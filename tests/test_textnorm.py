"""textnorm: NFC, odd spaces and glued-word repair, all keeping the offset map into raw.

GLUE_CASES come from the spec, the issue and the scraped corpora (kncto, baomoi, seed-001);
KEEP_CASES are decimals, codes, abbreviations, URLs and brands that must come out unchanged.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcextract.document import MappedText
from kcextract.textnorm import fold_spaces, nfc, normalize, repair_glue

# fmt: off
GLUE_CASES = [
    ("thực hiện4.170,0 triệu đồngthực hiện", "thực hiện 4.170,0 triệu đồng thực hiện"),
    ("giải ngân5.640,8 triệu đồngđạt 97%", "giải ngân 5.640,8 triệu đồng đạt 97%"),
    ("sạch hơn.Đặc biệt", "sạch hơn. Đặc biệt"),
    ("03/06/2022Thực hiện", "03/06/2022 Thực hiện"),
    ("1937 03/06/2022Thực hiện", "1937 03/06/2022 Thực hiện"),
    ("hiệu quảCác cơ sở", "hiệu quả Các cơ sở"),
    ("doanh nghiệpThi Sơn", "doanh nghiệp Thi Sơn"),
    ("Ảnh: Hồ LàiĐiểm sáng", "Ảnh: Hồ Lài Điểm sáng"),
    ("về làng.Việt Tùng", "về làng. Việt Tùng"),
    ("năm2022 tỉnh", "năm 2022 tỉnh"),
    ("xong.”Ông Ba", "xong.” Ông Ba"),
    ("12 tỷ đồngtrong đó", "12 tỷ đồng trong đó"),
]
KEEP_CASES = [
    "7.690,50 triệu đồng",
    "22/CTr-UBND",
    "TP.HCM và Tp.HCM",
    "Tp. Hồ Chí Minh",
    "COVID-19",
    "H5N1",
    "www.site.com.vn",
    "lienhe@sct.gov.vn",
    "kinh phí ngành công nghiệp của tỉnh",
    "VnExpress và VietinBank, iPhone",
    "100m2 nhà xưởng, 5km",
    "CO2 và PM2.5",
    "Quyết định 1234/QĐ-UBND",
    "18,246 tỷ đồng",
    "ThS.Nguyễn Văn A",
    "cộng đồngxã hội",  # a unit glues only right after a number
]
SPACE_CASES = [
    ("Bắc\u00a0Kạn", "Bắc Kạn"),
    ("Cao  \t Bằng", "Cao Bằng"),
    ("một\u200bhai", "mộthai"),
    ("dòng 1 \r\n  dòng 2", "dòng 1\ndòng 2"),
    ("đoạn 1\n\n \n\nđoạn 2", "đoạn 1\nđoạn 2"),
    ("a\u2009b\u202fc", "a b c"),
    ("khuyến\u00adcông", "khuyếncông"),
]
NFC_CASES = [
    ("Kha\u0309i", "Khải"),
    ("Tuye\u0302\u0300n", "Tuyền"),
    ("Nghe\u0323\u0302 An", "Nghệ An"),  # marks out of canonical order
    ("Đa\u0306\u0301k", "Đắk"),
]
# fmt: on


@pytest.mark.parametrize(("raw", "expected"), GLUE_CASES, ids=[c[0] for c in GLUE_CASES])
def test_repair_glue_inserts_a_space(raw: str, expected: str) -> None:
    out = repair_glue(MappedText.identity(raw))
    assert out.text == expected
    inserted = [i for i in range(len(out)) if out.starts[i] == out.ends[i]]
    assert inserted and all(out.text[i] == " " for i in inserted)


@pytest.mark.parametrize("raw", KEEP_CASES)
def test_repair_glue_keeps_codes_and_decimals(raw: str) -> None:
    assert normalize(MappedText.identity(raw)).text == raw


@pytest.mark.parametrize(("raw", "expected"), SPACE_CASES, ids=[repr(c[0]) for c in SPACE_CASES])
def test_fold_spaces(raw: str, expected: str) -> None:
    assert fold_spaces(MappedText.identity(raw)).text == expected


@pytest.mark.parametrize(("raw", "expected"), NFC_CASES, ids=[c[1] for c in NFC_CASES])
def test_nfc_maps_a_composed_char_to_its_whole_cluster(raw: str, expected: str) -> None:
    out = nfc(MappedText.identity(raw))
    assert out.text == expected
    for i, ch in enumerate(out.text):
        assert unicodedata.normalize("NFC", raw[out.starts[i] : out.ends[i]]) == ch


def test_clean_input_is_returned_unchanged() -> None:
    mt = MappedText.identity("Cao Bằng: Triển khai đề án.\nDòng hai.")
    assert normalize(mt) is mt


# -- the offset-map invariant ---------------------------------------------------------------
_ODD = "\u00a0\u2009\u202f\u3000\t"
_GONE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def _fold(raw: str) -> str:
    """What the raw characters behind one clean group should read as."""
    t = raw.translate({ord(c): None for c in _GONE})
    t = unicodedata.normalize("NFC", t).translate({ord(c): " " for c in _ODD})
    t = re.sub(r" *(?:(?:\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]) *)+", "\n", t)
    return re.sub(r" {2,}", " ", t)


_MARKS = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"]
_PIECES = ["ế", "Thực", "đồng", "TP.HCM", "hơn.", "Đặc", "quả", "Các"]
_ALPHABET = st.sampled_from(
    [*"aăâeêioôơuưyđAĐHTVN0123456789 .,:/-\n", *_MARKS, *_ODD, *_GONE, "\r", "\u2028", *_PIECES]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_every_clean_char_maps_back_to_raw(raw: str) -> None:
    """Clean characters, grouped by the raw range they map to (overlapping ranges join one
    group), read as that raw text after NFC and space folding; inserted ones are spaces."""
    out = normalize(MappedText.identity(raw))
    assert len(out.text) == len(out.starts) == len(out.ends)
    assert unicodedata.is_normalized("NFC", out.text)
    groups: list[tuple[int, int, str]] = []
    for ch, s, e in zip(out.text, out.starts, out.ends, strict=True):
        assert 0 <= s <= e <= len(raw)
        if s == e:
            assert ch == " "
            groups.append((s, e, ""))
        elif groups and groups[-1][2] and s < groups[-1][1]:
            gs, ge, gt = groups[-1]
            groups[-1] = (gs, max(ge, e), gt + ch)
        else:
            assert not groups or s >= groups[-1][1]
            groups.append((s, e, ch))
    for s, e, text in groups:
        if text:
            assert text == _fold(raw[s:e]), (raw[s:e], text)
