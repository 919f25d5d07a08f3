"""The answers the issue found wrong or unreadable, composed from records the real importer built from
the raw samples (tests/data/raw), as the citizen reads them once the templates are filled."""

from __future__ import annotations

from typing import Any

import pytest

from actions.reply import compose
from scripts.audit import fill, responses

PORTAL = "https://dichvucong.gov.vn"


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    return responses()


def read(catalog: dict[str, dict[str, Any]], templates: dict[str, str], code: str, attribute: str, view=None) -> str:
    reply = compose(catalog[code], attribute, PORTAL, view)
    return fill(templates[reply.response], reply.values)


def test_fee_a_thousand_times_too_small_reads_as_its_description(sample_catalog, templates) -> None:
    text = read(sample_catalog, templates, "2.001827", "fee")
    assert "700.000 đồng (Phí thẩm định" in text and "700 VNĐ" not in text
    text = read(sample_catalog, templates, "1.000014", "fee")
    assert "20.000 đồng (20.000 vnđ /tờ khai)" in text and "20 VNĐ" not in text


def test_free_with_an_amount_is_not_answered_free(sample_catalog, templates) -> None:
    text = read(sample_catalog, templates, "1.003593", "fee")
    assert "ô phí ghi «Miễn phí» nhưng kèm mức thu: Nộp 150.000 đồng" in text
    assert "(thực hiện từ ngày 15/01/2019)" in text  # whole, its parentheses closed
    assert ": miễn phí" not in text


def test_fee_stated_only_in_the_steps_is_mentioned(sample_catalog, templates) -> None:
    text = read(sample_catalog, templates, "1.004179", "fee")
    assert "Trình tự thực hiện có ghi: «" in text and "nộp phí thẩm định" in text
    birth = read(sample_catalog, templates, "1.001193", "fee")
    assert "nộp lệ phí nếu thuộc trường hợp phải nộp lệ phí đăng ký khai sinh" in birth


def test_no_bare_processing_time(sample_catalog, templates) -> None:
    text = read(sample_catalog, templates, "1.000014", "processing_time")
    assert "- Trực tuyến, Trực tiếp: 1 (nguồn không ghi đơn vị)" in text
    text = read(sample_catalog, templates, "1.003590", "processing_time")
    assert "20 ngày (đơn vị theo nội dung thủ tục; bảng thời hạn chỉ ghi 20)" in text


def test_legal_basis_one_document_per_line_numbers_verbatim(sample_catalog, templates) -> None:
    text = read(sample_catalog, templates, "1.003361", "legal_basis")
    assert "02443" not in text and "LuậtLuật" not in text
    assert "- Luật số 43/2024/QH15 ngày 29/6/2024" in text
    assert "- Luật 18/2017/QH14\n" in text
    text = read(sample_catalog, templates, "1.012786", "legal_basis")
    assert "Luật Đầu tư côngLuật" not in text


def test_agency_that_reads_like_a_step_is_not_printed(sample_catalog, templates) -> None:
    text = read(sample_catalog, templates, "2.000942", "where_to_submit")
    assert "tiến hành chụp" not in text and "- Cấp thực hiện: Cấp xã" in text


def test_online_level_from_a_provincial_list_says_so_and_adds_nothing(sample_catalog, templates) -> None:
    text = read(sample_catalog, templates, "1.001193", "online")
    assert text.startswith("Theo danh mục tỉnh Lạng Sơn, 04/2025: Thủ tục đăng ký khai sinh (mã 1.001193)")
    assert "một phần" in text and "ví dụ" not in text and "bản gốc" not in text
    assert text.splitlines()[-1] == "Nguồn: danh mục tỉnh Lạng Sơn, cập nhật 04/2025; Cổng DVCQG, cập nhật 07/2026"


def test_every_answer_ends_with_its_source_and_date(sample_catalog, templates) -> None:
    for attribute in ("documents", "fee", "processing_time", "where_to_submit", "steps", "legal_basis"):
        lines = read(sample_catalog, templates, "1.004222", attribute).splitlines()
        assert lines[-1] == "Nguồn: Cổng DVCQG, cập nhật 07/2026", attribute
        assert (
            lines[-2]
            == "[Xem trên Cổng Dịch vụ công](https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-7704-7449-9e95-fe7ebb959aa2)"
        )


def test_reorganisation_warning_for_pre_2025_lists_only(sample_catalog, templates) -> None:
    stub = read(sample_catalog, templates, "2.000027", "overview")  # Lạng Sơn 2025-04 list only
    assert "bỏ cấp huyện" in stub.splitlines()[-2]
    assert "bỏ cấp huyện" not in read(sample_catalog, templates, "1.001193", "documents")


def test_birth_documents_general_case_first_cases_behind_buttons(sample_catalog, templates) -> None:
    reply = compose(sample_catalog["1.001193"], "documents", PORTAL)
    text = fill(templates[reply.response], reply.values)
    lines = text.splitlines()
    assert len(lines) <= 12
    assert lines[1:4] == ["Giấy tờ phải nộp:", "- Giấy chứng sinh (bản chính: 1)", "Giấy tờ phải xuất trình:"]
    assert "bỏ rơi" not in text and "mang thai hộ" not in text and "…" not in text
    titles = [b["title"] for b in reply.buttons]
    assert titles[:3] == ["Xem thêm giấy tờ", "Trường hợp riêng (11)", "Lưu ý (19)"]
    cases = fill(
        templates["utter_answer_documents"], compose(sample_catalog["1.001193"], "documents", PORTAL, "cases:1").values
    )
    assert "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản" in cases
    assert any(
        "mang thai hộ"
        in fill(
            templates["utter_answer_documents"],
            compose(sample_catalog["1.001193"], "documents", PORTAL, f"cases:{p}").values,
        )
        for p in (1, 2, 3)
    )
