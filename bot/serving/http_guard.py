"""Checks in front of every route of the Rasa server, before Rasa's own handlers (and NLU) see a request.

Rasa 3.6's HTTP API and REST channel trust their input: a 100 kB ``POST /model/parse`` runs NLU on it
(seconds of CPU and gigabytes of memory), a JSON list or an empty body to the REST webhook is a 500, a
missing sender becomes one shared "default" conversation. ``install(app, token)`` adds one sanic request
middleware that, per request:

- refuses a body over ``MAX_REQUEST_BYTES`` (413) and a text over ``MAX_MESSAGE_CHARS`` on the API routes
  that take text (``/model/parse``, ``/conversations/…``), with the channels' Vietnamese wording;
- limits each client address (``IP_RATE_LIMIT_PER_MINUTE``, ``IP_RATE_LIMIT_BURST``) on the REST channel,
  socket.io and the API, 429 with ``Retry-After``: the per-sender limit alone is useless where the client
  picks the sender id. Signed provider webhooks (Zalo, Messenger) come from the providers' few addresses
  and keep their per-sender limit only; a request carrying Rasa's auth token (the staff console) is exempt,
  and so are ``IP_RATE_LIMIT_EXEMPT`` addresses (default loopback: a reverse proxy on this machine, whose
  clients' own addresses Rasa reads from ``X-Forwarded-For`` once ``SANIC_PROXIES_COUNT`` is set; without
  it every citizen would share the proxy's one allowance);
- checks the REST webhook's body: JSON object, ``sender`` 1–128 characters, ``message`` a string; the
  ``staff-`` sender prefix (the console's conversations) only with Rasa's auth token, so a citizen cannot
  hide from staff by picking it.

The model-management routes (``/model/train``, ``/model/test/…``, ``PUT /model``) take large bodies and are
behind the auth token: they are left to Rasa.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from collections.abc import Mapping
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.config import positive_int
from bot.channels.guard import DEFAULT_MAX_MESSAGE_CHARS, TOO_LONG_REPLY, MessageGuard

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
STAFF_SENDER_PREFIX = "staff-"  # api/staff/transcripts.py filters these conversations as staff traffic
DEFAULT_IP_RATE_LIMIT_PER_MINUTE = 120
DEFAULT_IP_RATE_LIMIT_BURST = 40
DEFAULT_EXEMPT = "127.0.0.1 ::1"
REST_WEBHOOK = "/webhooks/rest/webhook"
# Paths whose requests count against the client address's allowance.
LIMITED_PREFIXES = ("/webhooks/rest/", "/webhooks/handoff/", "/socket.io", "/model/", "/conversations/")
# Token-protected model management: large bodies by design.
UNBOUNDED_PREFIXES = ("/model/train", "/model/test/")

IP_LIMITED_REPLY = (
    "Địa chỉ mạng của bạn đang gửi quá nhiều yêu cầu. Bạn vui lòng chờ khoảng {seconds} giây rồi thử lại nhé."
)


def max_request_bytes(max_chars: int) -> int:
    # A message of max_chars characters, 4 UTF-8 bytes each at worst, JSON escapes and metadata around it.
    return max(16 * 1024, 8 * max_chars)


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=dict(headers or {}))


class HttpGuard:
    def __init__(self, token: str | None, environ: Mapping[str, str] | None = None) -> None:
        self.token = token or ""
        self.max_chars = positive_int("MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS, environ)
        self.max_bytes = max_request_bytes(self.max_chars)
        per_minute = positive_int("IP_RATE_LIMIT_PER_MINUTE", DEFAULT_IP_RATE_LIMIT_PER_MINUTE, environ)
        burst = positive_int("IP_RATE_LIMIT_BURST", DEFAULT_IP_RATE_LIMIT_BURST, environ)
        # The message guard's token buckets, keyed by address; its length check is not used here.
        self.addresses = MessageGuard(max_chars=1 << 30, per_minute=per_minute, burst=burst)
        exempt = (environ if environ is not None else os.environ).get("IP_RATE_LIMIT_EXEMPT", DEFAULT_EXEMPT)
        self.exempt = frozenset(exempt.replace(",", " ").split())

    def has_token(self, request: Request) -> bool:
        given = request.args.get("token") or ""
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            given = given or bearer.strip()
        return bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())

    async def __call__(self, request: Request) -> HTTPResponse | None:
        path = request.path
        if not path.startswith(LIMITED_PREFIXES):
            return None
        trusted = self.has_token(request)
        client = request.remote_addr or request.ip or "?"
        if not trusted and client not in self.exempt:
            refusal = self.addresses.check(client, None)
            if refusal is not None:
                seconds = refusal.retry_after_s
                logger.warning("%s %s refused: client address over its rate limit", request.method, path)
                return _error(429, IP_LIMITED_REPLY.format(seconds=seconds), {"Retry-After": str(seconds)})
        if request.method != "POST" or path.startswith(UNBOUNDED_PREFIXES) or path.startswith("/socket.io"):
            return None
        body = request.body or b""
        if len(body) > self.max_bytes:
            limit = f"{self.max_bytes:,}".replace(",", ".")  # Vietnamese groups thousands with dots
            return _error(413, f"Nội dung yêu cầu quá lớn: tối đa {limit} byte.")
        if path == REST_WEBHOOK:
            return self._check_rest(request, body, trusted)
        if path == "/model/parse" or (path.startswith("/conversations/") and path.endswith("/messages")):
            return self._check_text(body)
        return None

    def _json(self, request: Request, body: bytes) -> Any:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise _Refused(415, "Yêu cầu phải là JSON, với tiêu đề «Content-Type: application/json».")
        if not body.strip():
            raise _Refused(400, "Yêu cầu không có nội dung: gửi một đối tượng JSON.")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise _Refused(400, "Nội dung yêu cầu không phải JSON hợp lệ.") from None

    def _check_rest(self, request: Request, body: bytes, trusted: bool) -> HTTPResponse | None:
        try:
            payload = self._json(request, body)
        except _Refused as refused:
            return _error(refused.status, refused.message)
        if not isinstance(payload, dict):
            return _error(400, 'Nội dung phải là một đối tượng JSON: {"sender": "…", "message": "…"}.')
        sender, message = payload.get("sender"), payload.get("message")
        if not isinstance(sender, str) or not sender.strip():
            return _error(400, "Thiếu «sender»: mã cuộc trò chuyện (chuỗi từ 1 đến 128 ký tự).")
        if len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
            return _error(400, f"«sender» phải là chuỗi in được, tối đa {MAX_SENDER_CHARS} ký tự.")
        if not isinstance(message, str):
            return _error(400, "Thiếu «message»: nội dung tin nhắn (chuỗi).")
        if sender.startswith(STAFF_SENDER_PREFIX) and not trusted:
            return _error(403, f"Mã cuộc trò chuyện bắt đầu bằng «{STAFF_SENDER_PREFIX}» dành cho cán bộ.")
        return None  # an over-long message is answered by the channel's own guard, as a bot reply

    def _check_text(self, body: bytes) -> HTTPResponse | None:
        try:
            payload = json.loads(body) if body.strip() else None
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _error(400, "Nội dung yêu cầu không phải JSON hợp lệ.")
        if not isinstance(payload, dict):
            return _error(400, 'Nội dung phải là một đối tượng JSON, ví dụ {"text": "…"}.')
        text = payload.get("text")
        if not isinstance(text, str):  # Rasa answers a missing "text" with a 500 (found by schemathesis)
            return _error(400, "Thiếu «text»: nội dung cần phân tích (chuỗi).")
        if len(text) > self.max_chars:
            return _error(413, TOO_LONG_REPLY.format(length=len(text), limit=self.max_chars))
        return None


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def install(app: Sanic, token: str | None) -> None:
    """Add the guard to ``app`` once (first in line: nothing runs before it)."""
    if getattr(app.ctx, "tro_ly_http_guard", None) is not None:
        return
    guard = HttpGuard(token)
    app.ctx.tro_ly_http_guard = guard
    app.request_middleware.appendleft(guard)
    logger.info("HTTP guard installed: %d characters a message, %d bytes a request", guard.max_chars, guard.max_bytes)
