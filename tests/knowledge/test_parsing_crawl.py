"""The field parsers on short run-together strings, as a crawl of the portal flattens its tables."""

from __future__ import annotations

import pytest

from knowledge.parsing.channels import parse_channels
from knowledge.parsing.documents import parse_documents, split_form
from knowledge.parsing.fees import parse_amount_vnd, parse_fee
from knowledge.parsing.legal import parse_legal_basis
from knowledge.parsing.results import parse_results
from knowledge.parsing.steps import parse_steps
from knowledge.parsing.times import parse_processing_time

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def test_channels_basic() -> None:
    text = HEADER + "Trực tuyến5 NgàyMiễn phíDịch vụ bưu chính2 Giờ70,000 VNĐ(70.000 đồng/giấy)Ghi chú"
    online, postal = parse_channels(text)
    assert (online.method, online.times[0].value, online.times[0].unit, online.fees[0].amount_vnd) == (
        "online",
        5,
        "ngày",
        0,
    )
    assert (postal.method, postal.times[0].unit, postal.fees[0].amount_vnd, postal.note) == (
        "postal",
        "giờ",
        70000,
        "Ghi chú",
    )


def test_channel_word_inside_a_note_does_not_start_a_row() -> None:
    text = HEADER + "Trực tiếp3 Tháng1,000,000 Việt Nam ĐồngTrực tiếp nộp hồ sơ tại Cục."
    [direct] = parse_channels(text)
    assert direct.note == "Trực tiếp nộp hồ sơ tại Cục."
    assert direct.times[0].unit == "tháng"


def test_repeated_method_is_merged() -> None:
    text = HEADER + "Trực tiếp7 Ngày làm việc10,000 VNĐTrực tiếp10 Ngày làm việc20,000 VNĐ"
    [direct] = parse_channels(text)
    assert [time.value for time in direct.times] == [7, 10]
    assert [fee.amount_vnd for fee in direct.fees] == [10000, 20000]


@pytest.mark.parametrize("text", ["", "Không có thông tin", "Hình thức nộp gì đó", "lorem ipsum 12"])
def test_channels_unparseable(text: str) -> None:
    assert parse_channels(text) == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("10,000 Việt Nam Đồng", 10000),
        ("Miễn phí", 0),
        ("Phí : 0 Đồng", 0),
        ("Lệ phí : 8,000 Đồng/bản sao", 8000),
        ("50.000 đồng/lần", 50000),
        ("10 USD", None),
        ("Theo quy định", None),
    ],
)
def test_amounts(text: str, amount: int | None) -> None:
    assert parse_amount_vnd(text) == amount


def test_fee_and_time_cells() -> None:
    fee = parse_fee("Lệ phí : 8,000 Đồng/bản sao")
    assert fee is not None and fee.amount_vnd == 8000 and fee.description == "Lệ phí : 8,000 Đồng/bản sao"
    assert parse_fee("Không có thông tin") is None
    time = parse_processing_time("15 ngày kể từ ngày nhận đủ hồ sơ")
    assert time is not None and (time.value, time.unit) == (15, "ngày")
    text_only = parse_processing_time("Theo thời hạn tuyển sinh")
    assert text_only is not None and (text_only.value, text_only.text) == (None, "Theo thời hạn tuyển sinh")
    assert parse_processing_time("") is None


def test_documents_groups_counts_and_forms() -> None:
    text = (
        "Trường hợp ATên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị.Mau01.docx1 bản chính"
        "Giấy khai sinh1 bản chính,2 bản sao"
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngẢnh 4x6 (02 bản chính)2 bản chính"
    )
    case_a, general = parse_documents(text)
    assert case_a.case == "Trường hợp A"
    assert [(d.name, d.originals, d.copies, d.form) for d in case_a.documents] == [
        ("Đơn đề nghị", 1, None, "Mau01.docx"),
        ("Giấy khai sinh", 1, 2, None),
    ]
    assert general.case is None
    assert [(d.name, d.originals) for d in general.documents] == [("Ảnh 4x6 (02 bản chính)", 2)]


def test_split_form_boundaries() -> None:
    assert split_form("Tờ khai thuộc BộMau02-ĐN(BHYT).docx") == ("Tờ khai thuộc Bộ", "Mau02-ĐN(BHYT).docx")
    assert split_form("Tờ khai (Mẫu CT01);Mau TK01.tt73.2021.doc") == (
        "Tờ khai (Mẫu CT01)",
        "Mau TK01.tt73.2021.doc",
    )
    assert split_form("Giấy tờ không có mẫu") == ("Giấy tờ không có mẫu", None)


@pytest.mark.parametrize("text", ["", "--", "Không có thông tin", "Hồ sơ gồm đơn và bản sao giấy tờ"])
def test_documents_unparseable(text: str) -> None:
    assert parse_documents(text) == []


def test_legal_basis() -> None:
    text = (
        "Tên văn bản pháp lýMã văn bảnThông tư số 53/2025/TT-BCAngày 01/7/2025 sửa đổi.53/2025/TT-BCA"
        "Quyết định 17/2019/QĐ-TTg17/2019/QĐ-TTgLuật Các tổ chức tín dụngLuật số 32/2024/QH15"
    )
    assert [(d.number, d.title) for d in parse_legal_basis(text)] == [
        ("53/2025/TT-BCA", "Thông tư số 53/2025/TT-BCAngày 01/7/2025 sửa đổi."),
        ("17/2019/QĐ-TTg", "Quyết định 17/2019/QĐ-TTg"),
        ("32/2024/QH15", "Luật Các tổ chức tín dụng"),
    ]


@pytest.mark.parametrize("text", ["", "Không có thông tin", "Tên văn bản pháp lýMã văn bảnVăn bản không số"])
def test_legal_basis_unparseable(text: str) -> None:
    assert parse_legal_basis(text) == []


def test_steps() -> None:
    assert parse_steps("Bước 1: Nộp hồ sơ.\n- chi tiết Bước 2: Nhận kết quả.") == [
        "Bước 1: Nộp hồ sơ. - chi tiết",
        "Bước 2: Nhận kết quả.",
    ]
    assert parse_steps("- Nộp hồ sơ\n- Nhận kết quả\n") == ["Nộp hồ sơ", "Nhận kết quả"]
    assert parse_steps("Không có thông tin") == []
    assert parse_steps("") == []


def test_results() -> None:
    text = "Giấy phépMã: KQ.G19.000181Văn bản từ chốiMã: G19-KQ0060102Từ khóaKhông có thông tinMô tả…Nộp hồ sơ"
    assert parse_results(text) == ["Giấy phép", "Văn bản từ chối"]
    assert parse_results("Thẻ căn cướcChọn cơ quan thực hiệnTỉnh/ Thành phố") == ["Thẻ căn cước"]
    assert parse_results("Không có thông tin") == []
    assert parse_results("Từ khóaKhông có thông tin") == []
