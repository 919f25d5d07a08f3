"""Which procedure an answer is about: a code or a name in the message, the one discussed, choices offered,
none at all (against the real catalog API app, started by the session fixture ``catalog_api_url``)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("rasa_sdk")

from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerProcedure
from tests.actions.catalog_records import KHAI_SINH, THUONG_TRU
from tests.actions.helpers import entity, make_tracker, rendered, run


def codes_of(dispatcher: CollectingDispatcher) -> list[str]:
    """The procedure codes the citizen would read, in order (texts' "(mã X)" and choice buttons)."""
    codes: list[str] = []
    for message in dispatcher.messages:
        found = [str(v) for k, v in message.items() if k == "procedure_code" and v]
        found += [
            b["payload"].split('"')[3] for b in message.get("buttons") or [] if "choose_procedure" in b["payload"]
        ]
        codes += [c for c in found if c not in codes]
    return codes


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_code_in_the_message_sets_the_slot(catalog: str, responses: dict) -> None:
    tracker = make_tracker("hồ sơ mã 1.001193 gồm gì", "ask_documents", [entity("procedure_code", KHAI_SINH)])
    dispatcher, events = run(ActionAnswerProcedure(), tracker)
    [text] = rendered(dispatcher, responses)
    assert "Thủ tục đăng ký khai sinh (mã 1.001193)" in text
    assert slots_set(events)["procedure_code"] == KHAI_SINH
    assert slots_set(events)["procedure_name"] == "Thủ tục đăng ký khai sinh"


def test_another_procedure_named_replaces_the_one_discussed(catalog: str, responses: dict) -> None:
    tracker = make_tracker(
        "đăng ký khai sinh cho con cần giấy tờ gì",
        "ask_documents",
        [entity("procedure", "đăng ký khai sinh")],
        slots={"procedure_code": THUONG_TRU, "procedure_name": "Đăng ký thường trú"},
    )
    dispatcher, events = run(ActionAnswerProcedure(), tracker)
    codes = codes_of(dispatcher)
    assert KHAI_SINH in codes and THUONG_TRU not in codes
    if slots_set(events).get("procedure_code"):  # answered, not offered
        assert slots_set(events)["procedure_code"] == KHAI_SINH


def test_no_diacritics_whole_message_is_searched(catalog: str, responses: dict) -> None:
    # The DIET mention alone ("dang ky thuong tru") offered an unrelated register; the whole message is searched.
    tracker = make_tracker("toi muon dang ky thuong tru", "find_procedure", [entity("procedure", "dang ky thuong tru")])
    dispatcher, _ = run(ActionAnswerProcedure(), tracker)
    assert THUONG_TRU in codes_of(dispatcher)[:1]


def test_choices_remember_the_attribute_then_the_click_answers_it(catalog: str, responses: dict) -> None:
    tracker = make_tracker("đăng ký xe lệ phí bao nhiêu?", "ask_fee")
    dispatcher, events = run(ActionAnswerProcedure(), tracker)
    [message] = dispatcher.messages
    assert message["response"] == "utter_choose_procedure_for"
    assert "Bạn hỏi về phí, lệ phí của thủ tục nào?" in rendered(dispatcher, responses)[0]
    assert 2 <= len(message["buttons"]) <= 4
    offered = slots_set(events)["offered"]
    assert [o["code"] for o in offered] == codes_of(dispatcher)
    assert slots_set(events)["requested_attribute"] == "fee"

    picked = offered[1]
    click = make_tracker(
        f'/choose_procedure{{"procedure_code": "{picked["code"]}"}}',
        "choose_procedure",
        [entity("procedure_code", picked["code"])],
        slots={"requested_attribute": "fee", "offered": offered},
    )
    dispatcher, events = run(ActionAnswerProcedure(), click)
    assert [m["response"] for m in dispatcher.messages] in (["utter_answer_fee"], ["utter_field_missing"])
    assert f"(mã {picked['code']})" in rendered(dispatcher, responses)[0]
    assert slots_set(events)["offered"] is None and slots_set(events)["procedure_code"] == picked["code"]


def test_an_attribute_question_while_choices_are_open_offers_them_again(catalog: str, responses: dict) -> None:
    offered = [
        {"code": "1.005099", "name": "Chuyển trường đối với học sinh tiểu học"},
        {"code": "2.002854", "name": "x"},
    ]
    tracker = make_tracker("mất bao nhiêu tiền", "ask_fee", slots={"offered": offered})
    dispatcher, events = run(ActionAnswerProcedure(), tracker)
    [message] = dispatcher.messages
    assert message["response"] == "utter_choose_procedure_for"
    assert codes_of(dispatcher) == ["1.005099", "2.002854"]
    assert slots_set(events) == {"requested_attribute": "fee", "offered": [{**o, "namesakes": []} for o in offered]}


def test_a_follow_up_stays_on_the_procedure_discussed(catalog: str, responses: dict) -> None:
    slots = {"procedure_code": KHAI_SINH, "procedure_name": "Thủ tục đăng ký khai sinh"}
    for text, intent, template in (
        ("mất bao nhiêu tiền", "ask_fee", "utter_answer_fee"),
        ("làm online được ko", "ask_online", "utter_answer_online_"),
        ("thế còn nộp ở đâu", "ask_where_to_submit", "utter_answer_where_to_submit"),
    ):
        dispatcher, _ = run(ActionAnswerProcedure(), make_tracker(text, intent, slots=slots))
        assert dispatcher.messages[0]["response"].startswith(template), text
        assert codes_of(dispatcher) == [KHAI_SINH], text


def test_a_question_nothing_fits_names_no_procedure(catalog: str, responses: dict) -> None:
    dispatcher, _ = run(ActionAnswerProcedure(), make_tracker("đặt lịch tiêm vắc xin cho con", "find_procedure"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_procedure_not_found"]
    assert codes_of(dispatcher) == []
    [text] = rendered(dispatcher, responses)
    assert "chưa tìm thấy thủ tục" in text and "https://dichvucong.gov.vn" in text
    assert dispatcher.messages[0]["buttons"] == [{"title": "Gặp cán bộ hỗ trợ", "payload": "/ask_human"}]


def test_chit_chat_the_catalog_cannot_answer_gets_the_scope(catalog: str, responses: dict) -> None:
    dispatcher, _ = run(ActionAnswerProcedure(), make_tracker("hôm nay thời tiết thế nào", "out_of_scope"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
    [text] = rendered(dispatcher, responses)
    assert "chỉ hỗ trợ tra cứu thủ tục" in text and "https://dichvucong.gov.vn" in text  # where else to look
    assert dispatcher.messages[0]["buttons"] == [{"title": "Gặp cán bộ hỗ trợ", "payload": "/ask_human"}]


def test_short_question_without_context_asks_which_procedure(catalog: str, responses: dict) -> None:
    dispatcher, events = run(ActionAnswerProcedure(), make_tracker("mất bao lâu?", "ask_processing_time"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_which_procedure"]
    assert slots_set(events) == {"requested_attribute": "processing_time"}
    named = make_tracker("đăng ký thường trú", "find_procedure", slots={"requested_attribute": "processing_time"})
    dispatcher, _ = run(ActionAnswerProcedure(), named)
    assert dispatcher.messages[0]["response"] == "utter_answer_processing_time"
    assert "7 Ngày làm việc" in rendered(dispatcher, responses)[0]


def test_unknown_code_says_not_found_and_clears_the_slot(catalog: str, responses: dict) -> None:
    tracker = make_tracker("mã 9.999999", "choose_procedure", slots={"procedure_code": KHAI_SINH})
    dispatcher, events = run(ActionAnswerProcedure(), tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_procedure_not_found"]
    assert "chưa tìm thấy thủ tục" in rendered(dispatcher, responses)[0]
    assert slots_set(events)["procedure_code"] is None


def test_life_situation_offers_the_procedures(catalog: str, responses: dict) -> None:
    dispatcher, _ = run(ActionAnswerProcedure(), make_tracker("tôi mới chuyển nhà sang quận khác", "find_procedure"))
    codes = codes_of(dispatcher)
    assert {"1.004222", "1.004194"} & set(codes)
    assert rendered(dispatcher, responses)


def test_pending_question_is_answered_once_the_procedure_is_chosen(catalog: str, responses: dict) -> None:
    tracker = make_tracker(
        '/choose_procedure{"procedure_code": "1.004222"}',
        "choose_procedure",
        [entity("procedure_code", THUONG_TRU)],
        slots={"requested_attribute": "processing_time", "offered": [{"code": THUONG_TRU, "name": "x"}]},
    )
    dispatcher, _ = run(ActionAnswerProcedure(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_answer_processing_time"
    assert "7 Ngày làm việc" in rendered(dispatcher, responses)[0]


def test_an_unsure_greeting_nothing_fits_gets_a_greeting(catalog: str, responses: dict) -> None:
    from rasa_sdk import Tracker

    latest = {
        "text": "xin chào, cho mình hỏi chút",
        "intent": {"name": "nlu_fallback", "confidence": 0.6},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.9}, {"name": "greet", "confidence": 0.6}],
        "entities": [],
    }
    tracker = Tracker("test-user", {}, latest, [], False, None, {}, "action_listen")
    dispatcher, _ = run(ActionAnswerProcedure(), tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet"]
