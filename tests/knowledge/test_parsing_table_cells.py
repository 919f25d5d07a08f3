"""The field parsers on table cells, as the portal API, CSV lists and JSON exports give them."""

from __future__ import annotations

import pytest

from knowledge.parsing.cells import split_list
from knowledge.parsing.channels import channel_method
from knowledge.parsing.codes import is_test_name, national_code
from knowledge.parsing.decisions import decision_number, issuer_of_decision
from knowledge.parsing.documents import document_counts, parse_copy_counts
from knowledge.parsing.fees import parse_fee_amount, parse_fees
from knowledge.parsing.legal import legal_number
from knowledge.parsing.levels import levels
from knowledge.parsing.online import online_level
from knowledge.parsing.steps import split_steps
from knowledge.parsing.times import parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("35 Ngày làm việc", (35.0, "ngày làm việc")),
        ("35 Ngày", (35.0, "ngày")),
        ("01 Giờ", (1.0, "giờ")),
        ("1.5 Giờ", (1.5, "giờ")),
        ("Không quá 03 ngày làm việc", (3.0, "ngày làm việc")),
        (
            "Không quá 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.  Các cơ quan không được yêu cầu thêm.",
            (15.0, "ngày"),
        ),
        (
            "Không quá 03 ngày làm việc (không tính thời gian thực hiện nghĩa vụ tài chính)",
            (3.0, "ngày làm việc"),
        ),
        # Exceptions with their own numbers: no single value.
        ("Không quá 10 ngày làm việc. Đối với các xã miền núi thì tăng thêm 10 ngày.", (None, None)),
        ("a) Không quá 05 ngày làm việc đối với thủ tục đổi tên", (None, None)),
        ("Không quy định", (None, None)),
        ("10-25", (None, None)),
        ("7", (None, None)),
        ("", (None, None)),
    ],
)
def test_parse_duration(text: str, expected: tuple[float | None, str | None]) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Phí : 0 Đồng", 0),
        ("Lệ phí: 50.000 đồng", 50000),
        ("8,000 VNĐ", 8000),
        ("Miễn phí", 0),
        ("Phí : Không Đồng", 0),
        ("Phí : 2.000.000 Đồng (Thẩm định cấp phép)", 2000000),
        ("Phí: 20000 ĐồngXem chi tiết", 20000),
        ("Phí: ĐồngXem chi tiết", None),
        ("Lệ phí : 03 USD", None),
        ("Phí : Mức thu bằng 50% mức thu phí", None),
        ("Hội đồng nhân dân cấp tỉnh quy định.", None),
        ("5", None),
    ],
)
def test_parse_fee_amount(text: str, amount: int | None) -> None:
    assert parse_fee_amount(text) == amount


def test_parse_fees_splits_items_and_keeps_attachments_with_their_fee() -> None:
    cell = "Phí :  Đồng (Theo quy định của Bộ Tài chính)\nFile đính kèm: 2-btc.pdf\nLệ phí : 1.5 USD"
    fees = parse_fees(cell)
    assert [f.amount_vnd for f in fees] == [None, None]
    assert fees[0].description == "Phí : Đồng (Theo quy định của Bộ Tài chính) File đính kèm: 2-btc.pdf"
    assert fees[1].description == "Lệ phí : 1.5 USD"
    both = parse_fees("Phí: 10000 ĐồngXem chi tiết Phí: 5000 ĐồngXem chi tiết")
    assert [f.amount_vnd for f in both] == [10000, 5000]
    assert parse_fees("") == []


def test_channel_method() -> None:
    assert channel_method("Trực tuyến") == "online"
    assert channel_method("Dịch vụ bưu chính") == "postal"
    assert channel_method("DIRECT") == "direct"
    assert channel_method("Qua Zalo") is None


def test_copy_counts() -> None:
    assert parse_copy_counts("Bản chính: 1\nBản sao: 0") == (1, 0)
    assert parse_copy_counts("Bản chính: 1 - Bản sao: 2") == (1, 2)
    assert parse_copy_counts("Bản chính: 0\nBản sao: 0") == (None, None)
    assert document_counts(0, 0) == (None, None)


@pytest.mark.parametrize(
    ("provincial", "national"),
    [
        ("1.001193.000.00.00.H37", "1.001193"),
        ("1.012275.H36", "1.012275"),
        ("2.000908.000.00.00.H37.X", "2.000908"),
        ("1.010061 .000.00.00.H37", "1.010061"),
        ("1.007939.000.00,00,H37", "1.007939"),
        ("2000027.000.00.00.H37", "2.000027"),
        ("2.00223.000.00.00.H37", None),
        ("1.0012345.000.00.00.H37", None),
        ("TEST_MOT_CAP", None),
    ],
)
def test_national_code_inside_a_provincial_one(provincial: str, national: str | None) -> None:
    assert national_code(provincial) == national


def test_test_rows() -> None:
    assert is_test_name("Thủ tục test")
    assert not is_test_name("Thủ tục đăng ký khai sinh")


@pytest.mark.parametrize(
    ("code", "title", "number"),
    [
        ("Thông tư số 03/2023/TT-BTP", "", "03/2023/TT-BTP"),
        ("12", "Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021", "12/2021/QĐ-TTg"),
        ("28/2026/QĐ-UBND.", "", "28/2026/QĐ-UBND"),
        ("10/2012/TTLT- BQP-BLĐTBXH-BTC", "", "10/2012/TTLT-BQP-BLĐTBXH-BTC"),
        ("BỘ LUẬT HÀNG HẢI VIỆT NAM", "Bộ luật Hàng hải Việt Nam", None),
    ],
)
def test_legal_numbers(code: str, title: str, number: str | None) -> None:
    assert legal_number(code, title) == number


def test_decisions() -> None:
    assert decision_number("Quyết định số 6225/QĐ-BQP") == "6225/QĐ-BQP"
    assert decision_number("3980 /QĐ-BQP") == "3980/QĐ-BQP"
    assert decision_number("Quyết định số 4777") == "Quyết định số 4777"
    assert issuer_of_decision("6225/QĐ-BQP") == "Bộ Quốc phòng"
    assert issuer_of_decision("1523/QĐ-BCA-C06") == "Bộ Công an"
    assert issuer_of_decision("509/QĐ-UBND") is None


def test_lists_levels_and_steps() -> None:
    assert split_list("Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX), Hợp tác xã") == [
        "Công dân Việt Nam",
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Hợp tác xã",
    ]
    assert levels("Cấp Bộ, Cấp Tỉnh, Cấp Xã, Cơ quan khác") == [
        "Cấp bộ",
        "Cấp tỉnh",
        "Cấp xã",
        "Cơ quan khác",
    ]
    assert split_steps("Bước 1: Nộp hồ sơ. Bước 2: Nhận kết quả.") == [
        "Bước 1: Nộp hồ sơ.",
        "Bước 2: Nhận kết quả.",
    ]
    assert split_steps("- Nộp hồ sơ\n\n- Nhận kết quả\n.") == ["- Nộp hồ sơ", "- Nhận kết quả"]


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        ("Toàn trình", "toan_trinh"),
        ("Một phần", "mot_phan"),
        ("Mức độ 4", "toan_trinh"),
        ("Mức độ 3", "mot_phan"),
        ("Mức độ 2", "none"),
        ("Mức độ 1", "none"),
        ("Còn lại", "none"),
        ("Khác", "unknown"),
    ],
)
def test_online_level_keeps_the_original(raw: str, level: str) -> None:
    found = online_level(f" {raw} ", "src")
    assert (found.level, found.original, found.source) == (level, raw, "src")
