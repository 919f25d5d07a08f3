"""The Messenger and Zalo payload parsers: real-shaped events, and fuzzing (only MalformedPayload may escape)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.payloads import Incoming, MalformedPayload, Skipped, messenger_batch, zalo_event

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)
KEYS = st.sampled_from(
    [
        "object",
        "entry",
        "messaging",
        "sender",
        "id",
        "message",
        "text",
        "quick_reply",
        "payload",
        "postback",
        "is_echo",
        "mid",
        "event_name",
        "timestamp",
        "app_id",
        "msg_id",
        "user_send_text",
        "attachments",
        "type",
        "sticker_id",
        "user_ref",
        "follower",
        "standby",
        "read",
    ]
)
# JSON built mostly from the providers' own keys, so the fuzzing reaches past the first shape check.
SHAPED = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.sampled_from(["page", "user_send_text", "follow", "user_send_image"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=40,
)


def _zalo(**overrides: Any) -> bytes:
    event = {
        "app_id": "4306184418736952731",
        "user_id_by_app": "552177279717587730",
        "event_name": "user_send_text",
        "timestamp": "1732370000000",
        "sender": {"id": "2468458835296117922"},
        "recipient": {"id": "388613280878808645"},
        "message": {"text": "đăng ký khai sinh cần giấy tờ gì", "msg_id": "mid-1"},
    }
    event.update(overrides)
    return json.dumps(event, ensure_ascii=False).encode()


def test_zalo_text_event() -> None:
    event = zalo_event(_zalo())
    assert (event.event_name, event.app_id, event.timestamp) == (
        "user_send_text",
        "4306184418736952731",
        "1732370000000",
    )
    assert event.message == Incoming(
        "2468458835296117922", "đăng ký khai sinh cần giấy tờ gì", "mid-1", "text", "user_send_text"
    )
    assert event.key == "mid-1"


def test_zalo_media_and_follow_events_are_answered() -> None:
    sticker = zalo_event(_zalo(event_name="user_send_sticker", message={"msg_id": "mid-2", "attachments": []}))
    assert sticker.message == Incoming("2468458835296117922", "sticker", "mid-2", "media", "user_send_sticker")
    for name, kind in [("user_send_image", "image"), ("user_send_audio", "audio"), ("user_send_location", "location")]:
        assert zalo_event(_zalo(event_name=name)).message == Incoming(
            "2468458835296117922", kind, "mid-1", "media", name
        )
    follow = zalo_event(_zalo(event_name="follow", sender=None, message=None, follower={"id": "2468458835296117922"}))
    assert follow.message == Incoming("2468458835296117922", "/greet", None, "start", "follow")
    # A follow has no message id: a retry of it is recognised by event, sender and time.
    assert follow.key == "follow:2468458835296117922:1732370000000"


def test_zalo_other_events_carry_no_message() -> None:
    for name in ("unfollow", "user_seen_message", "user_received_message", "oa_send_text", "something_new"):
        event = zalo_event(_zalo(event_name=name))
        assert event.message is None and event.key is None and event.sender == "2468458835296117922"
    assert zalo_event(_zalo(event_name="follow", message=None)).message is None  # no follower id
    assert zalo_event(_zalo(message={"text": "   "})).message is None
    assert zalo_event(_zalo(timestamp=1732370000000)).timestamp == "1732370000000"


def test_zalo_refuses_what_cannot_be_signed_or_routed() -> None:
    for body in [b"", b"not json", b"[]", _zalo(event_name=None), _zalo(timestamp="12a"), _zalo(timestamp="¹²")]:
        try:
            zalo_event(body)
        except MalformedPayload:
            continue
        raise AssertionError(f"accepted {body!r}")


def _messenger(*events: dict[str, Any]) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": "page-1", "time": 1, "messaging": list(events)}]}


def test_messenger_texts_quick_replies_and_postbacks() -> None:
    payload = _messenger(
        {"sender": {"id": "psid-1"}, "message": {"mid": "m1", "text": "lệ phí hộ chiếu"}},
        {
            "sender": {"id": "psid-1"},
            "message": {"mid": "m2", "text": "👍 Hữu ích", "quick_reply": {"payload": '/feedback{"rating": "up"}'}},
        },
        {"sender": {"id": "psid-2"}, "postback": {"title": "Bắt đầu", "payload": "GET_STARTED"}},
        {"sender": {"id": "psid-2"}, "postback": {"mid": "m5", "title": "Chọn", "payload": "/choose_procedure"}},
        {"sender": {"id": "page-1"}, "message": {"mid": "m3", "text": "echo", "is_echo": True}},
        {"sender": {"id": "psid-1"}, "delivery": {"mids": ["m1"]}},
        {"sender": {"id": "psid-1"}, "message": {"mid": "m4", "attachments": [{"type": "image"}]}},
        {"sender": {"user_ref": "ref-9"}, "postback": {"title": "Hỏi", "payload": "lệ phí hộ chiếu"}},
    )
    batch = messenger_batch(payload)
    assert batch.messages == [
        Incoming("psid-1", "lệ phí hộ chiếu", "m1", "text", "messages"),
        Incoming("psid-1", '/feedback{"rating": "up"}', "m2", "text", "messages"),
        Incoming("psid-2", "/greet", None, "start", "messaging_postbacks"),
        Incoming("psid-2", "/choose_procedure", "m5", "text", "messaging_postbacks"),
        Incoming("psid-1", "image", "m4", "media", "messages"),
        Incoming("user_ref:ref-9", "lệ phí hộ chiếu", None, "text", "messaging_postbacks"),
    ]
    assert batch.skipped == [Skipped("message_echoes", "page-1"), Skipped("message_deliveries", "psid-1")]


def test_messenger_attachments_and_other_events() -> None:
    sticker = {"type": "image", "payload": {"url": "https://cdn/x.png", "sticker_id": 369239263222822}}
    payload = _messenger(
        {"sender": {"id": "p"}, "message": {"mid": "a", "attachments": [sticker]}},
        {"sender": {"id": "p"}, "message": {"mid": "b", "attachments": [{"type": "audio", "payload": {}}]}},
        {"sender": {"id": "p"}, "message": {"mid": "c", "attachments": [{"type": "<script>"}]}},
        {"sender": {"id": "p"}, "message": {"mid": "d", "text": "xem link", "attachments": [{"type": "fallback"}]}},
        {"sender": {"id": "p"}, "read": {"watermark": 1}},
        {"sender": {"id": "p"}, "reaction": {"reaction": "like", "action": "react", "mid": "m"}},
        {"sender": {"id": "p"}, "optin": {"type": "notification_messages"}},
        {"sender": {"id": "p"}, "referral": {"ref": "x", "source": "SHORTLINK", "type": "OPEN_THREAD"}},
        {"sender": {"id": "p"}, "pass_thread_control": {"new_owner_app_id": "1"}},
        {"sender": {"id": "p"}, "something": {}},
    )
    payload["entry"].append({"id": "page-1", "time": 1, "standby": [{"sender": {"id": "p"}}]})
    batch = messenger_batch(payload)
    assert [(m.text, m.kind) for m in batch.messages] == [
        ("sticker", "media"),
        ("audio", "media"),
        ("attachment", "media"),
        ("xem link", "text"),
    ]
    assert [s.event for s in batch.skipped] == [
        "message_reads",
        "message_reactions",
        "messaging_optins",
        "messaging_referrals",
        "messaging_handovers",
        "unknown",
        "standby",
    ]


@settings(max_examples=200, deadline=None)
@given(JSON | SHAPED)
def test_messenger_parser_takes_any_json(payload: Any) -> None:
    try:
        batch = messenger_batch(payload)
    except MalformedPayload:
        return
    assert all(isinstance(m.sender_id, str) and m.sender_id and m.text.strip() for m in batch.messages)
    assert all(isinstance(s.event, str) and s.event for s in batch.skipped)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | (JSON | SHAPED).map(lambda v: json.dumps(v).encode()))
def test_zalo_parser_takes_any_bytes(body: bytes) -> None:
    try:
        event = zalo_event(body)
    except MalformedPayload:
        return
    assert event.timestamp.isdigit() and event.event_name
    assert event.message is None or (event.message.text.strip() and event.message.event == event.event_name)
    assert (event.key is None) == (event.message is None)
