"""Tables from records: explicit dtypes, Parquet/CSV round trip, consolidation across articles."""

from __future__ import annotations

import pandas as pd
import pytest

from kcextract.datasets import (
    DTYPES,
    build_tables,
    programme_key,
    programme_topic,
    read_table,
    write_tables,
)


def _rec(doc_id, **facts):
    return {"doc_id": doc_id, "title": f"Bài {doc_id}", "published": None, "provinces": [],
            "warnings": [], **facts}  # fmt: skip


AMOUNT = {"text": "7.690,50 triệu đồng", "value_vnd": 7_690_500_000, "max_vnd": None,
          "qualifier": "exact", "per": None, "level": "total", "status": "planned",
          "funding": "local", "spans": [[10, 29]]}  # fmt: skip
RANGE = {"text": "từ 200 đến 300 triệu đồng", "value_vnd": 200_000_000,
         "max_vnd": 300_000_000, "qualifier": "exact", "per": "mô hình", "level": "project",
         "status": "unknown", "funding": None, "spans": [[40, 65], [90, 115]]}  # fmt: skip
RECORDS = [
    _rec("a1", amounts=[AMOUNT, RANGE],
         organizations=[{"name": "Hợp tác xã Phi Đoàn", "type": "cooperative",
                         "role": "beneficiary", "spans": [[0, 19]]}],
         projects=[{"title": "Hỗ trợ máy sấy", "beneficiaries": ["Hợp tác xã Phi Đoàn"],
                    "amount_vnd": 300_000_000, "funding": "local", "year": 2022,
                    "status": "achieved", "spans": [[50, 64]]}],
         periods=[{"text": "6 tháng đầu năm 2022", "start": "2022-01", "end": "2022-06",
                   "spans": [[1, 21]]},
                  {"text": "giai đoạn 2021 – 2025", "start": 2021, "end": 2025, "spans": []}],
         targets=[{"text": "8 – 10 sản phẩm", "quantity": 8, "quantity_max": 10,
                   "qualifier": "exact", "unit": "sản phẩm", "status": "planned",
                   "spans": [[3, 18]]}],
         programmes=[{"name": "Kế hoạch khuyến công tỉnh giai đoạn 2021 – 2025",
                      "province": "Cao Bằng", "start": 2021, "end": 2025,
                      "total_vnd": 18_246_000_000, "local_vnd": None, "national_vnd": None,
                      "spans": []}]),
    _rec("a2",
         organizations=[{"name": "HTX Phi Đoàn", "type": "cooperative", "role": "other",
                         "spans": [[5, 17]]}],
         programmes=[{"name": "Chương trình khuyến công tỉnh Cao Bằng giai đoạn 2021-2025",
                      "province": "Cao Bằng", "start": 2021, "end": 2025,
                      "total_vnd": 18_246_000_000, "local_vnd": None, "national_vnd": None,
                      "spans": [[0, 50]]}]),
    _rec("a3"),
]  # fmt: skip


@pytest.fixture
def tables():
    return build_tables(RECORDS)


def test_datasets_every_table_has_its_declared_dtypes(tables):
    assert set(tables) == set(DTYPES)
    for name, df in tables.items():
        assert list(df.columns) == list(DTYPES[name]), name
        for col, dtype in DTYPES[name].items():
            assert df[col].dtype == dtype, (name, col, df[col].dtype)


# fmt: off
DTYPE_CASES = [
    ("amounts",  "value_vnd",  "int64"),
    ("amounts",  "max_vnd",    "Int64"),
    ("amounts",  "qualifier",  "category"),
    ("amounts",  "funding",    "category"),
    ("projects", "year",       "Int64"),
    ("targets",  "quantity",   "int64"),
    ("periods",  "start_month", "Int64"),
    ("programmes", "total_vnd", "Int64"),
]
# fmt: on


@pytest.mark.parametrize(("table", "col", "dtype"), DTYPE_CASES)
def test_datasets_money_is_integer_and_enums_are_categories(tables, table, col, dtype):
    assert str(tables[table][col].dtype) == dtype


