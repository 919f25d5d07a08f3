"""The message guard every public channel applies before Rasa sees a message.

Two checks, in this order, so a flood of over-long messages still drains the sender's allowance:

- rate: a token bucket per (channel, sender) — ``RATE_LIMIT_BURST`` messages at once, refilled at
  ``RATE_LIMIT_PER_MINUTE``;
- length: a message over ``MAX_MESSAGE_CHARS`` is refused whole, not cut: a cut question may ask
  something else, and the citizen would get a confident answer to it.

A refused message never reaches NLU or the tracker; the sender gets a short Vietnamese reply instead.
The buckets live in this process's memory: behind a load balancer each Rasa node counts on its own,
so a sender may get up to N times the allowance with N nodes.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import UserMessage

from bot.channels.config import positive_int

logger = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_CHARS = 1000
DEFAULT_RATE_LIMIT_PER_MINUTE = 20
DEFAULT_RATE_LIMIT_BURST = 8
# Buckets of senders idle long enough to be full again carry no information; drop them past this size.
MAX_TRACKED_SENDERS = 10_000

TOO_LONG_REPLY = (
    "Tin nhắn của bạn dài {length} ký tự, vượt quá giới hạn {limit} ký tự nên chưa được xử lý. "
    "Bạn vui lòng gửi câu hỏi ngắn gọn hơn: tên thủ tục và điều bạn cần biết (hồ sơ, lệ phí, thời hạn, nơi nộp…)."
)
RATE_LIMITED_REPLY = (
    "Bạn đang gửi tin nhắn nhanh hơn mức hệ thống cho phép. Bạn vui lòng chờ khoảng {seconds} giây rồi gửi lại nhé."
)


@dataclass(frozen=True)
class Refusal:
    reason: str  # "too_long" | "rate_limited"
    reply: str
    first: bool  # the first refusal of a streak: channels that pay per reply answer only this one
    retry_after_s: int = 0  # rate limited: seconds until the next message is accepted


class _Bucket:
    __slots__ = ("tokens", "updated", "warned")

    def __init__(self, tokens: float, now: float) -> None:
        self.tokens = tokens
        self.updated = now
        self.warned = False


class MessageGuard:
    """Length limit and per-sender token bucket; ``clock`` is injectable so tests need not sleep."""

    def __init__(
        self,
        max_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE,
        burst: int = DEFAULT_RATE_LIMIT_BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_chars = max_chars
        self.burst = float(burst)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MessageGuard:
        return cls(
            max_chars=positive_int("MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS, environ),
            per_minute=positive_int("RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT_PER_MINUTE, environ),
            burst=positive_int("RATE_LIMIT_BURST", DEFAULT_RATE_LIMIT_BURST, environ),
        )

    def check(self, sender: str, text: str | None) -> Refusal | None:
        """``None`` when the message may go to Rasa; otherwise why not and what to answer."""
        now = self.clock()
        bucket = self._bucket(sender, now)
        if bucket.tokens < 1.0:
            first = not bucket.warned
            bucket.warned = True
            seconds = max(1, math.ceil((1.0 - bucket.tokens) / self.rate))
            return Refusal("rate_limited", RATE_LIMITED_REPLY.format(seconds=seconds), first, seconds)
        bucket.tokens -= 1.0
        bucket.warned = False
        length = len(text or "")
        if length > self.max_chars:
            return Refusal("too_long", TOO_LONG_REPLY.format(length=length, limit=self.max_chars), True)
        return None

    def _bucket(self, sender: str, now: float) -> _Bucket:
        bucket = self._buckets.get(sender)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED_SENDERS:
                self._forget_idle(now)
            bucket = self._buckets[sender] = _Bucket(self.burst, now)
            return bucket
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        return bucket

    def _forget_idle(self, now: float) -> None:
        refill_s = self.burst / self.rate
        for sender in [s for s, b in self._buckets.items() if now - b.updated >= refill_s]:
            del self._buckets[sender]

    async def admit(self, channel: str, message: UserMessage, *, reply_every_time: bool) -> bool:
        """Whether ``message`` may go on; a refusal is logged and answered on the message's own output channel.

        ``reply_every_time``: a request/response channel (REST) must answer each request; a push channel
        (Zalo, Messenger) answers only the first refusal of a streak so a flood does not become one.
        """
        refusal = self.check(f"{channel}:{message.sender_id}", message.text)
        if refusal is None:
            return True
        logger.warning(
            "%s message from %s refused (%s, %d characters)",
            channel,
            message.sender_id,
            refusal.reason,
            len(message.text or ""),
        )
        if reply_every_time or refusal.first:
            await message.output_channel.send_text_message(message.sender_id, refusal.reply)
        return False

    def wrap(
        self, channel: str, on_new_message: Callable[[UserMessage], Awaitable[Any]], *, reply_every_time: bool
    ) -> Callable[[UserMessage], Coroutine[Any, Any, None]]:
        """``on_new_message`` behind the guard (``admit``)."""

        async def guarded(message: UserMessage) -> None:
            if await self.admit(channel, message, reply_every_time=reply_every_time):
                await on_new_message(message)

        return guarded
