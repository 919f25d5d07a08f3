"""Parse the webhook payloads of Messenger and Zalo OA into the text messages the bot answers.

Both parsers take whatever arrived (anything JSON can hold) and either return plain values or raise
``MalformedPayload``; they never raise anything else (fuzzed in tests/bot/channels/test_payloads.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ZALO_TEXT_EVENT = "user_send_text"
# Webhook bodies are a few kilobytes; anything far larger is refused before it is parsed.
MAX_BODY_BYTES = 256 * 1024


class MalformedPayload(ValueError):
    """The body is not the provider's webhook format; the message says which part is wrong."""


@dataclass(frozen=True)
class Incoming:
    """A text from a citizen: typed text, or the payload of a quick reply or button they tapped."""

    sender_id: str
    text: str
    message_id: str | None = None


@dataclass(frozen=True)
class ZaloEvent:
    event_name: str
    app_id: str
    timestamp: str  # as signed: the event's own field, digits
    message: Incoming | None  # only for a well-formed user_send_text


def _id(value: Any) -> str | None:
    """Provider ids arrive as strings (sometimes as numbers); anything else is no id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MalformedPayload("the webhook body is not JSON") from None


def messenger_messages(payload: Any) -> list[Incoming]:
    """Texts and tapped payloads of a Messenger ``page`` webhook; echoes, reads, deliveries, attachments skipped."""
    if not isinstance(payload, dict) or payload.get("object") != "page":
        raise MalformedPayload('a Messenger webhook body is a JSON object with "object": "page"')
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise MalformedPayload('a Messenger webhook body has an "entry" list')
    found: list[Incoming] = []
    for entry in entries:
        events = _get(entry, "messaging")
        for event in events if isinstance(events, list) else []:
            sender = _id(_get(event, "sender", "id"))
            if sender is None or _get(event, "message", "is_echo") is True:
                continue
            # A quick reply also carries its title as "text": the payload is what Rasa must see.
            text = (
                _text(_get(event, "message", "quick_reply", "payload"))
                or _text(_get(event, "postback", "payload"))
                or _text(_get(event, "message", "text"))
            )
            if text is not None:
                mid = _get(event, "message", "mid")
                found.append(Incoming(sender, text, mid if isinstance(mid, str) else None))
    return found


def zalo_event(body: bytes) -> ZaloEvent:
    """One Zalo OA webhook event; ``message`` is set for a usable ``user_send_text`` only."""
    payload = load_json(body)
    if not isinstance(payload, dict):
        raise MalformedPayload("a Zalo webhook body is a JSON object")
    event_name = payload.get("event_name")
    if not isinstance(event_name, str) or not event_name:
        raise MalformedPayload('a Zalo event has an "event_name" string')
    timestamp = payload.get("timestamp")
    if isinstance(timestamp, int) and not isinstance(timestamp, bool):
        timestamp = str(timestamp)
    if not isinstance(timestamp, str) or not (timestamp.isascii() and timestamp.isdigit()):
        raise MalformedPayload('a Zalo event has a "timestamp" of digits')
    app_id = _id(payload.get("app_id")) or ""
    message = None
    if event_name == ZALO_TEXT_EVENT:
        sender = _id(_get(payload, "sender", "id"))
        text = _text(_get(payload, "message", "text"))
        msg_id = _get(payload, "message", "msg_id")
        if sender is not None and text is not None:
            message = Incoming(sender, text, msg_id if isinstance(msg_id, str) else None)
    return ZaloEvent(event_name, app_id, timestamp, message)
