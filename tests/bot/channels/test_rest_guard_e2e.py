"""The guard on the REST channel (the portal widget's), against the real Rasa server."""

from __future__ import annotations

import json
import uuid

from common.feedback import message_id
from tests.bot.channels.conftest import MAX_MESSAGE_CHARS, RATE_LIMIT_BURST, Channels


def test_over_long_message_is_refused_without_reaching_nlu(channels: Channels) -> None:
    sender = f"guard-long-{uuid.uuid4().hex[:8]}"
    question = "Tôi muốn hỏi thủ tục đăng ký khai sinh cho con. " * 30
    assert len(question) > MAX_MESSAGE_CHARS
    replies = channels.rest(sender, question)
    assert len(replies) == 1 and f"giới hạn {MAX_MESSAGE_CHARS} ký tự" in replies[0]["text"], replies
    assert channels.user_events(sender) == []
    # The same question within the limit is answered normally.
    answer = " ".join(r.get("text", "") for r in channels.rest(sender, "đăng ký khai sinh cần giấy tờ gì"))
    assert "(mã 1.001193)" in answer


def test_sender_over_the_rate_limit_gets_a_polite_reply_and_others_are_unaffected(channels: Channels) -> None:
    sender = f"guard-rate-{uuid.uuid4().hex[:8]}"
    # Over-long messages use the allowance too (and are refused at once, so the test does not depend on NLU speed).
    for _ in range(RATE_LIMIT_BURST - 1):
        assert "vượt quá giới hạn" in str(channels.rest(sender, "x" * (MAX_MESSAGE_CHARS + 1)))
    answered = channels.rest(sender, "đăng ký khai sinh cần giấy tờ gì")
    assert "(mã 1.001193)" in str(answered), answered
    refused = channels.rest(sender, "đăng ký khai sinh cần giấy tờ gì")
    assert len(refused) == 1 and "Bạn vui lòng chờ khoảng" in refused[0]["text"], refused
    assert len(channels.user_events(sender)) == 1  # only the answered question reached Rasa
    assert "(mã 1.001193)" in str(channels.rest(f"{sender}-other", "đăng ký khai sinh cần giấy tờ gì"))


def test_widget_feedback_is_stored_in_the_tracker(channels: Channels) -> None:
    sender = f"guard-feedback-{uuid.uuid4().hex[:8]}"
    replies = channels.rest(sender, '/feedback{"rating": "up"}')
    assert "Cảm ơn bạn đã góp ý" in str(replies)
    event = channels.wait_user_event(sender, "feedback", timeout_s=5)
    assert {"entity": "rating", "value": "up"}.items() <= event["parse_data"]["entities"][0].items()


def test_each_reply_names_its_bot_event_and_a_rating_with_that_id_is_thanked_in_the_widget(
    channels: Channels,
) -> None:
    sender = f"rest-ids-{uuid.uuid4().hex[:8]}"
    replies = channels.rest(sender, "đăng ký khai sinh cần giấy tờ gì")
    bots = [e for e in channels.tracker(sender)["events"] if e["event"] == "bot"]
    # Every message carries the id of the bot event it comes from (a text split at blank lines shares it).
    assert replies and {r["id"] for r in replies} == {message_id(e["timestamp"]) for e in bots}, (replies, bots)
    assert [r["id"] for r in replies] == sorted((r["id"] for r in replies), key=float)
    rated = replies[-1]["id"]
    # The widget thanks in place: a rating that names its answer gets no reply of the bot's own.
    assert channels.rest(sender, "/feedback" + json.dumps({"rating": "down", "message_id": rated})) == []
    reason = json.dumps({"message_id": rated, "reason": "missing_info", "comment": "thiếu giấy chứng sinh"})
    assert channels.rest(sender, "/feedback" + reason) == []
    entities = [
        {x["entity"]: x["value"] for x in e["parse_data"]["entities"]}
        for e in channels.tracker(sender)["events"]
        if e["event"] == "user" and e["parse_data"]["intent"]["name"] == "feedback"
    ]
    assert entities == [
        {"rating": "down", "message_id": rated},
        {"message_id": rated, "reason": "missing_info", "comment": "thiếu giấy chứng sinh"},
    ]
