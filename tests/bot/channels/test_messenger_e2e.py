"""Messenger end to end: a real Rasa server with the Facebook channel, replies caught by a local fake Graph API."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
import uuid
from typing import Any

from tests.bot.channels.conftest import FACEBOOK_APP_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_VERIFY_TOKEN, Channels
from tests.bot.channels.fake_providers import GRAPH_SEND_PATH, calls_to
from tests.bot.channels.outbox import answer_parts, nothing_reached_rasa

WEBHOOK = "/webhooks/facebook/webhook"


def page_event(sender: str, text: str, quick_reply: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"mid": uuid.uuid4().hex, "text": text}
    if quick_reply is not None:
        message["quick_reply"] = {"payload": quick_reply}
    return {
        "object": "page",
        "entry": [
            {
                "id": "page-1",
                "time": int(time.time() * 1000),
                "messaging": [{"sender": {"id": sender}, "recipient": {"id": "page-1"}, "message": message}],
            }
        ],
    }


def new_sender() -> str:
    return f"psid-{uuid.uuid4().hex[:12]}"


def test_webhook_verification_needs_the_right_verify_token(channels: Channels) -> None:
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": FACEBOOK_VERIFY_TOKEN}
    right = channels.get(f"{WEBHOOK}?{urllib.parse.urlencode(query)}")
    assert (right.status, right.body) == (200, b"1158201444")
    wrong = channels.get(f"{WEBHOOK}?{urllib.parse.urlencode({**query, 'hub.verify_token': 'doan-bua'})}")
    assert wrong.status == 403 and b"1158201444" not in wrong.body
    missing = channels.get(f"{WEBHOOK}?hub.mode=subscribe&hub.challenge=1158201444")
    assert missing.status == 403


def test_signed_question_is_answered_through_the_send_api_and_feedback_reaches_the_tracker(channels: Channels) -> None:
    sender = new_sender()
    reply = channels.messenger(page_event(sender, "đăng ký khai sinh cần giấy tờ gì"))
    assert (reply.status, reply.body) == (200, b"EVENT_RECEIVED")

    parts = answer_parts(channels, sender, until="quick_replies")
    assert all(c.path == GRAPH_SEND_PATH and c.query["access_token"] == FACEBOOK_PAGE_ACCESS_TOKEN for c in parts)
    assert all(c.body["messaging_type"] == "RESPONSE" and 0 < len(c.text) <= 2000 for c in parts)
    assert all("quick_replies" not in c.body["message"] for c in parts[:-1])
    quick = parts[-1].body["message"]["quick_replies"]
    # The answer's own buttons (its other parts, other questions), then the feedback pair.
    assert [q["title"] for q in quick][-2:] == ["👍 Hữu ích", "👎 Chưa đúng"]
    # The portal page is a labelled link button of a button template, not a raw URL in the text.
    template = parts[-1].body["message"]["attachment"]["payload"]
    assert template["buttons"][0]["type"] == "web_url" and "https://" not in "".join(c.text for c in parts)

    # A quick-reply tap: Messenger sends the title as text and the payload beside it.
    thumbs_down = quick[-1]
    assert channels.messenger(page_event(sender, thumbs_down["title"], thumbs_down["payload"])).status == 200
    event = channels.wait_user_event(sender, "feedback")
    assert {"entity": "rating", "value": "down"}.items() <= event["parse_data"]["entities"][0].items()
    assert event["input_channel"] == "facebook"

    # The 👎 is thanked with the reasons as quick replies; a tap on one is stored as the feedback's reason.
    def asked_why(calls: list[Any]) -> bool:
        return any("chưa đúng ở điểm nào" in c.text for c in calls_to(calls, sender))

    asking = next(c for c in calls_to(channels.providers.wait(asked_why), sender) if "ở điểm nào" in c.text)
    reasons = asking.body["message"]["quick_replies"]
    assert [q["title"] for q in reasons] == ["Sai thủ tục", "Thiếu thông tin", "Khó hiểu", "Khác"]
    assert channels.messenger(page_event(sender, reasons[1]["title"], reasons[1]["payload"])).status == 200
    feedback = channels.wait_user_events(sender, 3)[-1]
    assert feedback["parse_data"]["entities"][0]["entity"] == "reason"
    assert feedback["parse_data"]["entities"][0]["value"] == "missing_info"


def test_unsigned_payload_is_refused(channels: Channels) -> None:
    sender = new_sender()
    assert channels.messenger(page_event(sender, "đăng ký khai sinh"), signature=None).status == 401
    nothing_reached_rasa(channels, sender, after_s=2)


def test_badly_signed_payloads_are_refused(channels: Channels) -> None:
    sender = new_sender()
    payload = page_event(sender, "đăng ký khai sinh")
    body = json.dumps(payload, ensure_ascii=False).encode()
    wrong_secret = "sha256=" + hmac.new(b"not-the-app-secret", body, hashlib.sha256).hexdigest()
    assert channels.messenger(payload, signature=wrong_secret).status == 403
    assert channels.messenger(payload, signature="sha256=" + "0" * 64).status == 403
    # Rasa 3.6's connector would accept this valid SHA-1 signature; only X-Hub-Signature-256 counts here.
    sha1 = "sha1=" + hmac.new(FACEBOOK_APP_SECRET.encode(), body, hashlib.sha1).hexdigest()
    assert channels.post(WEBHOOK, body, {"X-Hub-Signature": sha1}).status == 401
    nothing_reached_rasa(channels, sender, after_s=2)
