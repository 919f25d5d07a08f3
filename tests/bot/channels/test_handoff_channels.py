"""The hand-off on Zalo and Messenger: the citizen asks for a person in the app, a civil servant takes the
conversation and replies (delivered through the platform's send API, here the fake one), hands back, and
the bot answers the next question. The console's calls are made as api/staff/rasa_client.py makes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.bot.channels.conftest import Channels
from tests.bot.channels.fake_providers import Call, calls_to
from tests.bot.channels.test_messenger_e2e import new_sender as new_psid
from tests.bot.channels.test_messenger_e2e import page_event
from tests.bot.channels.test_zalo_e2e import new_sender as new_zalo_user
from tests.bot.channels.test_zalo_e2e import text_event

STAFF = "Nguyễn Thị Lan"
STAFF_TEXT = "Chào bạn, tôi là cán bộ trực. Bạn đang làm thủ tục ở xã, phường nào?"


def sent(sender: str, needle: str) -> Callable[[list[Call]], bool]:
    return lambda calls: any(needle in c.text for c in calls_to(calls, sender))


def staff_step(channels: Channels, step: str, sender: str, **extra: Any) -> dict[str, Any]:
    body = json.dumps({"sender": sender, "staff": STAFF, **extra}, ensure_ascii=False).encode()
    reply = channels.post(f"/webhooks/handoff/{step}?token={channels.stack.rasa_token}", body, {})
    assert reply.status == 200, reply
    answer: dict[str, Any] = reply.json()
    return answer


@pytest.mark.parametrize("platform", ["zalo", "messenger"])
def test_hand_off_through_the_platform_send_api(channels: Channels, platform: str) -> None:
    if platform == "zalo":
        sender = new_zalo_user()

        def citizen(text: str) -> None:
            assert channels.zalo(text_event(sender, text)).status == 200
    else:
        sender = new_psid()

        def citizen(text: str) -> None:
            assert channels.messenger(page_event(sender, text)).status == 200

    providers = channels.providers
    citizen("cho tôi gặp cán bộ")
    offer = calls_to(providers.wait(sent(sender, "Chat với cán bộ")), sender)
    assert "/handoff_accept" in json.dumps(offer[-1].body, ensure_ascii=False)  # the offer is a button
    citizen("/handoff_accept")  # the button's payload, as both platforms deliver a tap
    providers.wait(sent(sender, "chuyển cuộc trò chuyện tới cán bộ trực"))

    taken = staff_step(channels, "take", sender)
    assert taken["state"] == "taken" and taken["delivered"] is True
    providers.wait(sent(sender, f"Cán bộ {STAFF} đã tiếp nhận"))
    assert staff_step(channels, "say", sender, text=STAFF_TEXT)["delivered"] is True
    providers.wait(sent(sender, STAFF_TEXT))
    # The widget's poll serves widget conversations only: a platform user id is no key to staff replies.
    poll = channels.post("/webhooks/handoff/poll", json.dumps({"sender": sender, "after": 0}).encode(), {})
    assert poll.status == 200 and poll.json() == {"state": "bot", "messages": []}

    citizen("phường Bến Nghé ạ")  # kept in the conversation for the console, not answered by the bot
    channels.wait_user_events(sender, 3)
    assert not any("Bến Nghé" in c.text for c in calls_to(providers.calls, sender))

    assert staff_step(channels, "end", sender)["state"] == "bot"
    providers.wait(sent(sender, "Trợ lý ảo tiếp tục"))
    citizen("đăng ký khai sinh cần giấy tờ gì")
    providers.wait(sent(sender, "(mã 1.001193)"))
