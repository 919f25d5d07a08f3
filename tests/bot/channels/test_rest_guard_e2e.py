"""The guard on the REST channel (the portal widget's), against the real Rasa server."""

from __future__ import annotations

import uuid

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
