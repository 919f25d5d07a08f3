"""Rasa's socket.io channel behind the message guard; same name, path and credentials keys as the built-in.

One fix on top: Rasa 3.6 calls ``sio.enter_room(...)`` without ``await``, but in the python-socketio that
Rasa installs (5.x) ``AsyncServer.enter_room`` is a coroutine. The call never runs ("coroutine … was never
awaited"), the client never joins the room of its session, and the replies, sent to that room, reach
nobody. ``session_request`` is registered again here, awaiting the call when it is a coroutine.

Session ids are chosen by the client, like the REST channel's sender: the same limits apply (1–128
printable characters, the staff prefix refused).
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.channels.guard import MessageGuard
from bot.serving.http_guard import MAX_SENDER_CHARS, STAFF_SENDER_PREFIX

logger = logging.getLogger(__name__)


def session_id_allowed(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_SENDER_CHARS
        and value.isprintable()
        and not value.startswith(STAFF_SENDER_PREFIX)
    )


class GuardedSocketIOInput(SocketIOInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = MessageGuard.from_env()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        guarded = self.guard.wrap(self.name(), on_new_message, reply_every_time=True)

        async def checked(message: UserMessage) -> None:
            if not session_id_allowed(message.sender_id):
                logger.warning("socket.io message with an unusable session id refused")
                return
            await guarded(message)

        blueprint = super().blueprint(checked)
        sio = self.sio

        async def session_request(sid: str, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not session_id_allowed(session_id):
                session_id = uuid.uuid4().hex  # a fresh conversation rather than a refused or shared one
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace or "/")
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace or "/")

        sio.on("session_request", namespace=self.namespace)(session_request)
        return blueprint
