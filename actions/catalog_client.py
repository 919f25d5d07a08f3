"""Typed asynchronous HTTP client for the catalog API (FastAPI, see api/)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, TypedDict, cast
from urllib.parse import quote

import aiohttp

from actions.settings import Settings

logger = logging.getLogger(__name__)


class SearchHit(TypedDict, total=False):
    code: str
    name: str
    score: float
    dense_score: float
    matched: str
    variant_of: str | None
    probability: float | None


class Choice(TypedDict):
    code: str
    name: str
    probability: float
    namesakes: list[str]


class Decision(TypedDict):
    kind: str  # answer | choose | none
    confidence: float
    choices: list[Choice]
    names_procedure: bool
    alternatives: list[Choice]  # beside an answer the search is not sure enough of to give alone


class SearchResult(TypedDict):
    results: list[SearchHit]
    decision: Decision


class ProcessingTime(TypedDict, total=False):
    value: float | None
    unit: str | None
    text: str


class Fee(TypedDict, total=False):
    amount_vnd: int | None
    description: str


class Channel(TypedDict, total=False):
    method: str  # online | postal | direct
    times: list[ProcessingTime]
    fees: list[Fee]
    note: str


class Document(TypedDict, total=False):
    name: str
    originals: int | None
    copies: int | None
    form: str | None


class DocumentGroup(TypedDict, total=False):
    case: str | None
    documents: list[Document]


class LegalDocument(TypedDict, total=False):
    number: str | None
    title: str


class OnlineLevel(TypedDict, total=False):
    level: str  # toan_trinh | mot_phan | none | unknown
    source: str | None
    original: str | None


class Procedure(TypedDict, total=False):
    code: str
    name: str
    field: str | None
    levels: list[str]
    promulgating_agency: str | None
    competent_agency: str | None
    executing_agency: str | None
    subjects: list[str]
    channels: list[Channel]
    documents: list[DocumentGroup]
    steps: list[str]
    conditions: str | None
    results: list[str]
    legal_basis: list[LegalDocument]
    online_level: OnlineLevel
    portal_url: str | None


class Stats(TypedDict, total=False):
    total: int
    with_documents: int
    with_fees: int
    by_online_level: dict[str, int]
    by_agency: dict[str, int]
    by_field: dict[str, int]


class CatalogError(Exception):
    """Base class of catalog client errors."""


class CatalogUnavailable(CatalogError):
    """The catalog API could not be reached, timed out, failed (5xx) or answered nonsense."""


class ProcedureNotFound(CatalogError):
    """``GET /services/{code}`` answered 404."""


def _choices(value: Any) -> list[Any]:
    return [c for c in value or [] if isinstance(c, dict) and c.get("code") and c.get("name")]


class CatalogClient:
    """One aiohttp session per use: ``async with CatalogClient(settings) as catalog: ...``."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> CatalogClient:
        timeout = aiohttp.ClientTimeout(total=self._settings.request_timeout_s)
        self._session = aiohttp.ClientSession(timeout=timeout)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def search(self, query: str, k: int = 5) -> SearchResult:
        """The hits and the search service's decision (answer / choose / none) for the whole question."""
        payload = await self._get("/search", {"q": query, "k": str(k)})
        results = payload.get("results") if isinstance(payload, dict) else None
        decision = payload.get("decision") if isinstance(payload, dict) else None
        if not isinstance(results, list) or not isinstance(decision, dict):
            raise CatalogUnavailable("search: no 'results' list or 'decision' in the answer")
        choices = _choices(decision.get("choices"))
        return {
            "results": [
                cast(SearchHit, hit) for hit in results if isinstance(hit, dict) and hit.get("code") and hit.get("name")
            ],
            "decision": {
                "kind": str(decision.get("kind") or "none"),
                "confidence": float(decision.get("confidence") or 0.0),
                "choices": choices,
                "names_procedure": bool(decision.get("names_procedure", True)),
                "alternatives": _choices(decision.get("alternatives")),
            },
        }

    async def procedure(self, code: str) -> Procedure:
        payload = await self._get(f"/services/{quote(code, safe='')}", {})
        if not isinstance(payload, dict) or not payload.get("code"):
            raise CatalogUnavailable(f"services/{code}: not a procedure record")
        return payload  # type: ignore[return-value]

    async def stats(
        self, agency: str | None = None, online_level: str | None = None, field: str | None = None
    ) -> Stats:
        params = {k: v for k, v in (("agency", agency), ("online_level", online_level), ("field", field)) if v}
        payload = await self._get("/stats", params)
        if not isinstance(payload, dict) or not isinstance(payload.get("total"), int):
            raise CatalogUnavailable("stats: no integer 'total' in the answer")
        return payload  # type: ignore[return-value]

    async def _get(self, path: str, params: dict[str, str]) -> Any:
        if self._session is None:
            raise RuntimeError("CatalogClient must be used as an async context manager")
        url = self._settings.catalog_url + path
        try:
            async with self._session.get(url, params=params) as response:
                if response.status == 404:
                    raise ProcedureNotFound(path)
                if response.status >= 400:
                    raise CatalogUnavailable(f"GET {path}: HTTP {response.status}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise CatalogUnavailable(f"GET {path}: {type(exc).__name__}: {exc}") from exc
