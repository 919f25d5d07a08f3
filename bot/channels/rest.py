"""Rasa's REST channel behind the message guard; keeps the name "rest", so ``POST /webhooks/rest/webhook``.

Each message of the JSON reply carries an ``"id"``: the id of the bot event it comes from
(common/feedback.py, made from the event's timestamp). The widget sends it back with a rating, so the
console puts the rating on the answer rated, whichever answer and however late.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.channels.guard import MessageGuard
from common.feedback import message_id


class IdentifyingCollector(CollectingOutputChannel):
    """Collects into the request's own list (the one RestInput answers with), each message with its id.

    Rasa's processor hands every ``BotUttered`` to ``send_response`` as ``event.message()``, which
    holds the event's timestamp; one event may become several messages (text split at blank lines),
    which then share the id.
    """

    def __init__(self, messages: list[dict[str, Any]]) -> None:
        super().__init__()
        self.messages = messages

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        timestamp = message.get("timestamp")
        first = len(self.messages)
        await super().send_response(recipient_id, message)
        if isinstance(timestamp, int | float) and not isinstance(timestamp, bool):
            for sent in self.messages[first:]:
                sent["id"] = message_id(timestamp)


class GuardedRestInput(RestInput):
    def __init__(self) -> None:
        self.guard = MessageGuard.from_env()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def identified(message: UserMessage) -> None:
            # Only the plain JSON reply; the streamed one (?stream=true) keeps Rasa's own queue.
            if type(message.output_channel) is CollectingOutputChannel:
                message.output_channel = IdentifyingCollector(message.output_channel.messages)
            await on_new_message(message)

        # Each HTTP request waits for its answer, so every refusal is answered (as a normal bot reply).
        return super().blueprint(self.guard.wrap(self.name(), identified, reply_every_time=True))
