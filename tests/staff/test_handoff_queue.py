"""The hand-off queue read from a tracker store shaped like Rasa's, and its pages' access rules (no Rasa).

tests/web/test_handoff_browser.py runs the same pages against a real Rasa in two browsers.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert

from api.staff.handoff import handoff_of, open_handoffs
from api.staff.transcripts import TrackerReader, events, tracker_engine
from tests.staff.conftest import BEARER, HTML, ORIGIN, ClientFactory, account_login, add_account
from tests.staff.test_transcripts import Conversation


def handed_off(sender: str, start: float, channel: str = "rest") -> Conversation:
    conversation = Conversation(sender, start)
    conversation.turn("cho tôi gặp cán bộ", "ask_human", "action_handoff", "Cán bộ đang trực…", "utter_handoff_offer")
    conversation._add("user", {"event": "user", "text": "/handoff_accept", "input_channel": channel}, "handoff_accept")
    conversation.action("action_handoff_accept")
    conversation.bot("Tôi đã chuyển cuộc trò chuyện tới cán bộ trực…", "utter_handoff_queued")
    conversation._add("pause", {"event": "pause"})
    conversation._add("user", {"event": "user", "text": "số tôi là 0912345678", "input_channel": channel}, "inform")
    return conversation


@pytest.fixture
def tracker_file(tmp_path: Path) -> Path:
    now = time.time()
    waiting_long = handed_off("zalo-1", now - 900, channel="zalo")
    waiting_new = handed_off("web-2", now - 300)
    taken = handed_off("fb-3", now - 600, channel="facebook")
    taken._add("slot", {"event": "slot", "name": "handoff_staff", "value": "Nguyễn Thị Lan"})
    data = {"event": "bot", "text": "Bạn ở phường nào?", "metadata": {"staff": "Nguyễn Thị Lan", "handoff": True}}
    taken._add("bot", data)
    back = handed_off("web-4", now - 800)
    back._add("slot", {"event": "slot", "name": "handoff_staff", "value": None})
    back._add("resume", {"event": "resume"})
    test = handed_off("staff-5", now - 1000)
    old = handed_off("web-6", now - 30 * 86400)  # a month ago: out of the queue's window
    callback = Conversation("zalo-7", now - 400)
    callback._add("slot", {"event": "slot", "name": "callback_phone", "value": "số tôi 0912 345 678 nhé"})
    callback._add("slot", {"event": "slot", "name": "callback_phone", "value": "0912345678"})
    gave_up = Conversation("web-8", now - 300)
    gave_up._add("slot", {"event": "slot", "name": "callback_phone", "value": "thôi"})
    gave_up._add("slot", {"event": "slot", "name": "callback_phone", "value": None})
    path = tmp_path / "tracker.db"
    engine = create_engine(f"sqlite:///{path}")
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        for conversation in (waiting_long, waiting_new, taken, back, test, old, callback, gave_up):
            conn.execute(insert(events), conversation.rows)
    engine.dispose()
    return path


def test_the_queue_lists_open_hand_offs_oldest_waiting_first(tracker_file: Path) -> None:
    reader = TrackerReader(tracker_engine(f"sqlite:///{tracker_file}"))
    queue = open_handoffs(reader)
    assert [h.sender_id for h in queue] == ["zalo-1", "web-2", "fb-3"]
    assert [h.staff for h in queue] == [None, None, "Nguyễn Thị Lan"]
    assert [h.channel_label for h in queue] == ["Zalo", "Cổng (widget)", "Messenger"]
    assert queue[0].waited() in ("14 phút", "15 phút")  # the pause came a few seconds after the start
    last = queue[0].last_turns[-1]
    assert last.kind == "user" and "0912345678" not in last.text  # masked for staff
    assert queue[2].last_turns[-1].staff == "Nguyễn Thị Lan"
    assert handoff_of(reader, "web-4") is None and handoff_of(reader, "web-6") is not None


def test_pages_list_the_queue_and_only_editors_act(make_client: ClientFactory, tracker_file: Path) -> None:
    client = make_client(tracker_database_url=f"sqlite:///{tracker_file}")
    page = client.get("/staff/handoffs", headers={**HTML, **BEARER})
    assert page.status_code == 200
    assert page.text.index("zalo-1") < page.text.index("web-2") < page.text.index("fb-3")
    assert "Nguyễn Thị Lan đang hỗ trợ" in page.text and "staff-5" not in page.text
    assert 'http-equiv="refresh"' in page.text
    one = client.get("/staff/handoffs/zalo-1", headers={**HTML, **BEARER})
    assert one.status_code == 200 and "Nhận hỗ trợ" in one.text and "0912345678" not in one.text
    assert client.get("/staff/handoffs/no-such", headers={**HTML, **BEARER}).status_code == 404

    account_login(client, "xem1", add_account(client, "xem1", "xem"))  # the cookie: requests without BEARER
    assert "chỉ có quyền xem" in client.get("/staff/handoffs/zalo-1", headers=HTML).text
    refused = client.post("/staff/handoffs/zalo-1/take", headers={**HTML, **ORIGIN}, follow_redirects=False)
    assert refused.status_code == 403

    # An editor acting while Rasa is away gets the page back with the reason, and nothing is logged.
    down = client.post("/staff/handoffs/zalo-1/take", headers={**HTML, **BEARER}, follow_redirects=False)
    assert down.status_code == 503 and "Không kết nối được máy chủ Rasa" in down.text
    assert "nhận hội thoại" not in client.get("/staff/audit", headers={**HTML, **BEARER}).text


def test_call_back_numbers_in_full_only_for_those_who_call(make_client: ClientFactory, tracker_file: Path) -> None:
    client = make_client(tracker_database_url=f"sqlite:///{tracker_file}")
    page = client.get("/staff/callbacks", headers={**HTML, **BEARER}).text
    assert '<a href="tel:0912345678">0912345678</a>' in page and "web-8" not in page
    called = client.post("/staff/callbacks/zalo-7/called", headers={**HTML, **BEARER}, follow_redirects=False)
    assert called.status_code == 303
    assert "Đã gọi: Hệ thống" in client.get("/staff/callbacks", headers={**HTML, **BEARER}).text
    assert "đã gọi lại" in client.get("/staff/audit", headers={**HTML, **BEARER}).text

    account_login(client, "xem2", add_account(client, "xem2", "xem"))
    page = client.get("/staff/callbacks", headers=HTML).text
    assert "0912345678" not in page and "[PHONE]" in page
    refused = client.post("/staff/callbacks/zalo-7/called", headers={**HTML, **ORIGIN}, follow_redirects=False)
    assert refused.status_code == 403
