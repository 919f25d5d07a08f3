"""Rasa's REST channel behind the message guard; keeps the name "rest", so ``POST /webhooks/rest/webhook``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.channels.guard import MessageGuard


class GuardedRestInput(RestInput):
    def __init__(self) -> None:
        self.guard = MessageGuard.from_env()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Each HTTP request waits for its answer, so every refusal is answered (as a normal bot reply).
        return super().blueprint(self.guard.wrap(self.name(), on_new_message, reply_every_time=True))
