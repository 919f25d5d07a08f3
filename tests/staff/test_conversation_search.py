"""Finding conversations by text (diacritics or not), dates, channel and outcome; test traffic left out."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert

from api.staff.conversation_search import Filters, search
from api.staff.transcripts import VIETNAM, TrackerReader, events, tracker_engine
from tests.staff.conftest import BEARER, HTML, ClientFactory
from tests.staff.test_transcripts import Conversation

NOW = time.time()
ANSWER = "Hồ sơ Thủ tục cấp hộ chiếu phổ thông (mã 1.001456): …"


def said(conversation: Conversation, text: str, intent: str, channel: str, **entities: str) -> None:
    found = [{"entity": k, "value": v} for k, v in entities.items()]
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": found, "text": text}
    data = {"event": "user", "text": text, "parse_data": parse, "input_channel": channel}
    conversation._add("user", data, intent=intent)


@pytest.fixture
def tracker_file(tmp_path: Path) -> Path:
    passport = Conversation("zalo-1", NOW - 3600)
    said(passport, "Làm hộ chiếu mất bao lâu?", "ask_processing_time", "zalo")
    passport.action("action_answer_procedure")
    passport.bot(ANSWER, "utter_answer_processing_time")
    said(passport, '/feedback{"rating": "down"}', "feedback", "zalo", rating="down")
    weather = Conversation("web-2", NOW - 1800)
    said(weather, "thời tiết hôm nay", "out_of_scope", "rest")
    weather.action("action_answer_procedure")
    weather.bot("Xin lỗi, …", "utter_out_of_scope")
    handed = Conversation("fb-3", NOW - 900)
    said(handed, "cho tôi gặp cán bộ về hộ chiếu", "ask_human", "facebook")
    handed._add("pause", {"event": "pause"})
    old = Conversation("web-4", NOW - 40 * 86400)
    said(old, "ho chieu cho tre em", "find_procedure", "rest")
    load = Conversation("load-5", NOW - 60)
    said(load, "làm hộ chiếu", "find_procedure", "rest")
    path = tmp_path / "tracker.db"
    engine = create_engine(f"sqlite:///{path}")
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        for conversation in (passport, weather, handed, old, load):
            conn.execute(insert(events), conversation.rows)
    engine.dispose()
    return path


@pytest.fixture
def reader(tracker_file: Path) -> TrackerReader:
    return TrackerReader(tracker_engine(f"sqlite:///{tracker_file}"))


def senders(reader: TrackerReader, **given: object) -> list[str]:
    return [row.sender_id for row in search(reader, Filters(**given))[1]]  # type: ignore[arg-type]


def test_text_without_diacritics_finds_them_newest_first_and_skips_test_traffic(reader: TrackerReader) -> None:
    assert senders(reader, text="ho chieu") == ["fb-3", "zalo-1", "web-4"]
    assert senders(reader, text="HỘ CHIẾU", include_tests=True)[0] == "load-5"
    assert senders(reader, text="bao lâu") == ["zalo-1"]
    assert senders(reader, text="rating") == []  # a button payload is not what the citizen wrote


def test_dates_channel_and_outcome(reader: TrackerReader) -> None:
    today = datetime.now(VIETNAM).date()
    assert "web-4" not in senders(reader, text="ho chieu", since=today - timedelta(days=7))
    assert senders(reader, text="ho chieu", until=today - timedelta(days=30)) == ["web-4"]
    assert senders(reader, channel="zalo") == ["zalo-1"]
    assert senders(reader, channel="web") == ["web-2", "web-4"]
    assert senders(reader, outcome="handoff") == ["fb-3"]
    assert senders(reader, outcome="unanswered") == ["web-2"]
    assert senders(reader, outcome="down") == ["zalo-1"]
    total, rows = search(reader, Filters(outcome="rated"))
    assert total == 1 and (rows[0].down, rows[0].messages) == (1, 2)
    assert senders(reader, since=date(2000, 1, 1), channel="facebook", outcome="unanswered") == []


def test_the_page_keeps_filters_on_its_links(make_client: ClientFactory, tracker_file: Path) -> None:
    client = make_client(tracker_database_url=f"sqlite:///{tracker_file}")
    page = client.get("/staff/conversations?q=ho+chieu&channel=zalo", headers={**HTML, **BEARER})
    assert page.status_code == 200 and "zalo-1" in page.text and "fb-3" not in page.text
    assert 'value="ho chieu"' in page.text and '<option value="zalo" selected>' in page.text
    assert client.get("/staff/conversations?channel=telegram", headers={**HTML, **BEARER}).status_code == 422
