"""The Zalo and Messenger output channels against the local fake send APIs, without Rasa."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator

import pytest

from bot.channels.facebook import MessengerOutput, facebook_env
from bot.channels.send_api import JsonSender
from bot.channels.zalo import ZaloOutput, zalo_env
from tests.bot.channels.conftest import channel_env
from tests.bot.channels.fake_providers import FakeProviders, fake_providers
from tests.bot.channels.test_replies import CATALOG


@pytest.fixture()
def providers() -> Iterator[FakeProviders]:
    with fake_providers() as fake:
        yield fake


def _long_answer() -> str:
    with gzip.open(CATALOG, "rt", encoding="utf-8") as lines:
        record = next(r for r in map(json.loads, lines) if r["code"] == "1.001193")
    docs = [f"- {d['name']}" for group in record["documents"] for d in group["documents"]]
    return "\n".join([f"Hồ sơ {record['name']} (mã 1.001193):", *docs, *record["steps"]])


def _send(output: ZaloOutput | MessengerOutput, sender: JsonSender, message: dict) -> None:
    async def go() -> None:
        try:
            await output.send_response("user-1", message)
        finally:
            await sender.close()

    asyncio.run(go())


def test_zalo_splits_a_long_answer_and_puts_the_feedback_buttons_on_the_last_part(providers: FakeProviders) -> None:
    text = _long_answer()
    assert len(text) > 2000
    sender = JsonSender("zalo")
    _send(ZaloOutput(zalo_env(channel_env(providers.url)), sender), sender, {"text": text})
    parts = [c.body["message"] for c in providers.calls]
    assert len(parts) >= 2 and all(len(p["text"]) <= 2000 for p in parts)
    assert "\n".join(p["text"] for p in parts) == text
    assert [("attachment" in p) for p in parts] == [False] * (len(parts) - 1) + [True]


def test_messenger_sends_disambiguation_buttons_as_numbered_quick_replies(providers: FakeProviders) -> None:
    buttons = [
        {"title": "Đăng ký khai sinh (mã 1.001193)", "payload": '/choose_procedure{"procedure_code": "1.001193"}'},
        {"title": "Đăng ký lại khai sinh (mã 1.004884)", "payload": '/choose_procedure{"procedure_code": "1.004884"}'},
    ]
    sender = JsonSender("facebook")
    output = MessengerOutput(facebook_env(channel_env(providers.url)), sender)
    _send(
        output,
        sender,
        {"text": "Có vài thủ tục gần với câu hỏi của bạn. Bạn chọn thủ tục đúng nhé:", "buttons": buttons},
    )
    (call,) = providers.calls
    assert call.body["recipient"] == {"id": "user-1"}
    assert "1. Đăng ký khai sinh (mã 1.001193)\n2. Đăng ký lại khai sinh (mã 1.004884)" in call.text
    quick = call.body["message"]["quick_replies"]
    assert [q["payload"] for q in quick] == [b["payload"] for b in buttons]
    assert all(q["content_type"] == "text" and len(q["title"]) <= 20 for q in quick)


ANSWER = (
    "**Hồ sơ** Thủ tục đăng ký khai sinh (mã 1.001193)\n- Giấy chứng sinh (bản chính: 1)\n"
    "[Xem trên Cổng Dịch vụ công](https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd)\n"
    "Nguồn: Cổng DVCQG, cập nhật 07/2026"
)


def test_zalo_gets_the_portal_page_as_a_labelled_button_not_a_raw_url(providers: FakeProviders) -> None:
    sender = JsonSender("zalo")
    _send(ZaloOutput(zalo_env(channel_env(providers.url)), sender), sender, {"text": ANSWER})
    [message] = [c.body["message"] for c in providers.calls]
    assert "https://" not in message["text"] and "**" not in message["text"]
    first = message["attachment"]["payload"]["buttons"][0]
    assert first == {
        "title": "Xem trên Cổng Dịch vụ công",
        "type": "oa.open.url",
        "payload": {"url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd"},
    }


def test_messenger_gets_a_link_button_and_a_call_button(providers: FakeProviders) -> None:
    sender = JsonSender("facebook")
    output = MessengerOutput(facebook_env(channel_env(providers.url)), sender)
    _send(output, sender, {"text": ANSWER})
    [message] = [c.body["message"] for c in providers.calls]
    template = message["attachment"]["payload"]
    assert "https://" not in template["text"] and template["text"].startswith("Hồ sơ Thủ tục đăng ký khai sinh")
    assert template["buttons"] == [
        {
            "type": "web_url",
            "title": "Xem trên Cổng DVC",
            "url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd",
        }
    ]
    providers.calls.clear()
    sender = JsonSender("facebook")
    output = MessengerOutput(facebook_env(channel_env(providers.url)), sender)
    _send(output, sender, {"text": "Bạn gọi tổng đài [1900 1234](tel:19001234) nhé."})
    [message] = [c.body["message"] for c in providers.calls]
    assert message["attachment"]["payload"]["buttons"] == [
        {"type": "phone_number", "title": "Gọi 1900 1234", "payload": "19001234"}
    ]
