"""Vietnamese numerals: digits with VN marks, number words, scales, and the round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kcextract.numbers import format_vn, parse_digits, parse_number, to_int

# fmt: off
DIGIT_CASES = [
    ("7.690,50", Decimal("7690.50")),   # spec: dot groups thousands, comma is decimal
    ("18,246", Decimal("18.246")),      # seed-000: 18,246 tỷ
    ("1.013", Decimal("1013")),         # spec
    ("13,800", Decimal("13.8")),        # seed-000: a decimal comma, not thirteen thousand
    ("4.170,0", Decimal("4170")),       # seed-001
    ("10.000", Decimal("10000")),
    ("1.500.000", Decimal("1500000")),
    ("1,500,000", Decimal("1500000")),  # several commas: thousands (English-style source)
    ("7,690.5", Decimal("7690.5")),     # both marks: the last one is the decimal mark
    ("1.5", Decimal("1.5")),            # one dot, not three digits after: a decimal point
    ("02", Decimal("2")),
    ("273,125", Decimal("273.125")),    # baomoi13_023
]
NUMBER_CASES = [
    ("1 tỷ 200 triệu", 1_200_000_000),
    ("1,2 nghìn tỷ", 1_200_000_000_000),
    ("hai trăm", 200),
    ("hai trăm triệu", 200_000_000),
    ("mười lăm", 15),
    ("một trăm linh năm", 105),
    ("hai mươi mốt", 21),
    ("ba mươi tư", 34),
    ("nửa tỷ", 500_000_000),
    ("hai triệu rưỡi", 2_500_000),
    ("500 nghìn", 500_000),
    ("3 ngàn", 3000),
    ("một nghìn hai trăm", 1200),
    ("7.690,50 triệu", 7_690_500_000),
    ("6,1 triệu tỷ", 6_100_000_000_000_000),
]
NOT_NUMBERS = ["kinh phí", "", "2 3", "hai ba", "rưỡi"]
# fmt: on


@pytest.mark.parametrize(("text", "value"), DIGIT_CASES, ids=[c[0] for c in DIGIT_CASES])
def test_numbers_parse_digits(text, value):
    assert parse_digits(text) == value


@pytest.mark.parametrize(("text", "value"), NUMBER_CASES, ids=[c[0] for c in NUMBER_CASES])
def test_numbers_parse_number(text, value):
    got = parse_number(text)
    assert got is not None and to_int(got) == value


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_numbers_not_a_number(text):
    assert parse_number(text) is None


@given(st.integers(min_value=0, max_value=10**15))
def test_numbers_round_trip_int(n):
    assert parse_digits(format_vn(n)) == n


@given(st.integers(min_value=1000, max_value=10**12), st.integers(min_value=1, max_value=99))
def test_numbers_round_trip_decimal_comma(whole, cents):
    value = Decimal(whole) + Decimal(cents) / 100
    assert parse_digits(format_vn(value, 2)) == value


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["tỷ", "triệu", "nghìn"]))
def test_numbers_scale_words(n, scale):
    mult = {"tỷ": 10**9, "triệu": 10**6, "nghìn": 10**3}[scale]
    assert to_int(parse_number(f"{format_vn(n)} {scale}")) == n * mult
