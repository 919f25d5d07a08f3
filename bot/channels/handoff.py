"""The staff side of a hand-off, inside Rasa: take, say, hand back; and the widget's way to hear staff.

A conversation is handed off when the citizen accepts the offer of a person (actions/handoff.py pauses
it). From then on the tracker is the whole state, so every Rasa replica and the console agree:
- paused, no ``handoff_staff`` slot: waiting for a civil servant;
- paused, ``handoff_staff`` set: taken by that person;
- resumed: back with the bot.

Routes (blueprint ``/webhooks/handoff/``):
- ``POST take | say | end`` — the staff console only (Rasa's auth token, as its HTTP API): body
  ``{"sender": …, "staff": "<display name>", "text": …}``. Each appends its events to the tracker under
  the conversation's lock and sends the message through the citizen's own channel (Zalo, Messenger:
  their send APIs via ``get_output_channel()``); the REST widget has no push, it polls instead.
- ``POST poll`` — the portal widget: ``{"sender": …, "after": <timestamp>}`` → whether the conversation is
  still with staff and the hand-off messages since ``after``. The widget's sender id is a random UUID
  only its browser knows, the same capability the REST webhook itself relies on; a conversation of
  another channel is never returned (a Zalo or Messenger user id is no secret).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SlotSet,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.serving.http_guard import MAX_SENDER_CHARS
from common.handoff import STAFF_SLOT

logger = logging.getLogger(__name__)

MAX_STAFF_TEXT = 2000  # the longest single message Messenger takes; Zalo's is the same order
MAX_POLL_MESSAGES = 50
WIDGET_CHANNELS = ("rest", "socketio")
# Marks the messages this module added, so the widget's poll returns only them, never bot answers the
# REST webhook already returned.
HANDOFF_META = "handoff"


class HandoffRefused(ValueError):
    """A request the hand-off cannot carry out; ``status`` and the Vietnamese message go back as JSON."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def state_of(tracker: DialogueStateTracker) -> str:
    """ "bot", "waiting" or "taken"."""
    if not tracker.is_paused():
        return "bot"
    return "taken" if tracker.get_slot(STAFF_SLOT) else "waiting"


def handoff_messages(tracker: DialogueStateTracker, after: float) -> list[dict[str, Any]]:
    """The messages of the latest hand-off (since the last pause) sent after ``after``, oldest first."""
    found: list[dict[str, Any]] = []
    for event in tracker.events:
        if isinstance(event, ConversationPaused):
            found = []  # an earlier hand-off of this conversation: the widget has shown it already
        elif isinstance(event, BotUttered) and event.timestamp > after and (event.metadata or {}).get(HANDOFF_META):
            found.append({"id": event.timestamp, "text": event.text or "", "staff": event.metadata.get("staff")})
    return found[-MAX_POLL_MESSAGES:]


def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise HandoffRefused(400, "Nội dung yêu cầu không phải JSON hợp lệ.") from None
    if not isinstance(body, dict):
        raise HandoffRefused(400, "Nội dung phải là một đối tượng JSON.")
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise HandoffRefused(400, f"Thiếu «sender» hợp lệ (chuỗi 1–{MAX_SENDER_CHARS} ký tự).")
    return body


def _text(body: dict[str, Any], key: str, limit: int) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise HandoffRefused(400, f"Thiếu «{key}».")
    if len(value) > limit:
        raise HandoffRefused(413, f"«{key}» quá dài: tối đa {limit} ký tự.")
    return value.strip()


class HandoffChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "handoff"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("handoff_webhook", __name__)

        async def guarded(request: Request, staff_only: bool, handle: Any) -> HTTPResponse:
            guard = getattr(request.app.ctx, "tro_ly_http_guard", None)
            if staff_only and (guard is None or not guard.has_token(request)):
                return response.json({"error": "Cần mã truy cập của Rasa (token)."}, status=401)
            try:
                return response.json(await handle(request.app, _body(request)))
            except HandoffRefused as refused:
                return response.json({"error": str(refused)}, status=refused.status)

        def route(handle: Any, staff_only: bool) -> Callable[[Request], Awaitable[HTTPResponse]]:
            async def handler(request: Request) -> HTTPResponse:
                return await guarded(request, staff_only, handle)

            return handler

        for step, (handle, staff_only) in STEPS.items():
            hook.add_route(route(handle, staff_only), f"/{step}", methods=["POST"], name=step)
        return hook


