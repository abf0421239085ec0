"""Vietnamese numerals: digits written the Vietnamese way, number words, and scales.

In Vietnamese text ``.`` groups thousands and ``,`` is the decimal mark, so ``1.013`` is
one thousand and thirteen while ``13,800`` is thirteen point eight (spec, "Amount"). Numbers
may also be spelled out (``hai trăm``, ``mười lăm``, ``một trăm linh năm``, ``nửa``) or mix
digits and scale words (``1 tỷ 200 triệu``, ``1,2 nghìn tỷ``). Everything here is pure.

>>> parse_number("7.690,50")
Decimal('7690.50')
>>> parse_number("18,246")
Decimal('18.246')
>>> parse_number("1.013")
Decimal('1013')
>>> parse_number("13,800")
Decimal('13.800')
>>> parse_number("4.170,0")
Decimal('4170.0')
>>> parse_number("1 tỷ 200 triệu")
Decimal('1200000000')
>>> parse_number("1,2 nghìn tỷ")
Decimal('1200000000000.0')
>>> parse_number("hai trăm")
Decimal('200')
>>> parse_number("mười lăm")
Decimal('15')
>>> parse_number("một trăm linh năm")
Decimal('105')
>>> parse_number("nửa")
Decimal('0.5')
>>> parse_number("kinh phí") is None
True
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

from kcextract.resources import tsv

_TOKEN = regex.compile(r"\d+(?:[.,]\d+)*|\p{L}+")
_DIGITS = regex.compile(r"\d+(?:[.,]\d+)*")


def _word_table() -> dict[str, tuple[Decimal, str]]:
    return {w: (Decimal(v), kind) for w, v, kind in tsv("number_words.tsv")}


WORDS: dict[str, tuple[Decimal, str]] = _word_table()
"""Number word -> (value, kind), from ``data/number_words.tsv``."""


def parse_digits(text: str) -> Decimal | None:
    """A figure written with digits, read the Vietnamese way.

    Both marks: the last one is the decimal mark (``7.690,50``; also ``7,690.50``).
    Several of one mark: thousands groups (``1.500.000``, ``1,500,000``). One comma: decimal
    (``18,246``). One dot followed by exactly three digits: thousands (``1.013``), otherwise
    decimal (``1.5``).

    >>> parse_digits("3.520,50"), parse_digits("10.000"), parse_digits("1.5")
    (Decimal('3520.50'), Decimal('10000'), Decimal('1.5'))
    >>> parse_digits("1,500,000"), parse_digits("7,690.5"), parse_digits("02")
    (Decimal('1500000'), Decimal('7690.5'), Decimal('2'))
    >>> parse_digits("tỷ") is None
    True
    """
    if not _DIGITS.fullmatch(text):
        return None
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        dec = "," if text.rfind(",") > text.rfind(".") else "."
        grp = "." if dec == "," else ","
        if text.count(dec) > 1:
            return None
        text = text.replace(grp, "").replace(dec, ".")
    elif commas:
        text = text.replace(",", "") if commas > 1 else text.replace(",", ".")
    elif dots == 1:
        if len(text) - text.index(".") - 1 != 3:
            pass  # "1.5": a decimal point
        else:
            text = text.replace(".", "")
    elif dots > 1:
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex guards the shape
        return None


def parse_number(text: str) -> Decimal | None:
    """The value of a numeral made of digits, number words and scales; None if not one.

    Scales add up (``1 tỷ 200 triệu``); a scale right after another one multiplies
    (``1,2 nghìn tỷ``); ``rưỡi`` adds half of the last scale (``hai triệu rưỡi``).

    >>> parse_number("hai mươi mốt"), parse_number("ba mươi tư"), parse_number("mười")
    (Decimal('21'), Decimal('34'), Decimal('10'))
    >>> parse_number("nửa tỷ"), parse_number("hai triệu rưỡi"), parse_number("500 nghìn")
    (Decimal('500000000.0'), Decimal('2500000'), Decimal('500000'))
    >>> parse_number("một nghìn hai trăm"), parse_number("năm trăm triệu")
    (Decimal('1200'), Decimal('500000000'))
    """
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    total = Decimal(0)
    section = Decimal(0)  # the part below the next scale word
    last: Decimal | None = None  # a pending digit or figure
    prev_scale: Decimal | None = None  # the scale word just read (for "nghìn tỷ")
    last_scale = Decimal(0)
    for tok in tokens:
        num = parse_digits(tok)
        if num is not None:
            if last is not None:
                return None  # two figures in a row: not one numeral
            last, prev_scale = num, None
            continue
        entry = WORDS.get(tok.lower())
        if entry is None:
            return None
        value, kind = entry
        if kind == "digit":
            if last is not None:
                return None
            last = value
        elif kind == "ten":
            section += value
            last = None
        elif kind in {"tens", "hundred"}:
            section += (last if last is not None else Decimal(1)) * value
            last = None
        elif kind == "skip":
            continue
        elif kind == "half":
            if not last_scale:
                return None
            total += last_scale / 2
            continue
        else:  # scale
            part = section + (last or 0)
            if not part and prev_scale is not None:
                total *= value  # "nghìn tỷ": the scales compound
                last_scale = prev_scale * value
            else:
                total += (part or Decimal(1)) * value
                last_scale = value
            section, last = Decimal(0), None
            prev_scale = value
            continue
        prev_scale = None
    return total + section + (last or 0)


def to_int(value: Decimal) -> int:
    """A value rounded half-up to a whole number (money is an integer number of VND).

    >>> to_int(Decimal("7690500000.0")), to_int(Decimal("0.5"))
    (7690500000, 1)
    """
    return int(value.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def format_vn(value: int | Decimal, decimals: int = 0) -> str:
    """A number written the Vietnamese way: ``.`` between thousands, ``,`` before decimals.

    >>> format_vn(7690500), format_vn(Decimal("7690.5"), 2), format_vn(1013)
    ('7.690.500', '7.690,50', '1.013')
    """
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
