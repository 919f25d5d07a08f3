"""Hooks into the Rasa server process: the HTTP guard on its sanic app, a required auth token, NLU off the loop.

Called when ``bot.channels`` is imported. Rasa does that while it reads credentials.yml (every launcher's
credentials name ``bot.channels`` classes), before it builds its sanic app: ``install()`` wraps
``rasa.core.run.configure_app``. Should the package be imported once the app exists, the app is taken
from sanic's registry instead.

Why each hook:
- Rasa's HTTP API (``--enable-api``) without ``--auth-token`` hands any conversation to anyone who asks
  and stores forged bot messages: ``configure_app`` refuses to build such a server.
- the SQLite tracker store and anything else the server writes hold conversations: files are created
  owner-only (umask 077), whichever launcher started the server;
- ``MessageProcessor.parse_message`` runs NLU synchronously on the event loop, so one slow parse holds
  every other conversation; it runs in one worker thread here (one, so TensorFlow and the tokenizer are
  never entered twice at once), and the loop keeps serving.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

APP_NAMES = ("rasa_server", "rasa_core_no_api")
_NLU_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")


class MissingAuthToken(RuntimeError):
    """Rasa's HTTP API was enabled without a token; the message says how to start it."""


def install() -> None:
    """Patch the Rasa server once, inside a Rasa process only (see bot/channels/__init__.py)."""
    if "rasa.core" not in sys.modules:
        return
    _install_nlu_thread()
    import rasa.core.run
    from sanic import Sanic

    from bot.serving import http_guard

    apps = [Sanic._app_registry[name] for name in APP_NAMES if name in Sanic._app_registry]
    if apps:  # imported while the model loads: the app exists already, the tracker store not yet
        os.umask(0o077)
        for app in apps:
            http_guard.install(app, _token_from_argv())
        return
    if getattr(rasa.core.run.configure_app, "_guarded", False):
        return
    rasa.core.run.configure_app = _guarded(rasa.core.run.configure_app)


def _token_from_argv() -> str | None:
    for i, arg in enumerate(sys.argv):
        if arg.startswith("--auth-token="):
            return arg.split("=", 1)[1]
        if arg == "--auth-token" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
    return None


def _guarded(configure_app: Any) -> Any:
    from bot.serving import http_guard

    @functools.wraps(configure_app)
    def configure_guarded_app(*args: Any, **kwargs: Any) -> Any:
        names = ("input_channels", "cors", "auth_token", "enable_api", "response_timeout", "jwt_secret")
        given = {**dict(zip(names, args, strict=False)), **kwargs}
        token, enable_api = given.get("auth_token"), given.get("enable_api", True)
        if enable_api and not token and not given.get("jwt_secret"):
            raise MissingAuthToken(
                "Rasa's HTTP API is enabled without --auth-token: anyone could read and rewrite conversations. "
                "Start Rasa with --auth-token=<random> (make run and deploy/ generate one) or without --enable-api."
            )
        os.umask(0o077)  # before the tracker store creates its database
        app = configure_app(*args, **kwargs)
        http_guard.install(app, token)
        return app

    configure_guarded_app._guarded = True  # type: ignore[attr-defined]
    return configure_guarded_app


def _install_nlu_thread() -> None:
    from rasa.core.processor import MessageProcessor

    if getattr(MessageProcessor._parse_message_with_graph, "_threaded", False):
        return
    parse_on_loop = MessageProcessor._parse_message_with_graph

    # parse_message calls this synchronously; the patched version returns the same dict, computed in the
    # NLU thread while the calling coroutine waits for it without holding the loop.
    original_parse_message = MessageProcessor.parse_message

    async def parse_message(
        self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True
    ) -> dict[str, Any]:
        if self.http_interpreter:
            return await original_parse_message(self, message, tracker, only_output_properties)
        from rasa.shared.core.trackers import DialogueStateTracker

        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        loop = asyncio.get_running_loop()
        parsed = await loop.run_in_executor(_NLU_THREAD, parse_on_loop, self, message, tracker, only_output_properties)
        # The rest of Rasa's parse_message (retrieval intents, checks), with the result already computed.
        self._update_full_retrieval_intent(parsed)
        self._check_for_unseen_features(parsed)
        return parsed

    parse_on_loop._threaded = True
    MessageProcessor._parse_message_with_graph = parse_on_loop
    MessageProcessor.parse_message = parse_message
