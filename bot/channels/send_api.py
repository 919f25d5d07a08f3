"""Post JSON to a provider's send API over one shared aiohttp session per channel.

Failures are logged, not raised: the citizen's message is already in the tracker, and a failed reply
must not break the conversation loop or the webhook that triggered it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

SEND_TIMEOUT_S = 10


class JsonSender:
    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Created on first use, inside the server's event loop (not at import or channel construction).
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_S))
        return self._session

    async def post(
        self,
        url: str,
        payload: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """The provider's JSON answer, or ``None`` after logging why the call failed."""
        try:
            async with self._client().post(url, json=payload, headers=headers, params=params) as response:
                body = await response.json(content_type=None)
                if response.status >= 400:
                    logger.warning("%s send API answered %d: %s", self.channel, response.status, body)
                    return None
                return body if isinstance(body, dict) else {}
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            logger.warning("%s send API call failed: %r", self.channel, error)
            return None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
