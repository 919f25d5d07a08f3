"""The action server answers only Rasa: loopback by default, and a shared secret on every route but /health.

rasa-sdk 3.6 listens on 0.0.0.0 and runs any action for anyone who posts a hand-made tracker to
``/webhook`` (and lists them on ``/actions``). rasa-sdk imports this package inside ``create_app``, after
the sanic app exists and before it binds, so ``install()`` can:

- make loopback the default address (``SANIC_HOST``, which rasa-sdk reads after importing the actions;
  set it to ``0.0.0.0`` on purpose when Rasa runs on another machine);
- require ``Authorization: Bearer <ACTION_SERVER_TOKEN>``, the header Rasa sends from the ``headers`` of
  ``action_endpoint`` in its endpoints file. With no token configured, every call is refused with a
  message saying what to set: an open action server is never the fallback.
"""

from __future__ import annotations

import hmac
import logging
import os
from typing import Any

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
OPEN_PATHS = frozenset({"/health"})


def authorization_header(token: str) -> dict[str, str]:
    """What Rasa's ``action_endpoint`` must send (launchers write it as ``${ACTION_SERVER_TOKEN}``)."""
    return {"Authorization": f"Bearer {token}"}


def authorized(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def install() -> None:
    """Inside a running ``rasa run actions`` only: any other importer (tests, Rasa) is left alone."""
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    try:
        from sanic import Sanic
    except ImportError:  # the catalog API's environment imports actions' helpers without sanic
        return
    app = Sanic._app_registry.get("rasa_sdk")
    if app is None or getattr(app.ctx, "tro_ly_action_auth", False):
        return
    app.ctx.tro_ly_action_auth = True
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        logger.error("%s is not set: the action server refuses every call until it is", TOKEN_VARIABLE)

    async def require_token(request: Any) -> Any:
        if request.path in OPEN_PATHS:
            return None
        if authorized(request.headers.get("authorization", ""), token):
            return None
        from sanic import response

        if not token:
            message = f"action server has no {TOKEN_VARIABLE}: set the same value for Rasa and the action server"
            return response.json({"error": message}, status=503)
        logger.warning("%s %s refused: missing or wrong action server token", request.method, request.path)
        return response.json({"error": "missing or wrong Authorization: Bearer <ACTION_SERVER_TOKEN>"}, status=401)

    app.request_middleware.appendleft(require_token)
