"""The Messenger and Zalo payload parsers: real-shaped events, and fuzzing (only MalformedPayload may escape)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.payloads import Incoming, MalformedPayload, messenger_messages, zalo_event

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
    ]
)
# JSON built mostly from the providers' own keys, so the fuzzing reaches past the first shape check.
SHAPED = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.just("page") | st.just("user_send_text"),
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
    assert event.message == Incoming("2468458835296117922", "đăng ký khai sinh cần giấy tờ gì", "mid-1")


def test_zalo_other_events_carry_no_message() -> None:
    assert zalo_event(_zalo(event_name="user_send_image")).message is None
    assert zalo_event(_zalo(event_name="follow", message=None)).message is None
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
        {"sender": {"id": "psid-2"}, "postback": {"title": "Chọn", "payload": "/greet"}},
        {"sender": {"id": "page-1"}, "message": {"mid": "m3", "text": "echo", "is_echo": True}},
        {"sender": {"id": "psid-1"}, "delivery": {"mids": ["m1"]}},
        {"sender": {"id": "psid-1"}, "message": {"mid": "m4", "attachments": [{"type": "image"}]}},
    )
    assert messenger_messages(payload) == [
        Incoming("psid-1", "lệ phí hộ chiếu", "m1"),
        Incoming("psid-1", '/feedback{"rating": "up"}', "m2"),
        Incoming("psid-2", "/greet", None),
    ]


@settings(max_examples=200, deadline=None)
@given(JSON | SHAPED)
def test_messenger_parser_takes_any_json(payload: Any) -> None:
    try:
        messages = messenger_messages(payload)
    except MalformedPayload:
        return
    assert all(isinstance(m.sender_id, str) and m.sender_id and m.text.strip() for m in messages)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | (JSON | SHAPED).map(lambda v: json.dumps(v).encode()))
def test_zalo_parser_takes_any_bytes(body: bytes) -> None:
    try:
        event = zalo_event(body)
    except MalformedPayload:
        return
    assert event.timestamp.isdigit() and event.event_name
    assert event.message is None or (event.event_name == "user_send_text" and event.message.text.strip())
