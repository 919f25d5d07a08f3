"""What the signed webhook channels (Zalo, Messenger) share: their sender and background tasks, the
replay window, and the first checks of a call before its signature is read."""

from __future__ import annotations

import logging

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.background import Background
from bot.channels.payloads import MAX_BODY_BYTES
from bot.channels.replay import SeenMessages, max_age_s
from bot.channels.send_api import JsonSender

logger = logging.getLogger(__name__)


class SignedWebhook:
    """One channel's outgoing HTTP client, background replies and replay memory, named after it."""

    def start_webhook(self, channel: str) -> None:
        self.sender = JsonSender(channel)
        self.background = Background(channel)
        self.max_age_s = max_age_s()
        self.seen = SeenMessages(channel, self.max_age_s)


def channel_off(channel: str, label: str, prefix: str) -> HTTPResponse:
    logger.warning("%s: webhook call refused, the channel is not configured", channel)
    return response.json({"error": f"{label} channel not configured ({prefix}_* variables unset)"}, status=503)


def signed_body(request: Request, header: str) -> tuple[bytes, str] | HTTPResponse:
    """The call's body and signature header, or its refusal: no signature (401), too large (413)."""
    signature = request.headers.get(header)
    if not signature:
        return response.json({"error": f"missing {header}"}, status=401)
    body = request.body or b""
    if len(body) > MAX_BODY_BYTES:
        return response.json({"error": "body too large"}, status=413)
    return body, signature
