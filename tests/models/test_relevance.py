"""The relevance classifier of the committed bundle on hand-written articles (our own text)."""

from __future__ import annotations

import pytest

from kcextract.models.registry import relevance_model
from kcextract.models.relevance import is_relevant, score

pytestmark = pytest.mark.skipif(relevance_model() is None, reason="no relevance model in models/")

# (case id, article, programme news?)
# fmt: off
CASES = [
    ("kc-plan",    "Tỉnh Lạng Sơn phê duyệt kế hoạch khuyến công năm 2025\nSở Công Thương cho biết năm 2025 tỉnh dự kiến hỗ trợ 15 đề án khuyến công địa phương với tổng kinh phí 4,2 tỷ đồng, trong đó có 5 mô hình trình diễn kỹ thuật và hỗ trợ máy móc thiết bị cho các cơ sở công nghiệp nông thôn.", True),
    ("kc-result",  "Nghiệm thu đề án khuyến công tại huyện Bảo Lâm\nTrung tâm Khuyến công và Xúc tiến thương mại tỉnh đã nghiệm thu đề án hỗ trợ ứng dụng máy móc thiết bị trong chế biến chè cho Hợp tác xã Chè Tân Thành, kinh phí khuyến công hỗ trợ 300 triệu đồng.", True),
    ("ocop",       "Hỗ trợ hợp tác xã phát triển sản phẩm OCOP\nNăm nay tỉnh hỗ trợ 20 hợp tác xã xây dựng nhãn hiệu, tham gia hội chợ xúc tiến thương mại và nâng hạng sản phẩm OCOP từ nguồn ngân sách tỉnh.", True),
    ("gold-price", "Giá vàng hôm nay tăng mạnh\nGiá vàng miếng trong nước sáng nay tăng thêm 500.000 đồng mỗi lượng, theo đà tăng của giá vàng thế giới khi đồng USD suy yếu và nhà đầu tư tìm đến tài sản an toàn.", False),
    ("stocks",     "Chứng khoán giảm điểm phiên cuối tuần\nChỉ số VN-Index đóng cửa giảm 12 điểm, thanh khoản trên sàn HOSE đạt hơn 15.000 tỷ đồng, khối ngoại tiếp tục bán ròng cổ phiếu ngân hàng và bất động sản.", False),
    ("real-estate","Thị trường căn hộ chung cư sôi động trở lại\nNhiều dự án căn hộ tại Thành phố Hồ Chí Minh mở bán trong quý này với giá từ 50 triệu đồng mỗi mét vuông, lãi suất cho vay mua nhà giảm nhẹ.", False),
]
# fmt: on


@pytest.mark.parametrize(("text", "relevant"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_relevance_on_hand_written_articles(text, relevant):
    assert is_relevant(text) is relevant


def test_scores_are_probabilities():
    assert all(0.0 <= score(text) <= 1.0 for _, text, _ in CASES)
