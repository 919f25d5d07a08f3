"""Clarification, then the hand-off to staff: the hotline off duty, a chat on duty."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa_sdk")

from actions.fallback import ActionClarifyOrHandoff
from actions.handoff import ActionHandoff, ActionHandoffAccept
from tests.actions.helpers import make_tracker, rendered, run


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
