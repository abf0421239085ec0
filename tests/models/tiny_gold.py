"""A tiny hand-written gold set (our own sentences, no corpus text) for the model tests."""

from __future__ import annotations

from typing import Any

from kcextract.ingest import document_from_text
from kcextract.models.gold import GoldDoc
from kcextract.segment import sentences

# (doc_id, text, gold facts) — written for these tests; the facts follow the spec.
# fmt: off
TINY: list[tuple[str, str, dict[str, Any]]] = [
    ("t1", "Tỉnh A duyệt kế hoạch khuyến công\nNăm 2024, tỉnh A dự kiến bố trí tổng kinh phí 5 tỷ đồng, trong đó ngân sách tỉnh 2 tỷ đồng. Sở Công Thương tỉnh A chủ trì, Hợp tác xã Mây Tre Đan Bình An được hỗ trợ.",
     {"amounts": [{"text": "5 tỷ đồng", "value_vnd": 5_000_000_000, "level": "total", "status": "planned"},
                  {"text": "2 tỷ đồng", "value_vnd": 2_000_000_000, "level": "part", "status": "planned", "funding": "local"}],
      "organizations": [{"name": "Sở Công Thương tỉnh A", "type": "agency", "role": "implementer"},
                        {"name": "Hợp tác xã Mây Tre Đan Bình An", "type": "cooperative", "role": "beneficiary"}],
      "targets": [], "projects": []}),
    ("t2", "Kết quả khuyến công huyện B\nNăm 2023, huyện B đã giải ngân 800 triệu đồng, trong đó kinh phí khuyến công quốc gia 500 triệu đồng. Trung tâm Khuyến công tỉnh B nghiệm thu đề án của Công ty TNHH Cơ Khí Hoàng Long.",
     {"amounts": [{"text": "800 triệu đồng", "value_vnd": 800_000_000, "level": "total", "status": "achieved"},
                  {"text": "500 triệu đồng", "value_vnd": 500_000_000, "level": "part", "status": "achieved", "funding": "national"}],
      "organizations": [{"name": "Trung tâm Khuyến công tỉnh B", "type": "agency", "role": "implementer"},
                        {"name": "Công ty TNHH Cơ Khí Hoàng Long", "type": "company", "role": "beneficiary"}],
      "targets": [], "projects": []}),
    ("t3", "Hỗ trợ máy móc cho cơ sở\nTỉnh C dự kiến hỗ trợ 12 cơ sở với tổng kinh phí 3 tỷ đồng. Sở Công Thương tỉnh C phối hợp với Hợp tác xã Chè Xanh Tân Lập thực hiện đề án.",
     {"amounts": [{"text": "3 tỷ đồng", "value_vnd": 3_000_000_000, "level": "total", "status": "planned"}],
      "organizations": [{"name": "Sở Công Thương tỉnh C", "type": "agency", "role": "implementer"},
                        {"name": "Hợp tác xã Chè Xanh Tân Lập", "type": "cooperative", "role": "beneficiary"}],
      "targets": [{"text": "12 cơ sở", "quantity": 12, "unit": "cơ sở", "status": "planned"}], "projects": []}),
    ("t4", "Tổng kết năm 2022 ở tỉnh D\nNăm 2022, tỉnh D đã hỗ trợ 20 cơ sở với kinh phí 1 tỷ đồng từ ngân sách tỉnh. Trung tâm Khuyến công tỉnh D nghiệm thu mô hình của Công ty Cổ Phần Gốm Minh Châu.",
     {"amounts": [{"text": "1 tỷ đồng", "value_vnd": 1_000_000_000, "level": "total", "status": "achieved", "funding": "local"}],
      "organizations": [{"name": "Trung tâm Khuyến công tỉnh D", "type": "agency", "role": "implementer"},
                        {"name": "Công ty Cổ Phần Gốm Minh Châu", "type": "company", "role": "beneficiary"}],
      "targets": [{"text": "20 cơ sở", "quantity": 20, "unit": "cơ sở", "status": "achieved"}], "projects": []}),
]
# fmt: on


def tiny_gold_docs() -> list[GoldDoc]:
    out = []
    for doc_id, text, facts in TINY:
        doc = document_from_text(text, doc_id)
        gold = {"doc_id": doc_id, **facts}
        out.append(GoldDoc(doc_id, gold, doc, sentences(doc.text, doc.body_start)))
    return out