def test_datasets_rows_carry_doc_id_and_spans(tables):
    am = tables["amounts"]
    assert am["doc_id"].tolist() == ["a1", "a1"]
    assert am["spans"].tolist() == ["[[10, 29]]", "[[40, 65], [90, 115]]"]
    assert am.loc[1, "max_vnd"] == 300_000_000
    assert pd.isna(am.loc[0, "max_vnd"])
    per = tables["periods"]
    assert per[["start_year", "start_month", "end_year", "end_month"]].iloc[0].tolist() == [
        2022, 1, 2022, 6]  # fmt: skip
    assert pd.isna(per.loc[1, "start_month"])
    assert tables["documents"]["n_amounts"].tolist() == [2, 0, 0]
    assert tables["project_beneficiaries"]["beneficiary"].tolist() == ["Hợp tác xã Phi Đoàn"]


def test_datasets_same_cooperative_in_two_articles_gets_one_id(tables):
    orgs = tables["organizations"]
    assert orgs["org_id"].nunique() == 1
    ent = tables["organization_entities"]
    assert ent[["name", "n_articles"]].values.tolist() == [["Hợp tác xã Phi Đoàn", 2]]
    ben = tables["project_beneficiaries"]
    assert ben["org_id"].tolist() == orgs["org_id"].unique().tolist()


def test_datasets_same_provincial_plan_in_two_articles_gets_one_id(tables):
    progs = tables["programmes"]
    assert progs["programme_id"].nunique() == 1
    ent = tables["programme_entities"]
    assert ent[["n_articles", "total_vnd", "province"]].values.tolist() == [
        [2, 18_246_000_000, "Cao Bằng"]]  # fmt: skip


# fmt: off
PROGRAMME_PAIRS = [
    # name A, province A, years A, name B, province B, years B, same id?
    ("Kế hoạch khuyến công tỉnh giai đoạn 2021 – 2025", "Cao Bằng", (2021, 2025),
     "Chương trình khuyến công tỉnh Cao Bằng giai đoạn 2021-2025", "Cao Bằng", (2021, 2025), True),
    ("Kế hoạch khuyến công giai đoạn 2021 – 2025", "Cao Bằng", (2021, 2025),
     "Kế hoạch khuyến công giai đoạn 2021 – 2025", "Bắc Kạn", (2021, 2025), False),
    ("khuyến công năm 2022", "Hà Giang", (2022, 2022),
     "khuyến công năm 2023", "Hà Giang", (2023, 2023), False),
    ("Kế hoạch khuyến công năm 2022", "Hà Giang", (2022, 2022),
     "Kế hoạch khuyến nông năm 2022", "Hà Giang", (2022, 2022), False),
    ("Chương trình khuyến công quốc gia đến năm 2025", None, (None, 2025),
     "chương trình khuyến công quốc gia đến năm 2025", None, (None, 2025), True),
]
# fmt: on


@pytest.mark.parametrize(("na", "pa_", "ya", "nb", "pb", "yb", "same"), PROGRAMME_PAIRS)
def test_datasets_programme_key(na, pa_, ya, nb, pb, yb, same):
    assert (programme_key(na, pa_, *ya) == programme_key(nb, pb, *yb)) is same


# fmt: off
TOPIC_CASES = [
    ("Kế hoạch khuyến công tỉnh giai đoạn 2021 – 2025", "khuyến công"),
    ("Chương trình KCQG năm 2022",                      "khuyến công"),
    ("kế hoạch xúc tiến thương mại năm 2023",           "xúc tiến thương mại"),
    ("Chương trình OCOP",                               "OCOP"),
    ("Đề án 1 triệu héc-ta lúa chất lượng cao",         None),
]
# fmt: on


@pytest.mark.parametrize(("name", "topic"), TOPIC_CASES)
def test_datasets_programme_topic(name, topic):
    assert programme_topic(name) == topic


def test_datasets_parquet_and_csv_read_back_equal(tables, tmp_path):
    write_tables(tables, tmp_path)
    for name, df in tables.items():
        for ext in ("parquet", "csv"):
            back = read_table(tmp_path / f"{name}.{ext}")
            pd.testing.assert_frame_equal(back, df, check_categorical=True, obj=f"{name}.{ext}")


def test_datasets_no_records_still_gives_typed_empty_tables(tmp_path):
    tables = build_tables([])
    write_tables(tables, tmp_path)
    for name in DTYPES:
        back = read_table(tmp_path / f"{name}.parquet")
        assert len(back) == 0
        assert list(back.columns) == list(DTYPES[name])
