"""A small async client for the Rasa server the console tests: NLU parse and the REST channel."""

from __future__ import annotations

from types import TracebackType
from typing import Any, TypedDict

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa did not answer usefully; the message (Vietnamese, shown to staff) says what to check."""


class HandoffRefused(RasaUnavailable):
    """Rasa refused a hand-off step (taken by someone else, already back with the bot); message in Vietnamese."""


class HandoffResult(TypedDict):
    state: str  # "bot", "waiting" or "taken"
    id: float
    delivered: bool


class Intent(TypedDict):
    name: str
    confidence: float


class Entity(TypedDict, total=False):
    entity: str
    value: Any
    start: int
    end: int
    confidence_entity: float
    extractor: str


class ParseResult(TypedDict, total=False):
    text: str
    intent: Intent
    intent_ranking: list[Intent]
    entities: list[Entity]
    text_tokens: list[list[int]]


class Button(TypedDict, total=False):
    title: str
    payload: str


class BotMessage(TypedDict, total=False):
    recipient_id: str
    text: str
    buttons: list[Button]
    image: str
    custom: Any


class RasaClient:
    """One HTTP connection pool for a page or a batch: ``async with RasaClient(...) as rasa``."""

    def __init__(self, base_url: str, token: str, timeout_s: float) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=httpx.Timeout(timeout_s, connect=5.0))

    async def __aenter__(self) -> RasaClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._http.aclose()

    async def parse(self, text: str) -> ParseResult:
        """Rasa's NLU on ``text`` (``POST /model/parse``, behind the server's auth token)."""
        payload = await self._post("/model/parse", {"text": text}, params={"token": self._token})
        if not isinstance(payload, dict) or "intent" not in payload:
            raise RasaUnavailable(f"Rasa tại {self.base_url} trả về kết quả phân tích không đúng định dạng.")
        return payload  # type: ignore[return-value]

    async def say(self, sender: str, text: str) -> list[BotMessage]:
        """Send ``text`` as ``sender`` on the REST channel; the bot's messages, exactly as a channel gets them.

        The token marks the conversation as the console's on the server side: Rasa refuses the ``staff-``
        sender prefix without it (bot/serving/http_guard.py), so a citizen cannot pass for staff.
        """
        payload = await self._post(
            "/webhooks/rest/webhook", {"sender": sender, "message": text}, params={"token": self._token}
        )
        if not isinstance(payload, list):
            raise RasaUnavailable(f"Kênh REST của Rasa tại {self.base_url} trả về dữ liệu không đúng định dạng.")
        return [m for m in payload if isinstance(m, dict)]  # type: ignore[misc]

    async def handoff(
        self, step: str, sender: str, staff: str, text: str | None = None, *, close: bool = False
    ) -> HandoffResult:
        """``take``, ``say`` or ``end`` a hand-off in Rasa (bot/channels/handoff.py), as ``staff``."""
        body: dict[str, Any] = {"sender": sender, "staff": staff, "close": close}
        if text is not None:
            body["text"] = text
        payload = await self._post(f"/webhooks/handoff/{step}", body, params={"token": self._token}, refusals=True)
        if not isinstance(payload, dict) or "state" not in payload:
            raise RasaUnavailable(f"Rasa tại {self.base_url} trả về dữ liệu chuyển cán bộ không đúng định dạng.")
        return payload  # type: ignore[return-value]

    async def _post(
        self, path: str, body: dict[str, Any], params: dict[str, str] | None = None, *, refusals: bool = False
    ) -> Any:
        try:
            response = await self._http.post(path, json=body, params=params)
        except httpx.TimeoutException as exc:
            raise RasaUnavailable(f"Rasa tại {self.base_url} không trả lời kịp ({type(exc).__name__}).") from exc
        except httpx.HTTPError as exc:
            raise RasaUnavailable(
                f"Không kết nối được máy chủ Rasa tại {self.base_url}: kiểm tra Rasa đã chạy và biến RASA_URL."
            ) from exc
        if response.status_code in (401, 403):
            raise RasaUnavailable(
                f"Rasa tại {self.base_url} từ chối truy cập: RASA_AUTH_TOKEN phải trùng với --auth-token của Rasa."
            )
        if response.status_code == 404:
            raise RasaUnavailable(
                f"Rasa tại {self.base_url} không có {path}: "
                "chạy Rasa với --enable-api và kênh rest trong credentials.yml."
            )
        if refusals and response.status_code in (400, 409, 413):
            try:
                reason = str(response.json().get("error") or "")
            except (ValueError, AttributeError):
                reason = ""
            raise HandoffRefused(reason or f"Rasa từ chối yêu cầu ({response.status_code}).")
        if response.status_code >= 400:
            raise RasaUnavailable(f"Rasa tại {self.base_url} báo lỗi {response.status_code} cho {path}.")
        try:
            return response.json()
        except ValueError as exc:
            raise RasaUnavailable(f"Rasa tại {self.base_url} trả về dữ liệu không phải JSON cho {path}.") from exc
