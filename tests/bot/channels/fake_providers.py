"""A local stand-in for the Zalo OA and Facebook Graph send APIs: records every call, answers like the real ones.

Only the providers are faked (they cannot be reached from a test machine); Rasa, the actions and the
catalog API are the real processes. Calls are recorded as ``Call`` and can be awaited with ``wait``.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ZALO_SEND_PATH = "/v3.0/oa/message/cs"
GRAPH_SEND_PATH = "/v21.0/me/messages"


@dataclass(frozen=True)
class Call:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def text(self) -> str:
        message = self.body.get("message", {})
        # Messenger's button template carries the text inside its payload.
        template = (message.get("attachment") or {}).get("payload") or {}
        return str(message.get("text") or template.get("text") or "")


class FakeProviders:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self.url = ""

    def record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def wait(self, matches: Callable[[list[Call]], bool], timeout_s: float = 60) -> list[Call]:
        """All calls so far, once ``matches(calls)`` holds; AssertionError with the calls after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not matches(list(self.calls)):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the fake provider API did not get the expected calls: {self.calls}")
                self._changed.wait(left)
            return list(self.calls)


# A Zalo reply quoting this message id is refused, as Zalo refuses one past its 48-hour window.
REFUSED_ZALO_MESSAGE_ID = "refused-mid"


def _recipient(body: dict[str, Any]) -> str | None:
    recipient = body.get("recipient") or {}
    if recipient.get("user_ref"):
        return f"user_ref:{recipient['user_ref']}"
    return recipient.get("user_id") or recipient.get("id")


def calls_to(calls: list[Call], recipient: str) -> list[Call]:
    return [c for c in calls if _recipient(c.body) == recipient]


def _handler(providers: FakeProviders) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            providers.record(
                Call(
                    url.path,
                    dict(urllib.parse.parse_qsl(url.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
            quoted = (body.get("recipient") or {}).get("message_id")
            if url.path == ZALO_SEND_PATH and quoted == REFUSED_ZALO_MESSAGE_ID:
                answer: dict[str, Any] = {"error": -230, "message": "fake refusal of the quoted message id"}
            elif url.path == ZALO_SEND_PATH:
                answer = {"error": 0, "message": "Success", "data": {"message_id": "fake-zalo-mid"}}
            elif url.path == GRAPH_SEND_PATH:
                answer = {"recipient_id": _recipient(body), "message_id": "fake-fb-mid"}
            else:
                self.send_error(404)
                return
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:  # keep pytest output clean
            pass

    return Handler


@contextmanager
def fake_providers() -> Iterator[FakeProviders]:
    providers = FakeProviders()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(providers))
    providers.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield providers
    finally:
        server.shutdown()
        server.server_close()
