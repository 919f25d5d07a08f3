"""What the bot answers to a rating, a reason or a comment (actions/feedback.py), from the domain's responses."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("rasa_sdk")

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ActionFeedback
from common.feedback import REASONS
from tests.actions.helpers import rendered

ANSWER_1, ANSWER_2 = "1765000000.25", "1765000042.5"


class Talk:
    """A conversation's events as Rasa sends them to the action server, the last user message included."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = [{"event": "session_started"}]

    def say(self, text: str, intent: str, **entities: str) -> Talk:
        parse = {
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
            "text": text,
        }
        self.events += [{"event": "user", "text": text, "parse_data": parse}, {"event": "bot", "text": "…"}]
        return self

    def ask(self) -> Talk:
        return self.say("đăng ký khai sinh cần giấy tờ gì", "ask_documents")

    def rate(self, rating: str | None = None, **entities: str) -> Talk:
        if rating:
            entities["rating"] = rating
        return self.say("/feedback", "feedback", **entities)

    def reply(self) -> list[str]:
        while self.events[-1]["event"] != "user":
            self.events.pop()  # the bot has not answered the latest message yet
        latest = self.events[-1]
        tracker = Tracker("test-user", {}, latest["parse_data"], self.events, False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        assert asyncio.run(ActionFeedback().run(dispatcher, tracker, {})) == []
        return [m["response"] for m in dispatcher.messages]


def test_the_widget_thanks_in_place_so_the_bot_says_nothing() -> None:
    assert Talk().ask().rate("up", message_id=ANSWER_1).reply() == []
    assert Talk().ask().rate("down", message_id=ANSWER_1).reply() == []
    reason = Talk().ask().rate("down", message_id=ANSWER_1).rate(message_id=ANSWER_1, reason="missing_info")
    assert reason.rate(message_id=ANSWER_1, reason="missing_info", comment="thiếu mẫu tờ khai").reply() == []


def test_chat_apps_get_the_reasons_after_a_thumbs_down_and_thanks_otherwise(responses: dict[str, str]) -> None:
    assert Talk().ask().rate("down").reply() == ["utter_feedback_reasons"]
    assert Talk().ask().rate("up").reply() == ["utter_feedback"]
    assert Talk().ask().rate("down").rate(reason="wrong_procedure").reply() == ["utter_feedback"]
    assert Talk().ask().say("trả lời sai rồi", "feedback").reply() == ["utter_feedback"]
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response="utter_feedback_reasons")
    assert "Câu trả lời chưa đúng ở điểm nào?" in rendered(dispatcher, responses)[0]


def test_two_thumbs_down_in_a_row_offer_a_person() -> None:
    # Chat apps: a question between the ratings, so they rate two answers.
    assert Talk().ask().rate("down").ask().rate("down").reply() == ["utter_feedback_offer_human"]
    # The widget: two answers by their ids, even with no question between (an older answer rated late).
    talk = Talk().ask().ask().rate("down", message_id=ANSWER_2).rate(message_id=ANSWER_2, reason="other")
    assert talk.rate("down", message_id=ANSWER_1).reply() == ["utter_feedback_offer_human"]


def test_no_person_offered_for_one_answer_rated_twice_or_a_thumbs_up_between() -> None:
    assert Talk().ask().rate("down").rate("down").reply() == ["utter_feedback_reasons"]
    assert Talk().ask().rate("down", message_id=ANSWER_1).rate("down", message_id=ANSWER_1).reply() == []
    assert Talk().ask().rate("down").ask().rate("up").ask().rate("down").reply() == ["utter_feedback_reasons"]
    # Another session is another conversation.
    talk = Talk().ask().rate("down")
    talk.events.append({"event": "session_started"})
    assert talk.ask().rate("down").reply() == ["utter_feedback_reasons"]


def test_the_responses_offer_the_reasons_and_a_person_as_buttons() -> None:
    import yaml

    from tests.actions.conftest import ROOT

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    reasons = domain["utter_feedback_reasons"][0]["buttons"]
    assert [b["title"] for b in reasons] == ["Sai thủ tục", "Thiếu thông tin", "Khó hiểu", "Khác"]
    assert [b["title"] for b in reasons] == list(REASONS.values())  # the console's labels
    assert [b["payload"] for b in reasons] == [f'/feedback{{"reason": "{code}"}}' for code in REASONS]
    offer = domain["utter_feedback_offer_human"][0]["buttons"]
    assert offer == [{"title": "Gặp cán bộ hỗ trợ", "payload": "/ask_human"}]
