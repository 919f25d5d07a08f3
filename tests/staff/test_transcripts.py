"""The tracker reader on a small SQLite file shaped like Rasa 3.6's SQL tracker store (no Rasa needed).

test_live.py checks the same reader on a file written by a real Rasa server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert

from api.staff.transcripts import TrackerReader, events, tracker_engine


class Conversation:
    def __init__(self, sender: str, start: float) -> None:
        self.sender, self.clock, self.rows = sender, start, []  # type: list[dict[str, Any]]
        self.action("action_session_start")
        self.action("action_listen")

    def _add(self, type_name: str, data: dict[str, Any], intent: str | None = None, action: str | None = None) -> None:
        self.clock += 1
        self.rows.append(
            {
                "sender_id": self.sender,
                "type_name": type_name,
                "timestamp": self.clock,
                "intent_name": intent,
                "action_name": action,
                "data": json.dumps(data, ensure_ascii=False),
            }
        )

    def action(self, name: str) -> None:
        self._add("action", {"event": "action", "name": name}, action=name)

    def user(self, text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> None:
        parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or [], "text": text}
        self._add("user", {"event": "user", "text": text, "parse_data": parse}, intent=intent)

    def bot(self, text: str, response: str, buttons: list[dict[str, str]] | None = None) -> None:
        data = {"event": "bot", "text": text, "metadata": {"utter_action": response}, "data": {"buttons": buttons}}
        self._add("bot", data)

    def turn(self, text: str, intent: str, action: str, reply: str, response: str, **entities: str) -> None:
        self.user(text, intent, [{"entity": k, "value": v} for k, v in entities.items()])
        self.action(action)
        self.bot(reply, response)
        self.action("action_listen")


@pytest.fixture
def reader(tmp_path: Path) -> TrackerReader:
    path = tmp_path / "tracker.db"
    answer = "Hồ sơ Thủ tục đăng ký khai sinh (mã 1.001193): …"
    a = Conversation("citizen-a", 1_700_000_000)
    a.turn("đăng ký khai sinh cần gì", "ask_documents", "action_answer_procedure", answer, "utter_answer_documents")
    a.turn(
        '/feedback{"rating": "down"}',
        "feedback",
        "utter_feedback",
        "Cảm ơn bạn đã góp ý!",
        "utter_feedback",
        rating="down",
    )
    a.turn("Thời tiết hôm nay?", "out_of_scope", "utter_out_of_scope", "Xin lỗi, …", "utter_out_of_scope")
    b = Conversation("citizen-b", 1_700_000_100)
    b.turn(
        "thoi tiet hom nay", "nlu_fallback", "action_clarify_or_handoff", "Xin lỗi, tôi chưa hiểu …", "utter_clarify"
    )
    b.turn(
        "cấp phép bay flycam",
        "find_procedure",
        "action_find_procedure",
        "Tôi chưa tìm được …",
        "utter_procedure_not_found",
    )
    b.turn("câu trả lời sai rồi", "feedback", "utter_feedback", "Cảm ơn bạn đã góp ý!", "utter_feedback")
    b.turn("cho tôi gặp nhân viên", "ask_human", "action_handoff", "Để được cán bộ hỗ trợ …", "utter_handoff")
    staff = Conversation("staff-1234", 1_700_000_200)
    staff.turn("thời tiết hôm nay", "out_of_scope", "utter_out_of_scope", "Xin lỗi, …", "utter_out_of_scope")
    engine = create_engine(f"sqlite:///{path}")
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(events), a.rows + b.rows + staff.rows)
    engine.dispose()
    return TrackerReader(tracker_engine(f"sqlite:///{path}"))


def test_conversations_count_ratings_and_comments(reader: TrackerReader) -> None:
    total, rows = reader.conversations()
    assert total == 2
    assert [(r.sender_id, r.up, r.down, r.comments) for r in rows] == [("citizen-b", 0, 0, 1), ("citizen-a", 0, 1, 0)]
    assert reader.conversations(include_staff=True)[0] == 3
    assert [r.sender_id for r in reader.conversations(only_feedback=True)[1]] == ["citizen-b", "citizen-a"]


def test_feedback_sits_on_the_answer_before_it(reader: TrackerReader) -> None:
    turns = reader.transcript("citizen-a")
    bots = [t for t in turns if t.kind == "bot"]
    assert bots[0].text.startswith("Hồ sơ") and bots[0].rating == "down"
    assert all(t.rating is None for t in bots[1:])
    assert [t.feedback for t in turns if t.kind == "user"] == [False, True, False]
    comments = [t for t in reader.transcript("citizen-b") if t.comments]
    assert [(t.response, t.comments) for t in comments] == [("utter_procedure_not_found", ["câu trả lời sai rồi"])]
    assert reader.transcript("nobody") == []


def test_unanswered_groups_variants_and_leaves_out_requests(reader: TrackerReader) -> None:
    groups = reader.unanswered()
    assert [(g.text, g.count) for g in groups] == [("thoi tiet hom nay", 2), ("cấp phép bay flycam", 1)]
    assert groups[0].reasons == {"ngoài phạm vi", "không nhận ra ý định", "bot hỏi lại hoặc chuyển cán bộ"}
    assert groups[1].reasons == {"không tìm thấy thủ tục"}
    with_staff = reader.unanswered(include_staff=True)
    assert with_staff[0].count == 3
