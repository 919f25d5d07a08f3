"""Zalo Official Account channel: ``POST /webhooks/zalo/webhook``, replies through the OA send-message API.

Environment (all three or none; none turns the channel off and its webhook answers 503):
``ZALO_APP_ID``, ``ZALO_OA_SECRET_KEY`` (signs the webhooks), ``ZALO_ACCESS_TOKEN`` (OA access token for
sending); ``ZALO_API_URL`` is the API base (default the public ``https://openapi.zalo.me``).

A webhook is checked (``X-ZEvent-Signature``: missing → 401, wrong → 403; a ``timestamp`` outside
``WEBHOOK_MAX_AGE_MINUTES`` → 403; a message id already seen, also before a restart → ignored,
bot/channels/replay.py), acknowledged at once and
processed afterwards, because Zalo wants its 200 within 2 s. A text reaches Rasa (a click on a
quick-reply button, ``oa.query.hide``, arrives as a ``user_send_text`` carrying the payload); a follow
greets; an image, sticker, voice message… gets a short reply (bot/channels/dispatch.py); every other
event is logged (bot/channels/events.py).

Replies carry the user's ``message_id`` beside the ``user_id`` ("reply to a user message"): Zalo bills a
message without it as proactive, not as one of the free replies within 48 hours (docs/channels.md). A send
outside any request (a staff reply) quotes the user's latest message while it is within that window.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import config
from bot.channels.dispatch import Dispatcher
from bot.channels.events import log_skipped
from bot.channels.guard import MessageGuard
from bot.channels.payloads import MalformedPayload, ZaloEvent, zalo_event
from bot.channels.recent import RecentMessages
from bot.channels.replay import fresh
from bot.channels.replies import LinkButton, QuickReply
from bot.channels.send_api import JsonSender
from bot.channels.shaped_output import ShapedOutput
from bot.channels.signatures import zalo_signature_valid
from bot.channels.webhook import SignedWebhook, channel_off, signed_body

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://openapi.zalo.me"
SEND_PATH = "/v3.0/oa/message/cs"
TEXT_LIMIT = 2000  # characters of one OA text message
BUTTON_TITLE_LIMIT = 100
MAX_BUTTONS = 5
SIGNATURE_HEADER = "X-ZEvent-Signature"


def zalo_env(environ: dict[str, str] | None = None) -> config.ChannelEnv:
    return config.load(
        "Zalo",
        required=("ZALO_APP_ID", "ZALO_OA_SECRET_KEY", "ZALO_ACCESS_TOKEN"),
        secrets=("ZALO_OA_SECRET_KEY", "ZALO_ACCESS_TOKEN"),
        urls={"ZALO_API_URL": DEFAULT_API_URL},
        environ=environ,
    )


def _link_button(link: LinkButton) -> dict[str, Any]:
    if link["url"].startswith("tel:"):
        return {"title": link["title"], "type": "oa.open.phone", "payload": {"phone_code": link["url"][4:]}}
    return {"title": link["title"], "type": "oa.open.url", "payload": {"url": link["url"]}}


def no_quote(_: str) -> str | None:
    return None


class ZaloOutput(ShapedOutput):
    """Sends each bot message as OA text messages (≤ 2000 characters each), buttons as ``oa.query.hide``.

    ``quote(user_id)`` gives the message id a send replies to (``None``: the plain ``user_id`` form).
    """

    text_limit = TEXT_LIMIT
    title_limit = BUTTON_TITLE_LIMIT
    max_replies = MAX_BUTTONS
    links_share_replies = True  # link buttons and quick replies are one list of at most MAX_BUTTONS

    @classmethod
    def name(cls) -> str:
        return "zalo"

    def __init__(
        self, env: config.ChannelEnv, sender: JsonSender, quote: Callable[[str], str | None] = no_quote
    ) -> None:
        super().__init__(env["ZALO_API_URL"] + SEND_PATH, env["ZALO_ACCESS_TOKEN"], sender)
        self.quote = quote

    def message(self, text: str, quick_replies: list[QuickReply], links: list[LinkButton]) -> dict[str, Any]:
        message: dict[str, Any] = {"text": text}
        # Links first (the portal page, the hotline), then the quick replies, within Zalo's button count.
        buttons = [_link_button(link) for link in links]
        buttons += [{"title": r["title"], "payload": r["payload"], "type": "oa.query.hide"} for r in quick_replies]
        if buttons:
            message["attachment"] = {"type": "template", "payload": {"buttons": buttons[:MAX_BUTTONS]}}
        return message

    async def post_part(self, recipient_id: str, message: dict[str, Any]) -> None:
        message_id = self.quote(recipient_id)
        if message_id:
            answer = await self._post({"user_id": recipient_id, "message_id": message_id}, message)
            if not _failed(answer):
                return
            # Past the window or the reply count Zalo refuses the quote; the answer still has to arrive.
            logger.warning("zalo: reply to %s quoting its message refused (%s), sent unquoted", recipient_id, answer)
        answer = await self._post({"user_id": recipient_id}, message)
        if _failed(answer):
            logger.warning("zalo: sending to %s failed: %s", recipient_id, answer)

    async def _post(self, recipient: dict[str, str], message: dict[str, Any]) -> dict[str, Any] | None:
        payload = {"recipient": recipient, "message": message}
        return await self.sender.post(self.url, payload, headers={"access_token": self.token})


def _failed(answer: dict[str, Any] | None) -> bool:
    """An OA API error (``error`` not 0); ``None`` (no answer) was logged by the sender and is not retried."""
    return answer is not None and answer.get("error") not in (0, None)


class ZaloInput(SignedWebhook, InputChannel):
    @classmethod
    def name(cls) -> str:
        return "zalo"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(zalo_env(), MessageGuard.from_env())

    def __init__(self, env: config.ChannelEnv, guard: MessageGuard) -> None:
        self.env = env
        self.guard = guard
        self.start_webhook("zalo")
        self.recent = RecentMessages()
        if not env.configured:
            logger.info("Zalo channel off: set ZALO_APP_ID, ZALO_OA_SECRET_KEY and ZALO_ACCESS_TOKEN to turn it on")

    def get_output_channel(self) -> OutputChannel | None:
        """For sends outside a webhook request (Rasa's ``output_channel=zalo``, staff replies)."""
        return ZaloOutput(self.env, self.sender, self.recent.latest) if self.env.configured else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        zalo = Blueprint("zalo_webhook", __name__)
        dispatcher = Dispatcher(self.name(), self.guard, on_new_message)

        @zalo.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.env.configured})

        @zalo.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.env.configured:
                return channel_off("zalo", "Zalo", "ZALO")
            signed = signed_body(request, SIGNATURE_HEADER)
            if isinstance(signed, HTTPResponse):
                return signed
            body, signature = signed
            try:
                event = zalo_event(body)
            except MalformedPayload as error:
                return response.json({"error": str(error)}, status=400)
            secret, app_id = self.env["ZALO_OA_SECRET_KEY"], self.env["ZALO_APP_ID"]
            if not zalo_signature_valid(app_id, body, event.timestamp, secret, signature):
                logger.warning("zalo: webhook with a wrong signature refused")
                return response.json({"error": f"wrong {SIGNATURE_HEADER}"}, status=403)
            if not fresh(int(event.timestamp), self.max_age_s):
                # Signed, but not now: a captured request replayed (or a clock far off).
                logger.warning("zalo: webhook outside the %d-minute window refused", self.max_age_s // 60)
                return response.json({"error": "timestamp outside the accepted window"}, status=403)
            return self._accept(event, dispatcher, getattr(request.app.ctx, "agent", None))

        @zalo.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.sender.close()

        return zalo

    def _accept(self, event: ZaloEvent, dispatcher: Dispatcher, agent: Any) -> HTTPResponse:
        incoming = event.message
        if incoming is None:
            log_skipped(logger, "zalo", event.event_name, event.sender, None)
            return response.json({"status": "ignored"})
        self.seen.bind(agent)
        if not self.seen.first_time(event.key):
            return response.json({"status": "duplicate"})
        self.recent.note(incoming.sender_id, incoming.message_id)
        mid, user = incoming.message_id, incoming.sender_id
        # Replies to this request quote its own message; get_output_channel quotes the latest one instead.
        output = ZaloOutput(self.env, self.sender, lambda recipient: mid if recipient == user else None)
        self.background.run(dispatcher.dispatch(incoming, output, agent))
        return response.json({"status": "accepted"})
