"""Zalo OA end to end: a real Rasa server with the Zalo channel, replies caught by a local fake OA API."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from bot.channels.signatures import zalo_signature
from tests.bot.channels.conftest import (
    RATE_LIMIT_BURST,
    ZALO_ACCESS_TOKEN,
    ZALO_APP_ID,
    ZALO_OA_SECRET_KEY,
    Channels,
)
from tests.bot.channels.fake_providers import ZALO_SEND_PATH, Call, calls_to
from tests.bot.channels.outbox import answer_parts, nothing_reached_rasa

ZALO_ACK_LIMIT_S = 2.0  # Zalo retries, then disables the webhook, without a 200 within 2 s


def oa_event(name: str, sender: str, **fields: Any) -> dict[str, Any]:
    """A Zalo OA webhook event ``name`` from the sender, with the event's own ``fields`` last."""
    return {
        "app_id": ZALO_APP_ID,
        "user_id_by_app": f"app-{sender}",
        "event_name": name,
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": sender},
        "recipient": {"id": "388613280878808645"},
        **fields,
    }


def text_event(sender: str, text: str, *, event_name: str = "user_send_text") -> dict[str, Any]:
    return oa_event(event_name, sender, message={"text": text, "msg_id": uuid.uuid4().hex})


def new_sender() -> str:
    return str(uuid.uuid4().int)[:19]


def answered(sender: str, needle: str) -> Callable[[list[Call]], bool]:
    return lambda calls: any(needle in c.text for c in calls_to(calls, sender))


def test_signed_question_is_acknowledged_at_once_and_answered_through_the_oa_api(channels: Channels) -> None:
    sender = new_sender()
    question = text_event(sender, "đăng ký khai sinh cần giấy tờ gì")
    reply = channels.zalo(question)
    print(f"zalo webhook acknowledged in {reply.seconds * 1000:.0f} ms")
    assert reply.status == 200, reply
    assert reply.seconds < ZALO_ACK_LIMIT_S
    assert reply.json() == {"status": "accepted"}

    parts = answer_parts(channels, sender, until="attachment")
    print(f"zalo answer sent in {len(parts)} messages of {[len(p.text) for p in parts]} characters")
    assert "(mã 1.001193)" in parts[0].text
    assert all(c.path == ZALO_SEND_PATH and c.headers["access_token"] == ZALO_ACCESS_TOKEN for c in parts)
    assert all(0 < len(c.text) <= 2000 for c in parts)
    assert all("attachment" not in c.body["message"] for c in parts[:-1])
    buttons = parts[-1].body["message"]["attachment"]["payload"]["buttons"]
    # The portal page as a labelled link button first, the answer's own buttons, then the feedback pair.
    assert len(buttons) <= 5
    assert buttons[0]["type"] == "oa.open.url" and buttons[0]["title"] == "Xem trên Cổng Dịch vụ công"
    assert [b["type"] for b in buttons[1:]] == ["oa.query.hide"] * (len(buttons) - 1)
    assert [b["title"] for b in buttons[-2:]] == ["👍 Hữu ích", "👎 Chưa đúng"]
    assert "https://" not in "".join(p.text for p in parts)
    # Each part is a reply to the question: it quotes the question's msg_id (docs/channels.md).
    assert all(c.body["recipient"] == {"user_id": sender, "message_id": question["message"]["msg_id"]} for c in parts)


def test_feedback_button_click_reaches_the_tracker_as_feedback(channels: Channels) -> None:
    sender = new_sender()
    assert channels.zalo(text_event(sender, "đăng ký khai sinh cần giấy tờ gì")).status == 200
    buttons = answer_parts(channels, sender, until="attachment")[-1].body["message"]["attachment"]["payload"]["buttons"]
    # Zalo delivers an oa.query.hide click as a user_send_text event whose text is the button's payload.
    thumbs_up = next(b for b in buttons if b["title"].startswith("👍"))
    assert channels.zalo(text_event(sender, thumbs_up["payload"])).status == 200

    event = channels.wait_user_event(sender, "feedback")
    assert {"entity": "rating", "value": "up"}.items() <= event["parse_data"]["entities"][0].items()
    assert event["input_channel"] == "zalo"
    channels.providers.wait(answered(sender, "Cảm ơn bạn đã góp ý"))


def test_missing_signature_is_401_and_nothing_is_processed(channels: Channels) -> None:
    sender = new_sender()
    reply = channels.zalo(text_event(sender, "đăng ký khai sinh"), signature=None)
    assert reply.status == 401, reply
    nothing_reached_rasa(channels, sender, after_s=2)


def test_wrong_or_replayed_signature_is_403_and_nothing_is_processed(channels: Channels) -> None:
    sender = new_sender()
    assert channels.zalo(text_event(sender, "đăng ký khai sinh"), signature="mac=" + "0" * 64).status == 403
    # A valid signature of another body: the same event with a changed text.
    original = text_event(sender, "xin chào")
    forged = {**original, "message": {**original["message"], "text": "đăng ký khai sinh"}}
    body = json.dumps(original, ensure_ascii=False).encode()
    stolen = zalo_signature(ZALO_APP_ID, body, original["timestamp"], ZALO_OA_SECRET_KEY)
    assert channels.zalo(forged, signature=stolen).status == 403
    nothing_reached_rasa(channels, sender, after_s=2)


def test_a_retried_event_is_processed_once(channels: Channels) -> None:
    sender = new_sender()
    event = text_event(sender, "xin chào")
    assert channels.zalo(event).json() == {"status": "accepted"}
    assert channels.zalo(event).json() == {"status": "duplicate"}
    assert len(channels.wait_user_events(sender, 1)) == 1


def test_rate_limited_sender_is_told_once(channels: Channels) -> None:
    sender = new_sender()
    for _ in range(RATE_LIMIT_BURST + 3):
        assert channels.zalo(text_event(sender, "xin chào")).status == 200
    channels.providers.wait(answered(sender, "nhanh hơn mức hệ thống cho phép"))
    assert len(channels.wait_user_events(sender, RATE_LIMIT_BURST)) == RATE_LIMIT_BURST
    calls = calls_to(channels.providers.calls, sender)
    assert sum("nhanh hơn mức" in c.text for c in calls) == 1
