"""Answers about one procedure, against the real catalog API app (started by the session fixture ``catalog_api_url``).

The assertions are on real catalog records, e.g. 1.004222 Đăng ký thường trú (10.000 đồng online,
20.000 đồng in person, 7 ngày làm việc) and 1.001193 Thủ tục đăng ký khai sinh (online, free).
"""

from __future__ import annotations

import pytest

pytest.importorskip("rasa_sdk")

from actions.answer import ActionAnswerProcedure
from tests.actions.catalog_records import KHAI_SINH, THUONG_TRU, api_json
from tests.actions.helpers import entity, make_tracker, rendered, run

NO_DETAILS = "6.006722"  # Quyết định điều chuyển tài sản công: no fee, steps, result, legal basis, forms, conditions
TARIFF = "1.115796"  # Chuyển hình thức giao đất, cho thuê đất (cấp tỉnh): amount 0 beside a long tariff
BY_REGULATION = "1.115350"  # Cấp lại Giấy chứng nhận do bị mất: amount 0 beside "theo quy định …", not free


def answer(intent: str, code: str, responses: dict[str, str], text: str = "…") -> tuple[list[str], list[str]]:
    dispatcher, _ = run(ActionAnswerProcedure(), make_tracker(text, intent, slots={"procedure_code": code}))
    return [m["response"] for m in dispatcher.messages], rendered(dispatcher, responses)


def test_fee_of_permanent_residence_online_and_in_person(catalog: str, responses: dict) -> None:
    names, [text] = answer("ask_fee", THUONG_TRU, responses, "còn lệ phí thì sao?")
    assert names == ["utter_answer_fee"]
    assert "Đăng ký thường trú (mã 1.004222)" in text
    assert "- Trực tuyến: 10.000 đồng" in text
    direct = text.split("- Trực tiếp:", 1)[1]
    assert direct.lstrip(" \n+").startswith("20.000 đồng")  # its long note whole, on a line of its own
    assert "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" in text


def test_processing_time_of_permanent_residence(catalog: str, responses: dict) -> None:
    _, [text] = answer("ask_processing_time", THUONG_TRU, responses, "mất bao lâu?")
    assert "Đăng ký thường trú (mã 1.004222)" in text
    assert "7 Ngày làm việc" in text


def test_birth_registration_is_online_and_free(catalog: str, responses: dict) -> None:
    names, [online] = answer("ask_online", KHAI_SINH, responses, "nộp online được không?")
    assert names[0].startswith("utter_answer_online_")
    assert names[0] not in ("utter_answer_online_none", "utter_answer_online_unknown")
    assert "Thủ tục đăng ký khai sinh (mã 1.001193)" in online and "trực tuyến" in online
    _, [fee] = answer("ask_fee", KHAI_SINH, responses)
    assert "Trực tuyến" in fee and "miễn phí" in fee
    assert "đồng" not in fee


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("ask_documents", "Giấy chứng sinh"),
        ("ask_where_to_submit", "Cơ quan thực hiện: Ủy ban nhân dân cấp xã"),
        ("ask_steps", "1. "),
        ("ask_result", "- Giấy khai sinh"),
        ("ask_legal_basis", "Luật Hộ tịch"),
    ],
)
def test_each_attribute_of_birth_registration(catalog: str, responses: dict, intent: str, expected: str) -> None:
    names, [text] = answer(intent, KHAI_SINH, responses)
    assert names == [f"utter_answer_{intent.removeprefix('ask_')}"]
    assert expected in text
    assert "Thủ tục đăng ký khai sinh (mã 1.001193)" in text


@pytest.mark.parametrize(
    "intent", ["ask_fee", "ask_steps", "ask_result", "ask_legal_basis", "ask_forms", "ask_conditions"]
)
def test_missing_field_is_said_plainly_with_the_page(catalog: str, responses: dict, intent: str) -> None:
    names, [text] = answer(intent, NO_DETAILS, responses)
    assert names == ["utter_field_missing"]
    assert "Danh mục chưa có thông tin" in text
    assert "(mã 6.006722)" in text
    assert "https://dichvucong.gov.vn/" in text


def test_unknown_online_level(catalog: str, responses: dict) -> None:
    names, [text] = answer("ask_online", NO_DETAILS, responses)
    assert names == ["utter_answer_online_unknown"]
    assert "(mã 6.006722)" in text


def test_an_answer_offers_the_other_common_questions_as_buttons(catalog: str, responses: dict) -> None:
    dispatcher, _ = run(ActionAnswerProcedure(), make_tracker("lệ phí", "ask_fee", slots={"procedure_code": KHAI_SINH}))
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert '/ask_documents{"procedure_code": "1.001193"}' in payloads
    assert not any(p.startswith("/ask_fee") for p in payloads)


def test_documents_are_one_a_line_under_the_records_own_headings(catalog: str, responses: dict) -> None:
    _, [text] = answer("ask_documents", KHAI_SINH, responses)
    lines = text.splitlines()
    assert lines[0] == "**Hồ sơ** Thủ tục đăng ký khai sinh (mã 1.001193)"
    assert "Giấy tờ phải nộp:" in lines  # the record's "* Giấy tờ phải nộp:" without its marker
    assert "- Giấy chứng sinh (bản chính: 1)" in lines  # the general document, its cases a button away
    assert not any(line.startswith(("- -", "- +", "- *")) for line in lines)
    assert lines[-2].startswith("[Xem trên Cổng Dịch vụ công](https://dichvucong.gov.vn/")
    assert lines[-1].startswith("Nguồn: Cổng DVCQG, cập nhật ")
    assert len(lines) <= 12

    dispatcher, _ = run(
        ActionAnswerProcedure(),
        make_tracker(
            "/ask_documents", "ask_documents", [entity("procedure_code", THUONG_TRU), entity("view", "cases:1")]
        ),
    )
    [text] = rendered(dispatcher, responses)
    assert "Trường hợp đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình:" in text.splitlines()


def test_long_tariff_keeps_its_amounts_and_says_there_are_more(catalog: str, responses: dict) -> None:
    record = api_json(catalog, f"/services/{TARIFF}")
    longest = max(len(f["description"]) for c in record["channels"] for f in c["fees"])
    _, [text] = answer("ask_fee", TARIFF, responses)
    assert f"(mã {TARIFF})" in text
    assert len(text) < longest  # shortened …
    for amount in ("150.000 đồng/hồ sơ", "200.000 đồng/hồ sơ", "1.500.000 đồng/hồ sơ", "25.000 đồng/GCN"):
        assert amount in text  # … without dropping the first amounts
    assert "mức thu: xem trên Cổng Dịch vụ công" in text
    assert "miễn phí" not in text  # amount 0 beside a tariff is not "free"


def test_amount_zero_beside_a_regulation_is_not_called_free(catalog: str, responses: dict) -> None:
    _, [text] = answer("ask_fee", BY_REGULATION, responses)
    assert "miễn phí" not in text.lower()
    assert "theo quy định" in text
