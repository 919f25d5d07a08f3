"""What the Zalo and Messenger output channels share: every kind of bot message becomes text plus buttons.

Rasa calls a different ``send_*`` for text, buttons, quick replies and images; both providers take the
same shape (text parts within a size limit, buttons as quick replies on the last part), so a subclass
only says how one part is written and posted.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels.replies import LinkButton, QuickReply, Shaped, shape
from bot.channels.send_api import JsonSender

logger = logging.getLogger(__name__)


class ShapedOutput(OutputChannel):
    text_limit: int
    title_limit: int
    max_replies: int
    links_share_replies = False

    def __init__(self, url: str, token: str, sender: JsonSender) -> None:
        self.url = url
        self.token = token
        self.sender = sender

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text, None)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, image, None)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        # Custom payloads are for the portal widget; raw JSON means nothing to a citizen in a messenger app.
        logger.debug("%s: custom payload not sent to %s", self.name(), recipient_id)

    async def _send(self, recipient_id: str, text: str, buttons: list[dict[str, Any]] | None) -> None:
        shaped = shape(
            text,
            buttons,
            text_limit=self.text_limit,
            title_limit=self.title_limit,
            max_replies=self.max_replies,
            links_share_replies=self.links_share_replies,
        )
        await self.post_shaped(recipient_id, shaped)

    async def post_shaped(self, recipient_id: str, shaped: Shaped) -> None:
        for i, part in enumerate(shaped.parts):
            last = i == len(shaped.parts) - 1
            message = self.message(part, shaped.quick_replies if last else [], shaped.links if last else [])
            await self.post_part(recipient_id, message)

    def message(self, text: str, quick_replies: list[QuickReply], links: list[LinkButton]) -> dict[str, Any]:
        """The provider's message object for one text part and its buttons (none on all but the last)."""
        raise NotImplementedError

    async def post_part(self, recipient_id: str, message: dict[str, Any]) -> None:
        raise NotImplementedError
