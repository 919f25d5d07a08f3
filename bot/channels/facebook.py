"""Facebook Messenger: Rasa's connector with a SHA-256 signature check, ``/webhooks/facebook/webhook``.

Environment (all three or none; none turns the channel off and its webhook answers 503):
``FACEBOOK_VERIFY_TOKEN`` (chosen by you, typed into the app's webhook settings),
``FACEBOOK_APP_SECRET`` (signs the webhooks), ``FACEBOOK_PAGE_ACCESS_TOKEN`` (sends the replies);
``FACEBOOK_GRAPH_URL`` is the Graph API base (default ``https://graph.facebook.com/v21.0``).

Differences from Rasa 3.6's ``FacebookInput``, which this subclasses:
- the body must carry ``X-Hub-Signature-256`` (the SHA-1 ``X-Hub-Signature`` alone is refused), compared in
  constant time; missing → 401, wrong → 403, instead of a 200 "not validated";
- a wrong ``hub.verify_token`` gets 403, not a 200 "failure" page;
- an entry whose ``time`` is outside ``WEBHOOK_MAX_AGE_MINUTES`` gets 403, and message ids are remembered
  across restarts (bot/channels/replay.py): a captured request cannot be replayed;
- the webhook answers 200 at once and the messages are processed afterwards (every message of the batch,
  not only the first), replies going out through aiohttp instead of the blocking ``fbmessenger`` client;
- buttons and the 👍/👎 feedback pair become quick replies; long answers are split at 2000 characters;
- "Get Started" (payload ``GET_STARTED``) and a first message greet with topic quick replies; an image,
  sticker, voice message… gets a short reply (bot/channels/dispatch.py); a guest of the chat plugin or a
  checkbox-plugin user (``sender.user_ref``) is answered through ``recipient.user_ref``; every other
  event of Meta's webhook reference is logged (bot/channels/events.py).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import config
from bot.channels.dispatch import Dispatcher
from bot.channels.events import log_skipped
from bot.channels.guard import MessageGuard
from bot.channels.payloads import (
    USER_REF_PREFIX,
    Incoming,
    MalformedPayload,
    load_json,
    messenger_batch,
)
from bot.channels.replay import all_fresh, entry_times
from bot.channels.replies import LinkButton, QuickReply, shorten
from bot.channels.send_api import JsonSender
from bot.channels.shaped_output import ShapedOutput
from bot.channels.signatures import messenger_signature_valid
from bot.channels.webhook import SignedWebhook, channel_off, signed_body

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v21.0"
TEXT_LIMIT = 2000
QUICK_REPLY_TITLE_LIMIT = 20
MAX_QUICK_REPLIES = 13
SIGNATURE_HEADER = "X-Hub-Signature-256"


def facebook_env(environ: dict[str, str] | None = None) -> config.ChannelEnv:
    return config.load(
        "Facebook Messenger",
        required=("FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN"),
        secrets=("FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN"),
        urls={"FACEBOOK_GRAPH_URL": DEFAULT_GRAPH_URL},
        environ=environ,
    )


# Messenger's button template: at most 640 characters of text, 3 buttons, titles of 20 characters.
BUTTON_TEMPLATE_TEXT_LIMIT = 640
MAX_TEMPLATE_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20


def _link_button(link: LinkButton) -> dict[str, str]:
    title = shorten(link["title"].replace("Cổng Dịch vụ công", "Cổng DVC"), BUTTON_TITLE_LIMIT)
    if link["url"].startswith("tel:"):
        return {"type": "phone_number", "title": title, "payload": link["url"].removeprefix("tel:")}
    return {"type": "web_url", "title": title, "url": link["url"]}


class MessengerOutput(ShapedOutput):
    """Send API calls (``POST {graph}/me/messages``) with text parts and quick replies."""

    text_limit = TEXT_LIMIT
    title_limit = QUICK_REPLY_TITLE_LIMIT
    max_replies = MAX_QUICK_REPLIES

    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(self, env: config.ChannelEnv, sender: JsonSender) -> None:
        super().__init__(env["FACEBOOK_GRAPH_URL"] + "/me/messages", env["FACEBOOK_PAGE_ACCESS_TOKEN"], sender)

    def message(self, text: str, quick_replies: list[QuickReply], links: list[LinkButton]) -> dict[str, Any]:
        message: dict[str, Any] = {"text": text}
        if links and len(text) <= BUTTON_TEMPLATE_TEXT_LIMIT:
            # A button template: the portal page opens, the hotline dials, from a labelled button.
            buttons = [_link_button(link) for link in links[:MAX_TEMPLATE_BUTTONS]]
            template = {"template_type": "button", "text": text, "buttons": buttons}
            message = {"attachment": {"type": "template", "payload": template}}
        elif links:
            # Too long for a button template: the links stay, labelled, under the text.
            extra = "\n".join(f"{link['title']}: {link['url'].removeprefix('tel:')}" for link in links)
            if len(text) + 1 + len(extra) <= TEXT_LIMIT:
                message["text"] = f"{text}\n{extra}"
        if quick_replies:
            message["quick_replies"] = [
                {"content_type": "text", "title": r["title"], "payload": r["payload"]} for r in quick_replies
            ]
        return message

    async def post_part(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.sender.post(
            self.url,
            {"recipient": recipient(recipient_id), "messaging_type": "RESPONSE", "message": message},
            params={"access_token": self.token},
        )


def recipient(sender_id: str) -> dict[str, str]:
    """A page-scoped id, or the user_ref of a chat-plugin guest / checkbox-plugin user (payloads.py)."""
    if sender_id.startswith(USER_REF_PREFIX):
        return {"user_ref": sender_id.removeprefix(USER_REF_PREFIX)}
    return {"id": sender_id}


class FacebookChannel(SignedWebhook, FacebookInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(facebook_env(), MessageGuard.from_env())

    def __init__(self, env: config.ChannelEnv, guard: MessageGuard) -> None:
        super().__init__(
            env.values["FACEBOOK_VERIFY_TOKEN"],
            env.values["FACEBOOK_APP_SECRET"],
            env.values["FACEBOOK_PAGE_ACCESS_TOKEN"],
        )
        self.env = env
        self.guard = guard
        self.start_webhook("facebook")
        if not env.configured:
            logger.info(
                "Facebook Messenger channel off: set FACEBOOK_VERIFY_TOKEN, FACEBOOK_APP_SECRET and "
                "FACEBOOK_PAGE_ACCESS_TOKEN to turn it on"
            )

    @staticmethod
    def validate_hub_signature(app_secret: str, request_payload: bytes, hub_signature_header: str) -> bool:
        """``sha256=<hex>`` only, compared in constant time (the base class accepts any hash, with ``==``)."""
        return bool(app_secret) and messenger_signature_valid(app_secret, request_payload, hub_signature_header)

    def get_output_channel(self) -> OutputChannel:
        """For sends outside a webhook request (Rasa's ``output_channel=facebook``, staff replies)."""
        return MessengerOutput(self.env, self.sender)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        facebook = Blueprint("facebook_webhook", __name__)
        dispatcher = Dispatcher(self.name(), self.guard, on_new_message)

        def off() -> HTTPResponse:
            return channel_off("facebook", "Messenger", "FACEBOOK")

        @facebook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.env.configured})

        @facebook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.env.configured:
                return off()
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.fb_verify.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("facebook: webhook verification with a wrong hub.verify_token refused")
            return response.text("wrong hub.verify_token", status=403)

        @facebook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.env.configured:
                return off()
            signed = signed_body(request, SIGNATURE_HEADER)
            if isinstance(signed, HTTPResponse):
                return signed
            body, signature = signed
            if not self.validate_hub_signature(self.fb_secret, body, signature):
                logger.warning("facebook: webhook with a wrong signature refused")
                return response.json({"error": f"wrong {SIGNATURE_HEADER}"}, status=403)
            try:
                payload = load_json(body)
                batch = messenger_batch(payload)
            except MalformedPayload as error:
                return response.json({"error": str(error)}, status=400)
            if not all_fresh(entry_times(payload), self.max_age_s):
                # The entry's time is inside the signed body: an old one is a captured request replayed.
                logger.warning("facebook: webhook outside the %d-minute window refused", self.max_age_s // 60)
                return response.json({"error": "entry time outside the accepted window"}, status=403)
            for skipped in batch.skipped:
                log_skipped(logger, "facebook", skipped.event, skipped.sender, skipped.note)
            agent = getattr(request.app.ctx, "agent", None)
            self.seen.bind(agent)
            fresh = [m for m in batch.messages if self.seen.first_time(m.message_id)]
            if fresh:
                self.background.run(self._process(fresh, dispatcher, agent))
            return response.text("EVENT_RECEIVED")

        @facebook.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.sender.close()

        return facebook

    async def _process(self, messages: list[Incoming], dispatcher: Dispatcher, agent: Any) -> None:
        # One batch in order: two messages of one sender must be answered in the order they were typed.
        for incoming in messages:
            output = MessengerOutput(self.env, self.sender)
            try:
                await dispatcher.dispatch(incoming, output, agent)
            except Exception:  # one failing message must not drop the rest of the batch
                logger.exception("facebook: processing a message from %s failed", incoming.sender_id)
