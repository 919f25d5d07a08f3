"""Every response of the catalog API: security headers, and a per-address request limit.

A plain ASGI middleware (no per-request task or body copy as with ``BaseHTTPMiddleware``):

- headers: a Content-Security-Policy without inline scripts or styles (``script-src 'self'``), which pages
  may frame the API's pages (``frame-ancestors``: the API itself and ``CORS_ORIGINS``, the portals allowed
  to embed the widget), ``X-Content-Type-Options: nosniff`` and a referrer policy. A response that sets
  its own (the staff console's stricter ones) keeps them. The OpenAPI pages (``/docs``, ``/redoc``) load
  FastAPI's assets from its CDN and start them with one inline script: their policy allows that CDN and
  that script by its hash only.
- limit: ``API_RATE_LIMIT_PER_MINUTE`` requests (``API_RATE_LIMIT_BURST`` at once) per client address, 429 with a
  Vietnamese message and ``Retry-After``. ``API_RATE_LIMIT_EXEMPT`` addresses (default: loopback, where the
  action server and a local reverse proxy call from) are not counted; behind a proxy, uvicorn's forwarded
  headers give the citizen's address.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from api.rate_limit import TokenBuckets
from api.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
DOCS_CDN = "https://cdn.jsdelivr.net"
UNLIMITED_PATHS = frozenset({"/health"})
LIMITED_REPLY = "Bạn gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng chờ khoảng {seconds} giây rồi thử lại."
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_policy(settings: Settings) -> str:
    ancestors = " ".join(["'self'", *settings.frame_ancestor_list])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {_origin(settings.rasa_public_url)}; frame-ancestors {ancestors}; "
        "base-uri 'none'; form-action 'self'; object-src 'none'"
    )


def docs_policy(body: bytes) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body)
    )
    return (
        f"default-src 'self'; script-src 'self' {DOCS_CDN} {hashes}; style-src 'self' {DOCS_CDN}; "
        "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.policy = page_policy(settings)
        self.common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]
        self.buckets = TokenBuckets(settings.api_rate_limit_per_minute, settings.api_rate_limit_burst)
        self.exempt = frozenset(settings.api_rate_limit_exempt.replace(",", " ").split())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        client = (scope.get("client") or ("?", 0))[0]
        if path not in UNLIMITED_PATHS and client not in self.exempt:
            seconds = self.buckets.take(client)
            if seconds:
                await self._refuse(send, seconds)
                return
        if path in DOCS_PATHS:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._headers(message.get("headers") or [], self.policy.encode())
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, headers: list[tuple[bytes, bytes]], policy: bytes) -> list[tuple[bytes, bytes]]:
        present = {name.lower() for name, _ in headers}
        extra = [(name, value) for name, value in self.common if name not in present]
        if b"content-security-policy" not in present:
            extra.append((b"content-security-policy", policy))
        return [*headers, *extra]

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hold the page until its body is known: the policy names the hash of its inline script."""
        start: Message = {}
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                start["headers"] = self._headers(start.get("headers") or [], docs_policy(body).encode())
                await send(start)
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, collect)

    async def _refuse(self, send: Send, seconds: int) -> None:
        body = json.dumps({"detail": LIMITED_REPLY.format(seconds=seconds)}, ensure_ascii=False).encode()
        headers = [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"retry-after", str(seconds).encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send(
            {"type": "http.response.start", "status": 429, "headers": self._headers(headers, b"default-src 'none'")}
        )
        await send({"type": "http.response.body", "body": body})
