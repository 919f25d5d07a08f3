"""Messenger events beyond a typed question, end to end (real Rasa, fake Graph API): "Get Started" and a first
message greet with topic quick replies, media gets the short reply, a chat-plugin guest (sender.user_ref) is
answered, other events are logged, and a staff message sent outside any webhook request reaches the citizen."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.bot.channels import outbox
from tests.bot.channels.conftest import Channels
from tests.bot.channels.fake_providers import Call, calls_to
from tests.bot.channels.test_messenger_e2e import new_sender, page_event


def page(*messaging: dict[str, Any], **entry: Any) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [{"id": "page-1", "time": int(time.time() * 1000), "messaging": list(messaging), **entry}],
    }


def from_user(sender: dict[str, str], **fields: Any) -> dict[str, Any]:
    return {"sender": sender, "recipient": {"id": "page-1"}, "timestamp": int(time.time() * 1000), **fields}


def get_started(sender: dict[str, str]) -> dict[str, Any]:
    postback = {"mid": f"m_{uuid.uuid4().hex}", "title": "Bắt đầu", "payload": "GET_STARTED"}
    return page(from_user(sender, postback=postback))


def attachment(sender: str, kind: str, **payload: Any) -> dict[str, Any]:
    message = {"mid": f"m_{uuid.uuid4().hex}", "attachments": [{"type": kind, "payload": payload}]}
    return page(from_user({"id": sender}, message=message))


def titles(call: Call) -> list[str]:
    return [q["title"] for q in call.body["message"]["quick_replies"]]


def test_get_started_greets_with_topic_quick_replies(channels: Channels) -> None:
    sender = new_sender()
    reply = channels.messenger(get_started({"id": sender}))
    assert (reply.status, reply.body) == (200, b"EVENT_RECEIVED")
    greeted = outbox.greeting(channels, sender)
    assert titles(greeted) == outbox.TOPICS
    assert channels.wait_user_event(sender, "greet")["input_channel"] == "facebook"

    # «Gặp cán bộ hỗ trợ»: Messenger sends the title as text and the payload beside it.
    handoff = greeted.body["message"]["quick_replies"][-1]
    assert channels.messenger(page_event(sender, handoff["title"], handoff["payload"])).status == 200
    channels.wait_user_event(sender, "ask_human")


def test_a_first_question_is_greeted_then_answered(channels: Channels) -> None:
    sender = new_sender()
    assert channels.messenger(page_event(sender, "đăng ký khai sinh cần giấy tờ gì")).status == 200
    parts = outbox.answer_parts(channels, sender, until="quick_replies")
    mine = calls_to(channels.providers.calls, sender)
    assert outbox.GREETING in mine[0].text and titles(mine[0]) == outbox.TOPICS
    assert mine.index(parts[0]) > 0
    assert not any("chưa hiểu" in c.text for c in mine)
    assert [e["text"] for e in channels.wait_user_events(sender, 1)] == ["đăng ký khai sinh cần giấy tờ gì"]


def test_image_sticker_and_voice_get_the_short_reply(channels: Channels) -> None:
    sender = new_sender()
    assert channels.messenger(page_event(sender, "xin chào")).status == 200
    outbox.greeting(channels, sender)
    for media in [
        attachment(sender, "image", url="https://cdn.example/anh.jpg"),
        attachment(sender, "image", url="https://cdn.example/like.png", sticker_id=369239263222822),
        attachment(sender, "audio", url="https://cdn.example/voice.mp4"),
    ]:
        assert channels.messenger(media).status == 200
    replies = outbox.media_replies(channels, sender, 3)
    assert all(titles(c) == ["Gặp cán bộ hỗ trợ"] for c in replies)
    assert [e["text"] for e in channels.wait_user_events(sender, 1)] == ["xin chào"]


def test_a_question_after_a_sticker_is_answered(channels: Channels) -> None:
    sender = new_sender()
    assert channels.messenger(page_event(sender, "chào bạn")).status == 200
    outbox.greeting(channels, sender)
    assert channels.messenger(attachment(sender, "image", url="https://cdn.example/s.png", sticker_id=1)).status == 200
    channels.providers.wait(lambda calls: any(outbox.MEDIA_REPLY in c.text for c in calls_to(calls, sender)))
    assert channels.messenger(page_event(sender, "đăng ký khai sinh cần giấy tờ gì")).status == 200
    outbox.answer_parts(channels, sender, until="quick_replies")
    assert not any("chưa hiểu" in c.text for c in calls_to(channels.providers.calls, sender))


def test_a_postback_of_a_chat_plugin_guest_is_answered_through_its_user_ref(channels: Channels) -> None:
    user_ref = f"guest-{uuid.uuid4().hex[:10]}"
    assert channels.messenger(get_started({"user_ref": user_ref})).status == 200
    greeted = outbox.greeting(channels, f"user_ref:{user_ref}")
    assert greeted.body["recipient"] == {"user_ref": user_ref}
    assert channels.wait_user_event(f"user_ref:{user_ref}", "greet")["input_channel"] == "facebook"


def test_other_events_are_logged_and_acknowledged(channels: Channels) -> None:
    sender = new_sender()
    psid = {"id": sender}
    logged = {
        "message_reactions": from_user(psid, reaction={"reaction": "like", "action": "react", "mid": "m_1"}),
        "messaging_optins": from_user(psid, optin={"type": "notification_messages", "payload": "x"}),
        "messaging_referrals": from_user(psid, referral={"ref": "x", "source": "SHORTLINK", "type": "OPEN_THREAD"}),
        "messaging_handovers": from_user(psid, pass_thread_control={"new_owner_app_id": "123"}),
        "unknown": from_user(psid, some_future_event={"x": 1}),
    }
    quiet = [from_user(psid, read={"watermark": 1}), from_user(psid, delivery={"mids": ["m_1"], "watermark": 1})]
    # Sent by Meta about the page, with no sender.
    policy = {"recipient": {"id": "page-1"}, "timestamp": 1, "policy_enforcement": {"action": "warning", "reason": "x"}}
    standby = page(standby=[from_user(psid, message={"mid": "m_2", "text": "x"})])
    for body in [page(*logged.values(), *quiet, policy), standby]:
        reply = channels.messenger(body)
        assert (reply.status, reply.body) == (200, b"EVENT_RECEIVED")
    for name in logged:
        channels.wait_log(f"facebook: {name} event from {sender} logged, not answered")
    channels.wait_log("facebook: messaging_policy_enforcement event from - logged, not answered")
    channels.wait_log("facebook: standby event from - logged, not answered")
    outbox.nothing_reached_rasa(channels, sender, after_s=1)


def test_a_staff_message_outside_a_request_reaches_the_citizen(channels: Channels) -> None:
    sender = new_sender()
    assert channels.messenger(page_event(sender, "xin chào")).status == 200
    outbox.greeting(channels, sender)
    sent = outbox.sent_by_staff(channels, sender, "facebook")
    staff = outbox.STAFF_MESSAGE
    assert sent.body == {"recipient": {"id": sender}, "messaging_type": "RESPONSE", "message": {"text": staff}}
