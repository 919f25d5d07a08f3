"""The message guard: token bucket per sender, length limit, and how channels answer a refusal."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.config import ChannelConfigError
from bot.channels.guard import MessageGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_at_the_configured_rate() -> None:
    clock = Clock()
    guard = MessageGuard(max_chars=100, per_minute=6, burst=3, clock=clock)  # one token every 10 s
    assert [guard.check("a", "xin chào") for _ in range(3)] == [None, None, None]
    refused = guard.check("a", "xin chào")
    assert refused is not None and refused.reason == "rate_limited" and refused.first
    assert "10 giây" in refused.reply
    again = guard.check("a", "xin chào")
    assert again is not None and not again.first  # same streak: push channels stay quiet
    clock.now += 9.9
    assert guard.check("a", "xin chào") is not None
    clock.now += 0.2
    assert guard.check("a", "xin chào") is None
    assert guard.check("b", "xin chào") is None  # other senders have their own bucket


def test_a_long_idle_sender_gets_only_the_burst_back() -> None:
    clock = Clock()
    guard = MessageGuard(per_minute=60, burst=2, clock=clock)
    guard.check("a", "x")
    clock.now += 3600
    assert [guard.check("a", "x") is None for _ in range(3)] == [True, True, False]


def test_over_long_message_is_refused_whole_with_its_length() -> None:
    guard = MessageGuard(max_chars=1000)
    assert guard.check("a", "đ" * 1000) is None
    refused = guard.check("a", "đ" * 1001)
    assert refused is not None and refused.reason == "too_long"
    assert "1001 ký tự" in refused.reply and "1000 ký tự" in refused.reply


def test_over_long_messages_still_use_the_allowance() -> None:
    guard = MessageGuard(max_chars=10, per_minute=1, burst=2, clock=Clock())
    assert [r.reason for r in (guard.check("a", "x" * 50) for _ in range(3)) if r] == [
        "too_long",
        "too_long",
        "rate_limited",
    ]


def test_settings_from_environment() -> None:
    guard = MessageGuard.from_env({"MAX_MESSAGE_CHARS": "500", "RATE_LIMIT_PER_MINUTE": "30", "RATE_LIMIT_BURST": "2"})
    assert (guard.max_chars, guard.rate, guard.burst) == (500, 0.5, 2.0)
    with pytest.raises(ChannelConfigError, match="RATE_LIMIT_BURST must be a whole number"):
        MessageGuard.from_env({"RATE_LIMIT_BURST": "0"})
    with pytest.raises(ChannelConfigError, match="MAX_MESSAGE_CHARS"):
        MessageGuard.from_env({"MAX_MESSAGE_CHARS": "nhiều"})


def _run(guard: MessageGuard, texts: list[str], *, reply_every_time: bool) -> tuple[list[str], list[str]]:
    """(texts that reached Rasa, replies the sender got from the guard)."""
    reached: list[str] = []
    output = CollectingOutputChannel()

    async def rasa(message: UserMessage) -> None:
        reached.append(message.text or "")

    guarded = guard.wrap("zalo", rasa, reply_every_time=reply_every_time)

    async def send_all() -> None:
        for text in texts:
            await guarded(UserMessage(text, output, "user-1"))

    asyncio.run(send_all())
    return reached, [m["text"] for m in output.messages]


def test_wrap_keeps_refused_messages_from_rasa_and_answers_once_per_streak_on_push_channels() -> None:
    guard = MessageGuard(max_chars=20, per_minute=1, burst=2, clock=Clock())
    reached, replies = _run(guard, ["một", "hai", "ba", "bốn"], reply_every_time=False)
    assert reached == ["một", "hai"]
    assert len(replies) == 1 and "nhanh hơn mức" in replies[0]


def test_wrap_answers_every_refusal_on_request_channels() -> None:
    guard = MessageGuard(max_chars=20, per_minute=1, burst=2, clock=Clock())
    reached, replies = _run(guard, ["một", "x" * 21, "ba", "bốn"], reply_every_time=True)
    assert reached == ["một"]
    assert len(replies) == 3 and "vượt quá giới hạn 20 ký tự" in replies[0]
