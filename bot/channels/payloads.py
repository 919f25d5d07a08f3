"""Parse the webhook payloads of Messenger and Zalo OA into the events the bot answers.

Both parsers take whatever arrived (anything JSON can hold) and either return plain values or raise
``MalformedPayload``; they never raise anything else (fuzzed in tests/bot/channels/test_payloads.py).
What each event becomes is listed in bot/channels/events.py and docs/channels.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.channels.events import MESSENGER_FIELDS, ZALO_MEDIA

ZALO_TEXT_EVENT = "user_send_text"
ZALO_FOLLOW_EVENT = "follow"
# Webhook bodies are a few kilobytes; anything far larger is refused before it is parsed.
MAX_BODY_BYTES = 256 * 1024
# What a "start" event (Zalo follow, Messenger "Get Started") sends to Rasa: the greet intent.
GREET_PAYLOAD = "/greet"
# The page's "Get Started" button payload (docs/channels.md sets it), and the intent payload itself.
GET_STARTED_PAYLOADS = frozenset({"GET_STARTED", GREET_PAYLOAD})
# Messenger chat-plugin guests and checkbox-plugin users have a user_ref instead of a page-scoped id;
# the sender id keeps which it is, so replies (and a staff member's, later) use the right recipient field.
USER_REF_PREFIX = "user_ref:"

Kind = Literal["text", "media", "start"]


class MalformedPayload(ValueError):
    """The body is not the provider's webhook format; the message says which part is wrong."""


@dataclass(frozen=True)
class Incoming:
    """One thing a citizen did that the bot answers.

    ``text``: typed text or a tapped payload ("text"); the content kind, e.g. ``image`` or ``sticker``
    ("media"); ``/greet`` for following the OA or tapping "Get Started" ("start").
    """

    sender_id: str
    text: str
    message_id: str | None = None
    kind: Kind = "text"
    event: str = ""  # the platform's name for it: user_send_image, messaging_postbacks, …


@dataclass(frozen=True)
class Skipped:
    """An event that gets no answer, for the log: its webhook event name and sender, and why."""

    event: str
    sender: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class MessengerBatch:
    messages: list[Incoming] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class ZaloEvent:
    event_name: str
    app_id: str
    timestamp: str  # as signed: the event's own field, digits
    message: Incoming | None  # a text, a media message or a follow from a usable sender; None otherwise
    sender: str | None = None

    @property
    def key(self) -> str | None:
        """What makes a retry of this event recognisable: the message id, else the event, sender and time."""
        if self.message is None:
            return None
        return self.message.message_id or f"{self.event_name}:{self.message.sender_id}:{self.timestamp}"


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


def messenger_batch(payload: Any) -> MessengerBatch:
    """The messages of a Messenger ``page`` webhook to answer, in order, and the events that get none."""
    if not isinstance(payload, dict) or payload.get("object") != "page":
        raise MalformedPayload('a Messenger webhook body is a JSON object with "object": "page"')
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise MalformedPayload('a Messenger webhook body has an "entry" list')
    batch = MessengerBatch()
    for entry in entries:
        for key in ("standby", "changes"):
            if _get(entry, key) is not None:
                batch.skipped.append(Skipped(key))
        events = _get(entry, "messaging")
        for event in events if isinstance(events, list) else []:
            parsed = _messenger_event(event)
            if isinstance(parsed, Incoming):
                batch.messages.append(parsed)
            else:
                batch.skipped.append(parsed)
    return batch


def _messenger_sender(event: Any) -> str | None:
    psid = _id(_get(event, "sender", "id"))
    if psid is not None:
        return psid
    user_ref = _id(_get(event, "sender", "user_ref"))
    return USER_REF_PREFIX + user_ref if user_ref is not None else None


def _messenger_event(event: Any) -> Incoming | Skipped:
    sender = _messenger_sender(event)
    message = _get(event, "message")
    if isinstance(message, dict):
        if message.get("is_echo") is True:
            return Skipped("message_echoes", sender)
        mid = _mid(message.get("mid"))
        # A quick reply also carries its title as "text": the payload is what Rasa must see.
        text = _text(_get(message, "quick_reply", "payload")) or _text(message.get("text"))
        kind = _attachment_kind(message.get("attachments"))
        if sender is None:
            return Skipped("messages", None, "no sender id")
        if text is not None:
            return Incoming(sender, text, mid, "text", "messages")
        if kind is not None:
            return Incoming(sender, kind, mid, "media", "messages")
        return Skipped("messages", sender, "neither text nor attachment")
    postback = _get(event, "postback")
    if isinstance(postback, dict):
        payload = _text(postback.get("payload"))
        if sender is None or payload is None:
            return Skipped("messaging_postbacks", sender, "no sender or no payload")
        mid = _mid(postback.get("mid"))
        if payload.strip() in GET_STARTED_PAYLOADS:
            return Incoming(sender, GREET_PAYLOAD, mid, "start", "messaging_postbacks")
        return Incoming(sender, payload, mid, "text", "messaging_postbacks")
    for key, name in MESSENGER_FIELDS.items():
        if isinstance(event, dict) and key in event:
            return Skipped(name, sender)
    return Skipped("unknown", sender)


def _mid(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _attachment_kind(attachments: Any) -> str | None:
    """``sticker`` for a sticker (an image with a sticker_id, the 👍 button too), else the first type."""
    if not isinstance(attachments, list) or not attachments:
        return None
    first = attachments[0]
    if _get(first, "payload", "sticker_id") is not None:
        return "sticker"
    kind = _get(first, "type")
    return kind if isinstance(kind, str) and kind.isidentifier() and len(kind) <= 32 else "attachment"


def zalo_event(body: bytes) -> ZaloEvent:
    """One Zalo OA webhook event; ``message`` is set for a text, a media message or a follow to answer."""
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
    sender = _id(_get(payload, "sender", "id"))
    msg_id = _mid(_get(payload, "message", "msg_id"))
    message = None
    if event_name == ZALO_FOLLOW_EVENT:
        sender = _id(_get(payload, "follower", "id"))
        message = Incoming(sender, GREET_PAYLOAD, None, "start", event_name) if sender is not None else None
    elif sender is not None and event_name == ZALO_TEXT_EVENT:
        text = _text(_get(payload, "message", "text"))
        message = Incoming(sender, text, msg_id, "text", event_name) if text is not None else None
    elif sender is not None and event_name in ZALO_MEDIA:
        message = Incoming(sender, ZALO_MEDIA[event_name], msg_id, "media", event_name)
    return ZaloEvent(event_name, app_id, timestamp, message, sender)
