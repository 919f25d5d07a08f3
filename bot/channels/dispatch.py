"""What a chat-app channel (Zalo, Messenger) does with one citizen event, after the webhook has answered 200.

- A "start" event (Zalo follow, Messenger "Get Started") goes to Rasa as ``/greet``: the greeting with
  topic buttons (``utter_greet``, its ``channel: zalo`` / ``channel: facebook`` variant in domain.yml).
- A citizen's first contact (no conversation in the tracker store) is greeted before the message is
  handled, unless the message is itself a greeting; the greeting is run as an action, so the tracker holds
  no user message the citizen did not send.
- A text goes to Rasa as usual.
- An image, sticker, voice message, video, file or location gets ``utter_media_unsupported`` (what the
  assistant can read), run as an action: no NLU guess on an empty text. While staff have the conversation
  (Rasa paused it) the bot stays silent and only logs it.

Every event passes the message guard first (rate and length), as typed text always did.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.guard import MessageGuard
from bot.channels.payloads import GREET_PAYLOAD, Incoming

logger = logging.getLogger(__name__)

GREET_ACTION = "utter_greet"
MEDIA_ACTION = "utter_media_unsupported"
GREET_INTENT = GREET_PAYLOAD.removeprefix("/")
# Senders this process has seen a conversation for; past this size the oldest are looked up again.
MAX_KNOWN_SENDERS = 50_000


def metadata(incoming: Incoming) -> dict[str, Any]:
    """Kept with the user event in the tracker: the platform's message id (staff replies may quote it)."""
    data: dict[str, Any] = {"event": incoming.event}
    if incoming.message_id:
        data["provider_message_id"] = incoming.message_id
    return data


class Dispatcher:
    def __init__(
        self, channel: str, guard: MessageGuard, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        self.channel = channel
        self.guard = guard
        self.on_new_message = on_new_message
        self.known: OrderedDict[str, None] = OrderedDict()

    async def dispatch(self, incoming: Incoming, output: OutputChannel, agent: Any) -> None:
        message = UserMessage(
            "" if incoming.kind == "media" else incoming.text,
            output,
            incoming.sender_id,
            input_channel=self.channel,
            metadata=metadata(incoming),
        )
        if not await self.guard.admit(self.channel, message, reply_every_time=False):
            return
        sender = incoming.sender_id
        if agent is None:  # only before Rasa has loaded its model; it answers texts with an error itself
            logger.warning("%s: no agent loaded yet for %s from %s", self.channel, incoming.event, sender)
        elif incoming.kind == "start":
            self._remember(sender)
        elif await self._first_contact(agent, sender) and not await self._greeting(agent, incoming):
            await self._utter(agent, sender, GREET_ACTION, output)
        if incoming.kind != "media":
            await self.on_new_message(message)
        elif agent is not None and await self._paused(agent, sender):
            # Staff have the conversation: a bot reply would talk over them.
            logger.info("%s: %s from %s during a hand-off, not answered", self.channel, incoming.event, sender)
        elif agent is not None:
            await self._utter(agent, sender, MEDIA_ACTION, output)

    def _remember(self, sender: str) -> None:
        self.known[sender] = None
        self.known.move_to_end(sender)
        while len(self.known) > MAX_KNOWN_SENDERS:
            self.known.popitem(last=False)

    async def _first_contact(self, agent: Any, sender: str) -> bool:
        """No bot or user message for ``sender`` yet; remembered at once, so a burst of first messages greets once."""
        if sender in self.known:
            return False
        self._remember(sender)
        try:
            tracker = await agent.tracker_store.retrieve(sender)
        except Exception:  # the store is down: Rasa will fail on the message too; no greeting is the lesser harm
            logger.exception("%s: looking up the conversation of %s failed", self.channel, sender)
            return False
        return tracker is None or not any(isinstance(e, (UserUttered, BotUttered)) for e in tracker.events)

    async def _greeting(self, agent: Any, incoming: Incoming) -> bool:
        """Whether the message greets by itself (then its own answer is the greeting)."""
        if incoming.kind != "text":
            return False
        if incoming.text.startswith("/"):
            return incoming.text.startswith(GREET_PAYLOAD)
        try:
            parsed = await agent.parse_message(incoming.text)
        except Exception:
            logger.exception("%s: parsing a first message failed", self.channel)
            return False
        return bool((parsed.get("intent") or {}).get("name") == GREET_INTENT)

    async def _paused(self, agent: Any, sender: str) -> bool:
        try:
            tracker = await agent.tracker_store.retrieve(sender)
        except Exception:
            logger.exception("%s: looking up the conversation of %s failed", self.channel, sender)
            return False
        return tracker is not None and tracker.is_paused()

    async def _utter(self, agent: Any, sender: str, action: str, output: OutputChannel) -> None:
        """Run one response as an action in the conversation, under its lock as Rasa's own handling is.

        Then ``action_listen``, as after any bot turn: without it the policies see the next user message
        arrive mid-turn and predict nonsense (the clarify reply ten times over).
        """
        try:
            async with agent.lock_store.lock(sender):
                await agent.execute_action(sender, action, output, None, None)
                await agent.execute_action(sender, ACTION_LISTEN_NAME, output, None, None)
        except Exception:  # a failed greeting or media reply must not stop the message itself
            logger.exception("%s: %s for %s failed", self.channel, action, sender)
