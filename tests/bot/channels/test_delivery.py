"""Sends to the local fake Zalo OA and Graph APIs, without Rasa: replies quoting the user's message id, and
sends outside any webhook request through ``get_output_channel()`` (how a staff reply is delivered)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from rasa.core.channels.channel import OutputChannel

from bot.channels.facebook import FacebookChannel, facebook_env
from bot.channels.guard import MessageGuard
from bot.channels.recent import REPLY_WINDOW_S, RecentMessages
from bot.channels.send_api import JsonSender
from bot.channels.zalo import ZaloInput, ZaloOutput, zalo_env
from tests.bot.channels.conftest import channel_env
from tests.bot.channels.fake_providers import (
    GRAPH_SEND_PATH,
    REFUSED_ZALO_MESSAGE_ID,
    ZALO_SEND_PATH,
    FakeProviders,
    fake_providers,
)

STAFF_TEXT = "Chào bạn, tôi là cán bộ Bộ phận Một cửa. Bạn cần hỗ trợ thủ tục nào?"


@pytest.fixture()
def providers() -> Iterator[FakeProviders]:
    with fake_providers() as fake:
        yield fake


def _send_text(output: OutputChannel | None, sender: JsonSender, recipient: str, text: str) -> None:
    """One send in a loop of its own, as a caller outside any webhook request makes it."""
    assert output is not None

    async def go() -> None:
        try:
            await output.send_text_message(recipient, text)
        finally:
            await sender.close()

    asyncio.run(go())


def test_a_zalo_reply_carries_the_users_message_id(providers: FakeProviders) -> None:
    sender = JsonSender("zalo")
    output = ZaloOutput(zalo_env(channel_env(providers.url)), sender, lambda user: "mid-7" if user == "u1" else None)
    _send_text(output, sender, "u1", "Xin chào!")
    [call] = providers.calls
    assert call.path == ZALO_SEND_PATH
    assert call.body == {"recipient": {"user_id": "u1", "message_id": "mid-7"}, "message": {"text": "Xin chào!"}}


def test_a_refused_quote_is_sent_again_unquoted(providers: FakeProviders) -> None:
    sender = JsonSender("zalo")
    output = ZaloOutput(zalo_env(channel_env(providers.url)), sender, lambda _: REFUSED_ZALO_MESSAGE_ID)
    _send_text(output, sender, "u1", "Xin chào!")
    assert [c.body["recipient"] for c in providers.calls] == [
        {"user_id": "u1", "message_id": REFUSED_ZALO_MESSAGE_ID},
        {"user_id": "u1"},
    ]


def test_zalo_send_outside_a_request_quotes_the_latest_message_within_48_hours(providers: FakeProviders) -> None:
    channel = ZaloInput(zalo_env(channel_env(providers.url)), MessageGuard())
    now = [1000.0]
    channel.recent = RecentMessages(clock=lambda: now[0])

    # Nobody wrote: nothing to quote, the plain recipient form.
    _send_text(channel.get_output_channel(), channel.sender, "u2", STAFF_TEXT)
    channel.recent.note("u2", "mid-old")
    channel.recent.note("u2", "mid-new")
    _send_text(channel.get_output_channel(), channel.sender, "u2", STAFF_TEXT)
    now[0] += REPLY_WINDOW_S + 1
    _send_text(channel.get_output_channel(), channel.sender, "u2", STAFF_TEXT)

    assert [c.body["recipient"] for c in providers.calls] == [
        {"user_id": "u2"},
        {"user_id": "u2", "message_id": "mid-new"},
        {"user_id": "u2"},
    ]
    assert all(c.body["message"] == {"text": STAFF_TEXT} for c in providers.calls)


def test_messenger_send_outside_a_request_reaches_a_page_user_and_a_plugin_guest(providers: FakeProviders) -> None:
    channel = FacebookChannel(facebook_env(channel_env(providers.url)), MessageGuard())
    _send_text(channel.get_output_channel(), channel.sender, "psid-42", STAFF_TEXT)
    _send_text(channel.get_output_channel(), channel.sender, "user_ref:guest-7", STAFF_TEXT)
    assert [c.path for c in providers.calls] == [GRAPH_SEND_PATH] * 2
    assert [c.body["recipient"] for c in providers.calls] == [{"id": "psid-42"}, {"user_ref": "guest-7"}]
    assert all(c.body["messaging_type"] == "RESPONSE" for c in providers.calls)
    assert all(c.body["message"] == {"text": STAFF_TEXT} for c in providers.calls)
