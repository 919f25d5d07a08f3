"""What the bot sent one citizen through a provider's send API, as the fake providers recorded it
(tests/bot/channels/fake_providers.py): the same reading for the Zalo and the Messenger tests."""

from __future__ import annotations

import time

from tests.bot.channels.conftest import Channels
from tests.bot.channels.fake_providers import Call, calls_to

TOPICS = ["Làm căn cước", "Đăng ký khai sinh", "Hộ chiếu", "Gặp cán bộ hỗ trợ"]
GREETING = "Xin chào! Tôi là Trợ lý Dịch vụ công"
MEDIA_REPLY = "Tôi chưa xem được hình ảnh, nhãn dán, tin nhắn thoại"
STAFF_MESSAGE = "Chào bạn, tôi là cán bộ Bộ phận Một cửa. Tôi đã nhận câu hỏi của bạn."


def answer_parts(channels: Channels, sender: str, *, until: str) -> list[Call]:
    """The messages of the sender's procedure answer: from the one naming the code to the next whose message
    holds ``until``, the channel's buttons ("attachment" on Zalo, "quick_replies" on Messenger); a first
    message is greeted before, with buttons of its own."""

    def parts(calls: list[Call]) -> list[Call]:
        mine = calls_to(calls, sender)
        first = next((i for i, c in enumerate(mine) if "(mã 1.001193)" in c.text), None)
        if first is None:
            return []
        last = next((i for i, c in enumerate(mine) if i >= first and until in c.body["message"]), None)
        return [] if last is None else mine[first : last + 1]

    return parts(channels.providers.wait(lambda calls: bool(parts(calls))))


def greeting(channels: Channels, recipient: str) -> Call:
    calls = channels.providers.wait(lambda calls: any(GREETING in c.text for c in calls_to(calls, recipient)))
    return next(c for c in calls_to(calls, recipient) if GREETING in c.text)


def media_replies(channels: Channels, sender: str, count: int) -> list[Call]:
    """The short replies to an image, a sticker or a voice message, once the sender has ``count`` of them."""
    calls = channels.providers.wait(lambda calls: sum(MEDIA_REPLY in c.text for c in calls_to(calls, sender)) == count)
    return [c for c in calls_to(calls, sender) if MEDIA_REPLY in c.text]


def sent_by_staff(channels: Channels, sender: str, channel: str) -> Call:
    """STAFF_MESSAGE sent to the sender outside any webhook request (as a hand-off sends one), once delivered."""
    channels.send_as_staff(sender, STAFF_MESSAGE, channel)
    calls = channels.providers.wait(lambda calls: any(c.text == STAFF_MESSAGE for c in calls_to(calls, sender)))
    [sent] = [c for c in calls_to(calls, sender) if c.text == STAFF_MESSAGE]
    return sent


def nothing_reached_rasa(channels: Channels, sender: str, *, after_s: float) -> None:
    """After ``after_s`` seconds, the sender has no user event in the tracker and was sent nothing."""
    time.sleep(after_s)
    assert channels.user_events(sender) == []
    assert calls_to(channels.providers.calls, sender) == []
