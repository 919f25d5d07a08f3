"""The call-back form: a number however it is written, a wrong one asked again, none at all ends it."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.callback import ActionCallbackSaved, ValidateCallbackForm, masked
from tests.actions.helpers import make_tracker, rendered, run


def validate(text: str) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker: Tracker = make_tracker(text, "nlu_fallback")
    return ValidateCallbackForm().validate_callback_phone(text, dispatcher, tracker, {}), dispatcher


@pytest.mark.parametrize("text", ["0912345678", "số của tôi là +84 912 345 678 nhé", "0912.345.678"])
def test_a_number_however_written(text: str) -> None:
    slots, dispatcher = validate(text)
    assert slots == {"callback_phone": "0912345678"} and not dispatcher.messages


def test_a_wrong_number_is_asked_again() -> None:
    slots, dispatcher = validate("091234")
    assert slots == {"callback_phone": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_callback_invalid"]


@pytest.mark.parametrize("text", ["thôi", "Không cần.", "đăng ký khai sinh cần giấy tờ gì"])
def test_no_number_ends_the_form_keeping_nothing(text: str) -> None:
    slots, dispatcher = validate(text)
    assert slots == {"callback_phone": None, "requested_slot": None} and not dispatcher.messages


def test_saved_reads_back_a_masked_number(responses: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "T2-T6 08:00-17:00")
    tracker = make_tracker("0912345678", "nlu_fallback", slots={"callback_phone": "0912345678"})
    dispatcher, _ = run(ActionCallbackSaved(), tracker)
    [text] = rendered(dispatcher, responses)
    assert "0912 *** 678" in text and "0912345678" not in text and "Thứ Hai – Thứ Sáu, 08:00–17:00" in text
    dispatcher, _ = run(ActionCallbackSaved(), make_tracker("thôi", "deny"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_callback_cancelled"]
    assert masked("02438251234") == "0243 *** 234"
