import pytest

import kcextract


@pytest.mark.parametrize("text", ["Tiêu đề\nNội dung bài báo.", "", "\n\n"])
def test_extract_text_returns_a_valid_record(text):
    rec = kcextract.extract_text(text, doc_id="x")
    assert rec.doc_id == "x"
    assert isinstance(rec.amounts, list)
