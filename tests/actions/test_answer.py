"""Custom actions against the real catalog API app (started by the session fixture ``catalog_api_url``).

The assertions are on real catalog records, e.g. 1.004222 Đăng ký thường trú (10.000 đồng online,
20.000 đồng in person, 7 ngày làm việc) and 1.001193 Thủ tục đăng ký khai sinh (online, free).
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

import pytest

pytest.importorskip("rasa_sdk")

from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerProcedure
from actions.catalog_info import ActionDataDate
from actions.fallback import ActionClarifyOrHandoff
from actions.handoff import ActionHandoff, ActionHandoffAccept
from actions.stats import ActionStats
from deploy.processes import free_port
from tests.actions.catalog_server import SlowCatalog
from tests.actions.helpers import entity, make_tracker, rendered, run

KHAI_SINH = "1.001193"
THUONG_TRU = "1.004222"
NO_DETAILS = "6.006722"  # Quyết định điều chuyển tài sản công: no fee, steps, result, legal basis, forms, conditions


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


def answer(intent: str, code: str, responses: dict[str, str], text: str = "…") -> tuple[list[str], list[str]]:
    dispatcher, _ = run(ActionAnswerProcedure(), make_tracker(text, intent, slots={"procedure_code": code}))
    return [m["response"] for m in dispatcher.messages], rendered(dispatcher, responses)


def vn_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def api_json(base: str, path: str, **params: str) -> Any:
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    with urllib.request.urlopen(f"{base}{path}{query}", timeout=10) as response:
        return json.loads(response.read())


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


def test_an_answer_offers_the_other_common_questions_as_buttons(catalog: str, responses: dict) -> None:
    dispatcher, _ = run(ActionAnswerProcedure(), make_tracker("lệ phí", "ask_fee", slots={"procedure_code": KHAI_SINH}))
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert '/ask_documents{"procedure_code": "1.001193"}' in payloads
    assert not any(p.startswith("/ask_fee") for p in payloads)


def test_stats_by_agency_and_level_match_the_api(catalog: str, responses: dict) -> None:
    expected = api_json(catalog, "/stats", agency="Bộ Tư pháp", online_level="toan_trinh")["total"]
    assert expected > 0
    tracker = make_tracker(
        "Bộ Tư pháp có bao nhiêu dịch vụ công toàn trình",
        "ask_stats",
        [entity("agency", "Bộ Tư pháp"), entity("online_level", "toan_trinh")],
    )
    dispatcher, _ = run(ActionStats(), tracker)
    [text] = rendered(dispatcher, responses)
    # What it counts and over what: all of the ministry's procedures, those with an online level, then the level.
    base = api_json(catalog, "/stats", agency="Bộ Tư pháp")
    known = base["total"] - base["by_online_level"].get("unknown", 0)
    assert text.startswith(
        f"Trong {vn_number(base['total'])} thủ tục của Bộ Tư pháp, {vn_number(known)} thủ tục có thông tin về mức độ "
        f"trực tuyến; trong đó {vn_number(expected)} thủ tục là dịch vụ công trực tuyến toàn trình."
    )
    assert "Nguồn: danh mục của trợ lý, dựng ngày" in text
    total = api_json(catalog, "/stats")["total"]
    dispatcher, _ = run(ActionStats(), make_tracker("có bao nhiêu thủ tục", "ask_stats"))
    [text] = rendered(dispatcher, responses)
    assert text.startswith(f"Danh mục có {vn_number(total)} thủ tục.")


def test_stats_honour_the_level_the_question_names(catalog: str, responses: dict) -> None:
    commune = api_json(catalog, "/stats", level="Cấp xã")["total"]
    assert 0 < commune < api_json(catalog, "/stats")["total"]
    dispatcher, _ = run(ActionStats(), make_tracker("có bao nhiêu thủ tục thực hiện ở cấp xã", "ask_stats"))
    [text] = rendered(dispatcher, responses)
    assert text.startswith(f"Danh mục có {vn_number(commune)} thủ tục thực hiện ở cấp xã.")
    dispatcher, _ = run(ActionStats(), make_tracker("có bao nhiêu thủ tục miễn phí", "ask_stats"))
    [text] = rendered(dispatcher, responses)
    assert "Chưa lọc được theo miễn phí" in text


def test_data_date_is_answered_from_the_manifest(catalog: str, responses: dict) -> None:
    info = api_json(catalog, "/catalog")
    dispatcher, _ = run(ActionDataDate(), make_tracker("dữ liệu cập nhật khi nào?", "ask_data_date"))
    [text] = rendered(dispatcher, responses)
    day = "/".join(reversed(info["build_date"].split("-")))
    assert text.startswith(f"Danh mục của trợ lý được dựng ngày {day}, gồm {vn_number(info['total'])} thủ tục")
    assert "- Cổng DVCQG: dữ liệu" in text and "- danh mục tỉnh Lạng Sơn và tỉnh Lâm Đồng: dữ liệu 04/2025" in text


def test_clarify_once_then_hand_off(catalog: str, responses: dict) -> None:
    first = make_tracker("asdf qwer", "nlu_fallback", events=[{"event": "user", "text": "asdf qwer"}])
    dispatcher, _ = run(ActionClarifyOrHandoff(), first)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify"]
    events = [
        {"event": "user", "text": "asdf qwer"},
        {"event": "action", "name": "action_clarify_or_handoff"},
        {"event": "bot", "text": "…"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "zxcv"},
    ]
    dispatcher, _ = run(ActionClarifyOrHandoff(), make_tracker("zxcv", "nlu_fallback", events=events))
    [text] = rendered(dispatcher, responses)
    assert "18001096" in text and "https://dichvucong.gov.vn" in text


def test_off_duty_hand_off_gives_the_hotline_and_hours(responses: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_HOTLINE", "1900 1234")
    monkeypatch.setenv("PORTAL_URL", "https://dichvucong.example.vn")
    monkeypatch.setenv("HANDOFF_HOURS", "never")
    dispatcher, _ = run(ActionHandoff(), make_tracker("gặp nhân viên", "ask_human"))
    [text] = rendered(dispatcher, responses)
    assert "[1900 1234](tel:19001234)" in text and "https://dichvucong.example.vn" in text
    assert "ngoài giờ trực" in text
    assert dispatcher.messages[0]["buttons"] == [{"title": "Đề nghị gọi lại", "payload": "/callback_request"}]


def test_on_duty_hand_off_offers_a_chat_and_accepting_pauses(responses: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "always")
    dispatcher, events = run(ActionHandoff(), make_tracker("gặp nhân viên", "ask_human"))
    assert dispatcher.messages[0]["response"] == "utter_handoff_offer" and events == []
    assert dispatcher.messages[0]["buttons"] == [{"title": "Chat với cán bộ", "payload": "/handoff_accept"}]
    dispatcher, events = run(ActionHandoffAccept(), make_tracker("/handoff_accept", "handoff_accept"))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_handoff_queued", None]
    assert dispatcher.messages[1]["custom"] == {"handoff": "waiting"}
    assert events == [{"event": "pause", "timestamp": None}]


def test_accepting_after_hours_queues_nothing(responses: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "never")
    dispatcher, events = run(ActionHandoffAccept(), make_tracker("/handoff_accept", "handoff_accept"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_off_duty"] and events == []


@pytest.mark.parametrize("action", [ActionAnswerProcedure(), ActionStats()])
def test_catalog_down_apologises(monkeypatch, responses: dict, action: Any, caplog) -> None:
    monkeypatch.setenv("CATALOG_API_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    monkeypatch.setenv("PORTAL_URL", "https://dichvucong.gov.vn")
    tracker = make_tracker("khai sinh cần giấy tờ gì", "ask_documents", [entity("procedure", "khai sinh")])
    started = time.monotonic()
    dispatcher, events = run(action, tracker)
    assert time.monotonic() - started < 2.0
    assert [m["response"] for m in dispatcher.messages] == ["utter_catalog_unavailable"]
    assert "https://dichvucong.gov.vn" in rendered(dispatcher, responses)[0]
    assert events == []
    assert "catalog unavailable" in caplog.text


@pytest.mark.parametrize("action", [ActionAnswerProcedure(), ActionStats()])
def test_slow_catalog_apologises_within_two_seconds(monkeypatch, action: Any) -> None:
    with SlowCatalog(delay_s=3.0) as slow:
        monkeypatch.setenv("CATALOG_API_URL", slow.url)
        tracker = make_tracker("khai sinh nước ngoài lệ phí", "ask_fee", [entity("procedure", "khai sinh nuoc ngoai")])
        started = time.monotonic()
        dispatcher, _ = run(action, tracker)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert [m["response"] for m in dispatcher.messages] == ["utter_catalog_unavailable"]


def test_two_slowish_calls_stay_within_the_action_budget(monkeypatch) -> None:
    with SlowCatalog(delay_s=1.0) as slow:  # search + record: 2 s, over the 1.5 s budget
        monkeypatch.setenv("CATALOG_API_URL", slow.url)
        tracker = make_tracker("khai sinh nước ngoài lệ phí", "ask_fee", [entity("procedure", "khai sinh nuoc ngoai")])
        started = time.monotonic()
        dispatcher, _ = run(ActionAnswerProcedure(), tracker)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert [m["response"] for m in dispatcher.messages] == ["utter_catalog_unavailable"]


TARIFF = "1.115796"  # Chuyển hình thức giao đất, cho thuê đất (cấp tỉnh): amount 0 beside a long tariff
BY_REGULATION = "1.115350"  # Cấp lại Giấy chứng nhận do bị mất: amount 0 beside "theo quy định …", not free


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
