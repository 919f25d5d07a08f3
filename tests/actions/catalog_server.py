"""A catalog API that answers too slowly, for the timeout tests (every other action test uses the real app)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HIT = {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "score": 1.0}
CHOICE = {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "probability": 0.9, "namesakes": []}
DECISION = {"kind": "answer", "confidence": 0.9, "choices": [CHOICE], "names_procedure": True}


class SlowCatalog:
    """``with SlowCatalog(delay_s=3) as server: server.url``: every request waits ``delay_s``; a search then finds
    one procedure (so that an action goes on to fetch its record), anything else is not found."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> SlowCatalog:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        delay_s = self.delay_s

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                time.sleep(delay_s)
                found = self.path.startswith("/search")
                payload = {"results": [HIT], "decision": DECISION} if found else {"detail": "Không tìm thấy thủ tục"}
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
