"""Periods: year ranges, single years, months, open ends and spans relative to the article.

DEV_CASES: the phenomena the rules were written on (spec examples and the shared gold, in
our own words). BUGS_CAUGHT: real failures, by doc_id. KNOWN_MISSES: xfail(strict=True).
A case is (sentence, article date or None, expected text, (start, end)).
"""

from __future__ import annotations

import pytest
from _numeric_cases import pick, run

# fmt: off
DEV_CASES = [
    ("Tỉnh ban hành kế hoạch giai đoạn 2021 – 2025.", None, "giai đoạn 2021 – 2025", (2021, 2025)),
    ("Trong giai đoạn (2015 - 2021), tỉnh làm được nhiều việc.", None, "giai đoạn (2015 - 2021)", (2015, 2021)),
    ("Giai đoạn 2006-2012 thành phố được đầu tư.", None, "Giai đoạn 2006-2012", (2006, 2012)),
    ("Tỉnh ban hành 2 kế hoạch cho 2015 - 2020 và 2020 - 2025.", None, "2020 - 2025", (2020, 2025)),
    ("Năm 2022 tỉnh tập trung xây dựng đề án nhóm.", None, "Năm 2022", (2022, 2022)),
    ("Trong 6 tháng đầu năm 2022 trung tâm xây dựng 2 đề án.", None, "6 tháng đầu năm 2022", ("2022-01", "2022-06")),
    ("Năm 2022 có nhiều việc. 6 tháng cuối năm, trung tâm tiếp tục triển khai.", None, "6 tháng cuối năm", ("2022-07", "2022-12")),
    ("Hội nghị dự kiến vào tháng 9/2022 tại Thanh Hóa.", None, "tháng 9/2022", ("2022-09", "2022-09")),
    ("Tháng 3-2013, thành phố ban hành kế hoạch.", None, "Tháng 3-2013", ("2013-03", "2013-03")),
    ("5 tháng đầu năm 2013, thành phố hỗ trợ lãi suất.", None, "5 tháng đầu năm 2013", ("2013-01", "2013-05")),
    ("Chương trình khuyến công đến năm 2020 được ưu tiên.", None, "đến năm 2020", (None, 2020)),
    ("Từ năm 2016 đến nay, trung tâm đã hoàn thành 6 đề án.", None, "Từ năm 2016 đến nay", (2016, None)),
    ("Từ đầu năm đến nay, đã có 26 hộ được vay vốn.", "2013-05-27", "Từ đầu năm đến nay", (2013, None)),
    ("Đến cuối năm 2007, hồ sơ thanh toán đã đủ.", None, "Đến cuối năm 2007", (None, 2007)),
    ("Trong tháng 5 vừa qua, các tổ công tác đi khảo sát.", "2013-06-02", "tháng 5 vừa qua", ("2013-05", "2013-05")),
    ("Theo kế hoạch, từ nay đến cuối năm xã sẽ mở 4 lớp dạy nghề.", "2013-05-29", "từ nay đến cuối năm", ("2013-05", "2013-12")),
    ("Chương trình xúc tiến thương mại trọng điểm quốc gia 2003 đã thực hiện 125 đề án.", None, "2003", (2003, 2003)),
    ("Các hoạt động được thực hiện trong quý II/2013.", None, "quý II/2013", ("2013-04", "2013-06")),
    ("Tỉnh hỗ trợ từ tháng 3 đến tháng 5/2023.", None, "từ tháng 3 đến tháng 5/2023", ("2023-03", "2023-05")),
    ("Đến tháng 8/2023, toàn tỉnh có nhiều sản phẩm.", None, "Đến tháng 8/2023", (None, "2023-08")),
    ("Kết quả các năm 2021, 2022 và 2023 đều vượt kế hoạch.", None, "2022", (2022, 2022)),
    ("Trước đó, trong năm 2006-2007 trung tâm được giao 39 đề án.", None, "năm 2006-2007", (2006, 2007)),
]
NOT_PERIODS = [
    ("Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 về khuyến công.", None),   # document number and date
    ("Sáng 3/10, tòa án đưa vụ án ra xét xử.", None),                    # a day, not a period
    ("Chương trình hành động số 22/CTr-UBND ngày 29-1-2013 đã ban hành.", None),
    ("Thông tư số 15/2016 ngày 10/6/2016 hướng dẫn điều kiện hỗ trợ.", None),
    ("Thứ Sáu, 19/04/2024 17:03:12 GMT+7", None),                       # a date line
    ("Theo Luật Hợp tác xã năm 2012, các hợp tác xã phải đăng ký.", None),  # a year in a law's name
    ("Dư nợ tăng 6,8% so với cuối năm 2022.", None),                      # a comparison baseline
    ("Bị cáo Lâm Văn A (SN 1971) đã nhận tội.", None),                    # a birth year
    ("Ông đoạt giải tại cuộc thi Startup Wheel 2016.", None),             # an event's year
    ("Trong 3 năm, tổng kinh phí là 273 tỷ đồng.", None),                 # a duration
]
BUGS_CAUGHT = [
    # seed-004: a date line at the top ("13-11-2017") is a date, not the start of a target.
    ("Tin đăng lúc 13-11-2017. Từ năm 2016 đến nay, trung tâm hoàn thành 6 đề án.", None, "Từ năm 2016 đến nay", (2016, None)),
    # kc-n07: a yearless period takes the article's year, not a later year of its sentence.
    ("6 tháng cuối năm, trung tâm chuẩn bị đề án năm 2025.", "2024-07-09", "6 tháng cuối năm", ("2024-07", "2024-12")),
]
KNOWN_MISSES = [
    # kc-c22: two quarters joined by "và" make one span.
    ("Hoạt động diễn ra trong quý II và quý III/2024.", None, "quý II và quý III/2024", ("2024-04", "2024-09")),
]
# fmt: on


def _check(sentence, published, text, key):
    fact = pick(run(sentence, "periods", published), text)
    assert (fact.start, fact.end) == key


@pytest.mark.parametrize(
    ("sentence", "published", "text", "key"), DEV_CASES + BUGS_CAUGHT, ids=lambda x: str(x)[:40]
)
def test_periods_cases(sentence, published, text, key):
    _check(sentence, published, text, key)


@pytest.mark.parametrize(("sentence", "published"), NOT_PERIODS, ids=lambda x: str(x)[:40])
def test_periods_not_periods(sentence, published):
    assert run(sentence, "periods", published) == []


@pytest.mark.parametrize(
    ("sentence", "published", "text", "key"), KNOWN_MISSES, ids=lambda x: str(x)[:40]
)
@pytest.mark.xfail(strict=True)
def test_periods_known_misses(sentence, published, text, key):
    _check(sentence, published, text, key)


def test_periods_one_fact_per_key():
    facts = run("Năm 2022 tỉnh làm nhiều việc. Cuối năm 2022 tỉnh tổng kết.", "periods")
    assert [(f.start, f.end) for f in facts] == [(2022, 2022)] and len(facts[0].spans) == 2