async def _poll(app: Any, body: dict[str, Any]) -> dict[str, Any]:
    after = body.get("after") or 0
    if not isinstance(after, (int, float)):
        raise HandoffRefused(400, "«after» phải là một số (mốc thời gian của tin cuối đã nhận).")
    tracker = await app.ctx.agent.tracker_store.retrieve(body["sender"])
    # Only the widget's conversations: their sender id is a random UUID only that browser knows. A Zalo or
    # Messenger user id is no secret, and those citizens get staff replies through their app anyway.
    if tracker is None or tracker.get_latest_input_channel() not in WIDGET_CHANNELS:
        return {"state": "bot", "messages": []}
    return {"state": state_of(tracker), "messages": handoff_messages(tracker, float(after))}


async def _take(app: Any, body: dict[str, Any]) -> dict[str, Any]:
    staff = _text(body, "staff", 100)

    async def change(tracker: DialogueStateTracker) -> list[Event]:
        state = state_of(tracker)
        if state == "bot":
            raise HandoffRefused(409, "Cuộc trò chuyện không còn chờ cán bộ (đã trả lại cho trợ lý ảo).")
        if state == "taken" and tracker.get_slot(STAFF_SLOT) != staff:
            raise HandoffRefused(409, f"Cán bộ {tracker.get_slot(STAFF_SLOT)} đã nhận cuộc trò chuyện này.")
        return [SlotSet(STAFF_SLOT, staff)]

    return await _apply(app, body["sender"], change, "utter_handoff_taken", staff)


async def _say(app: Any, body: dict[str, Any]) -> dict[str, Any]:
    staff, text = _text(body, "staff", 100), _text(body, "text", MAX_STAFF_TEXT)

    async def change(tracker: DialogueStateTracker) -> list[Event]:
        if tracker.get_slot(STAFF_SLOT) != staff or not tracker.is_paused():
            raise HandoffRefused(409, "Hãy nhận cuộc trò chuyện trước khi trả lời.")
        return []

    return await _apply(app, body["sender"], change, None, staff, text)


async def _end(app: Any, body: dict[str, Any]) -> dict[str, Any]:
    staff = _text(body, "staff", 100)

    async def change(tracker: DialogueStateTracker) -> list[Event]:
        if not tracker.is_paused():
            raise HandoffRefused(409, "Cuộc trò chuyện đã ở với trợ lý ảo.")
        return [SlotSet(STAFF_SLOT, None), ConversationResumed()]

    closing = "utter_handoff_closed" if body.get("close") is True else "utter_handoff_back"
    return await _apply(app, body["sender"], change, closing, staff)


async def _apply(
    app: Any,
    sender: str,
    change: Callable[[DialogueStateTracker], Awaitable[list[Event]]],
    response_name: str | None,
    staff: str,
    text: str | None = None,
) -> dict[str, Any]:
    """Append ``change``'s events and one message (a domain response or the staff's text) under the lock."""
    agent = app.ctx.agent
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None:
            raise HandoffRefused(404, "Không có cuộc trò chuyện này.")
        events = await change(tracker)
        for event in events:
            tracker.update(event, agent.domain)
        output = _output_channel(app, tracker)
        if response_name is not None:
            generated = await agent.processor.nlg.generate(response_name, tracker, output_name(output), staff=staff)
            text = (generated or {}).get("text") or ""
        message = BotUttered(text, metadata={HANDOFF_META: True, "staff": staff, "utter_action": response_name})
        tracker.update(message, agent.domain)
        if not tracker.is_paused():
            # The bot listens again: its rules match a question only right after "action_listen", which the
            # paused conversation never ran (its messages were logged without a prediction).
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME), agent.domain)
        await agent.tracker_store.save(tracker)
    delivered = await _deliver(output, sender, text or "")
    return {"state": state_of(tracker), "id": message.timestamp, "delivered": delivered}


def output_name(output: OutputChannel | None) -> str:
    return output.name() if output is not None else "rest"


def _output_channel(app: Any, tracker: DialogueStateTracker) -> OutputChannel | None:
    latest = tracker.get_latest_input_channel()
    for channel in getattr(app.ctx, "input_channels", None) or []:
        if channel.name() == latest:
            return channel.get_output_channel()
    return None


async def _deliver(output: OutputChannel | None, sender: str, text: str) -> bool:
    """Push the message where the channel has a send API; the REST widget fetches it by polling."""
    if output is None or not text:
        return False
    try:
        await output.send_text_message(sender, text)
    except Exception:  # a provider outage must not lose the message: it is in the tracker already
        logger.exception("hand-off message to a %s conversation not delivered", output.name())
        return False
    return True


# Each route: its work, and whether only the staff console (Rasa's token) may call it.
STEPS: dict[str, tuple[Callable[[Any, dict[str, Any]], Awaitable[dict[str, Any]]], bool]] = {
    "poll": (_poll, False),
    "take": (_take, True),
    "say": (_say, True),
    "end": (_end, True),
}
