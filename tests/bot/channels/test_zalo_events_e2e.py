"""Zalo OA events beyond a typed question, end to end (real Rasa, fake OA API): a follow and a first message
greet with topic buttons, media gets the short reply, other events are logged, and a staff message sent
outside any webhook request reaches the citizen."""

from __future__ import annotations

import uuid
from typing import Any

from tests.bot.channels import outbox
from tests.bot.channels.conftest import Channels
from tests.bot.channels.fake_providers import Call, calls_to
from tests.bot.channels.test_zalo_e2e import new_sender, oa_event, text_event


def media_event(name: str, sender: str, kind: str) -> dict[str, Any]:
    attachment = {"type": kind, "payload": {"url": f"https://zalo.example/{kind}", "thumbnail": ""}}
    return oa_event(name, sender, message={"msg_id": uuid.uuid4().hex, "attachments": [attachment]})


def buttons(call: Call) -> list[dict[str, Any]]:
    return call.body["message"]["attachment"]["payload"]["buttons"]


def test_follow_greets_with_topic_buttons_and_a_topic_tap_is_answered(channels: Channels) -> None:
    sender = new_sender()
    follow = oa_event("follow", sender, oa_id="388613280878808645", source="oa_profile", follower={"id": sender})
    del follow["sender"]
    assert channels.zalo(follow).json() == {"status": "accepted"}

    greeted = outbox.greeting(channels, sender)
    # A follow has no message to quote: the plain user_id form.
    assert greeted.body["recipient"] == {"user_id": sender}
    assert [b["title"] for b in buttons(greeted)] == outbox.TOPICS
    assert {b["type"] for b in buttons(greeted)} == {"oa.query.hide"}
    assert buttons(greeted)[-1]["payload"] == "/ask_human"
    assert channels.wait_user_event(sender, "greet")["input_channel"] == "zalo"

    # Zalo delivers an oa.query.hide tap as a user_send_text carrying the payload.
    tap = text_event(sender, buttons(greeted)[1]["payload"])
    assert channels.zalo(tap).status == 200
    calls = channels.providers.wait(lambda calls: any("(mã " in c.text for c in calls_to(calls, sender)))
    answer = next(c for c in calls_to(calls, sender) if "(mã " in c.text)
    assert "khai sinh" in answer.text.lower()
    assert answer.body["recipient"] == {"user_id": sender, "message_id": tap["message"]["msg_id"]}


def test_a_first_question_is_greeted_then_answered_with_one_user_event(channels: Channels) -> None:
    sender = new_sender()
    question = text_event(sender, "đăng ký khai sinh cần giấy tờ gì")
    assert channels.zalo(question).json() == {"status": "accepted"}
    parts = outbox.answer_parts(channels, sender, until="attachment")
    mine = calls_to(channels.providers.calls, sender)
    assert outbox.GREETING in mine[0].text and [b["title"] for b in buttons(mine[0])] == outbox.TOPICS
    assert mine.index(parts[0]) > 0
    quoted = {"user_id": sender, "message_id": question["message"]["msg_id"]}
    assert all(c.body["recipient"] == quoted for c in mine)
    # The greeting run before the question leaves the dialogue where a question is expected.
    assert not any("chưa hiểu" in c.text for c in mine)

    channels.wait_user_events(sender, 1)  # the tracker is saved after the reply is sent
    events = channels.tracker(sender)["events"]
    greet = next(i for i, e in enumerate(events) if e.get("metadata", {}).get("utter_action") == "utter_greet")
    [user] = [i for i, e in enumerate(events) if e["event"] == "user"]
    assert greet < user and events[user]["text"] == question["message"]["text"]


def test_image_sticker_and_voice_get_the_short_reply(channels: Channels) -> None:
    sender = new_sender()
    assert channels.zalo(text_event(sender, "xin chào")).status == 200
    outbox.greeting(channels, sender)
    sent = [
        media_event("user_send_image", sender, "image"),
        media_event("user_send_sticker", sender, "sticker"),
        media_event("user_send_audio", sender, "audio"),
    ]
    for media in sent:
        assert channels.zalo(media).json() == {"status": "accepted"}
    replies = outbox.media_replies(channels, sender, 3)
    assert [c.body["recipient"]["message_id"] for c in replies] == [m["message"]["msg_id"] for m in sent]
    assert all([b["title"] for b in buttons(c)] == ["Gặp cán bộ hỗ trợ"] for c in replies)
    # No guessed user message: the tracker holds only what was typed.
    assert [e["text"] for e in channels.wait_user_events(sender, 1)] == ["xin chào"]


def test_other_events_are_logged_and_acknowledged(channels: Channels) -> None:
    sender = new_sender()
    names = ["unfollow", "user_reacted_message", "anonymous_send_text", "a_brand_new_event"]
    quiet = ["user_received_message", "user_seen_message", "oa_send_text"]
    for name in names + quiet:
        reply = channels.zalo(oa_event(name, sender, message={"msg_id": uuid.uuid4().hex, "text": "x"}))
        assert reply.status == 200 and reply.json() == {"status": "ignored"}, (name, reply)
    for name in names:
        # Rasa's log masks a Zalo user id, a long number, like other personal data (knowledge/privacy.py).
        channels.wait_log(f"zalo: {name} event from [ACCOUNT] logged, not answered")
    outbox.nothing_reached_rasa(channels, sender, after_s=1)


def test_a_staff_message_outside_a_request_reaches_the_citizen(channels: Channels) -> None:
    sender = new_sender()
    question = text_event(sender, "xin chào")
    assert channels.zalo(question).status == 200
    outbox.greeting(channels, sender)

    sent = outbox.sent_by_staff(channels, sender, "zalo")
    # Within 48 hours of the citizen's message: a reply to it, not a proactive message.
    assert sent.body["recipient"] == {"user_id": sender, "message_id": question["message"]["msg_id"]}

    stranger = new_sender()  # never wrote to this process: nothing to quote, the plain form
    channels.send_as_staff(stranger, outbox.STAFF_MESSAGE, "zalo")
    [plain] = calls_to(channels.providers.wait(lambda calls: bool(calls_to(calls, stranger))), stranger)
    assert plain.body == {"recipient": {"user_id": stranger}, "message": {"text": outbox.STAFF_MESSAGE}}
