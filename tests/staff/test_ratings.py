"""Ratings on the answers they rate, and the satisfaction figures, from a SQLite file shaped like Rasa 3.6's
tracker store (test_transcripts.py's Conversation); test_feedback_browser.py does it with the real stack."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert

from api.staff.satisfaction import NO_PROCEDURE, UNKNOWN_FIELD, satisfaction, week_start
from api.staff.transcripts import VIETNAM, TrackerReader, Turn, events, tracker_engine
from common.feedback import message_id
from tests.staff.conftest import HTML, ClientFactory, login
from tests.staff.test_transcripts import Conversation

BIRTH = "Hồ sơ Thủ tục đăng ký khai sinh (mã 1.001193): …"
MARRIAGE = "Hồ sơ Thủ tục đăng ký kết hôn (mã 1.000894): …"
PASSPORT = "Thời hạn Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh) (mã 1.001456): …"
THANKS = "Cảm ơn bạn đã góp ý! …"
FIELDS = {"1.001193": "Hộ tịch", "1.000894": "Hộ tịch", "1.001456": "Quản lý xuất nhập cảnh"}  # as in the catalog


class Talk(Conversation):
    def answer(self, question: str, reply: str, *more: str) -> str:
        """A question and the bot's reply; the id (as the REST channel gives it) of the reply's last message."""
        self.user(question, "ask_documents")
        self.action("action_answer_procedure")
        for text in (reply, *more):
            self.bot(text, "utter_answer_documents")
        self.action("action_listen")
        return message_id(self.clock - 1)

    def feedback(self, reply: str | None = None, **entities: str) -> None:
        self.user("/feedback" + json.dumps(entities, ensure_ascii=False), "feedback", _entities(entities))
        self.action("action_feedback")
        if reply:
            self.bot(reply, "utter_feedback")
        self.action("action_listen")

    def typed(self, text: str) -> None:
        self.user(text, "feedback")
        self.action("action_feedback")
        self.bot(THANKS, "utter_feedback")
        self.action("action_listen")


def _entities(values: dict[str, str]) -> list[dict[str, Any]]:
    return [{"entity": k, "value": v} for k, v in values.items()]


def reader_of(tmp_path: Path, *talks: Conversation) -> TrackerReader:
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(events), [row for talk in talks for row in talk.rows])
    engine.dispose()
    return TrackerReader(tracker_engine(f"sqlite:///{tmp_path / 'tracker.db'}"))


def bots(reader: TrackerReader, sender: str) -> list[Turn]:
    return [t for t in reader.transcript(sender) if t.kind == "bot"]


def test_the_widget_rates_the_answer_it_names_even_an_older_one(tmp_path: Path) -> None:
    talk = Talk("web-1", 1_765_000_000)
    older = talk.answer("đăng ký khai sinh cần gì", BIRTH)
    newer = talk.answer("đăng ký kết hôn cần gì", MARRIAGE)
    talk.feedback(rating="down", message_id=older)  # the widget thanks in place: no bot message
    talk.feedback(message_id=older, reason="missing_info", comment="Thiếu  giấy chứng sinh, gọi tôi 0912345678")
    talk.feedback(rating="up", message_id=newer)
    birth, marriage = bots(reader_of(tmp_path, talk), "web-1")
    assert (birth.rating, birth.reason, birth.comments) == (
        "down",
        "Thiếu thông tin",
        ["Thiếu giấy chứng sinh, gọi tôi [PHONE]"],
    )
    assert (marriage.rating, marriage.reason, marriage.comments) == ("up", None, [])
    assert birth.rated_at is not None and marriage.rated_at is not None and birth.rated_at < marriage.rated_at


def test_quick_replies_rate_the_last_answer_never_a_reply_to_feedback(tmp_path: Path) -> None:
    talk = Talk("zalo-1", 1_765_000_000)
    talk.answer("hộ chiếu mất bao lâu", PASSPORT, "Bạn muốn hỏi thêm gì?")
    talk.feedback("Cảm ơn bạn đã góp ý! Câu trả lời chưa đúng ở điểm nào?", rating="down")
    talk.feedback(THANKS, reason="wrong_procedure")
    talk.feedback(THANKS, rating="up")  # a second tap: still the answer, not the thank-you before it
    talk.typed("câu trả lời sai rồi")
    turns = bots(reader_of(tmp_path, talk), "zalo-1")
    assert [(t.text[:10], t.rating, t.reason, t.comments) for t in turns if t.rating or t.comments] == [
        ("Thời hạn C", "up", "Sai thủ tục", ["câu trả lời sai rồi"])  # the reply's first message, its answer
    ]
    assert all(t.rating is None and not t.comments for t in turns if t.response == "utter_feedback")


def test_an_id_of_no_answer_falls_back_to_the_last_answer_before_it(tmp_path: Path) -> None:
    talk = Talk("web-2", 1_765_000_000)
    talk.answer("đăng ký khai sinh cần gì", BIRTH)
    talk.feedback(THANKS, rating="up")
    thanks_id = message_id(talk.clock - 1)  # the thank-you's own timestamp
    talk.answer("đăng ký kết hôn cần gì", MARRIAGE)
    talk.feedback(rating="down", message_id=thanks_id)
    talk.feedback(rating="down", message_id="không phải mã")
    birth, thanks, marriage = bots(reader_of(tmp_path, talk), "web-2")
    assert (birth.rating, thanks.rating, marriage.rating) == ("up", None, "down")


def test_the_list_counts_ratings_and_comments_and_leaves_test_traffic_out(tmp_path: Path) -> None:
    talk = Talk("web-3", 1_765_000_000)
    answer = talk.answer("đăng ký khai sinh cần gì", BIRTH)
    talk.feedback(rating="down", message_id=answer)
    talk.feedback(message_id=answer, reason="hard_to_read")  # a reason alone is neither a rating nor words
    talk.feedback(message_id=answer, reason="other", comment="chữ nhỏ quá")
    talk.typed("góp ý: nên ngắn hơn")
    load, e2e = Talk("load-12-0-1", 1_765_000_100), Talk("e2e-ab12cd34-7", 1_765_000_200)
    for test in (load, e2e):
        test.feedback(rating="up", message_id=test.answer("khai sinh", BIRTH))
    reader = reader_of(tmp_path, talk, load, e2e)
    total, rows = reader.conversations()
    assert (total, [(r.sender_id, r.up, r.down, r.comments) for r in rows]) == (1, [("web-3", 0, 1, 2)])
    assert reader.conversations(include_staff=True)[0] == 3


def _ratings_over_three_weeks() -> list[Talk]:
    now = datetime(2026, 12, 9, 10, 0, tzinfo=VIETNAM)  # a Wednesday
    last_week = now - timedelta(days=7)
    talks = []
    for number, (when, reply, rating) in enumerate(
        [
            (now, BIRTH, "up"),
            (now, MARRIAGE, "down"),
            (now, PASSPORT, "up"),
            (now, "Tôi chưa tìm thấy thủ tục nào …", "down"),
            (last_week, BIRTH, "down"),
            (last_week, "Thủ tục lạ (mã 9.999999): …", "up"),
            (now - timedelta(days=60), BIRTH, "up"),  # before the period
        ]
    ):
        talk = Talk(f"web-s{number}", when.timestamp() - 10)
        talk.feedback(rating=rating, message_id=talk.answer("câu hỏi", reply, "Nếu đây không phải thủ tục bạn cần …"))
        talks.append(talk)
    talks[0].feedback(rating="down", message_id=talks[0].answer("câu khác", MARRIAGE))
    staff = Talk("staff-9", now.timestamp() - 10)
    staff.feedback(rating="down", message_id=staff.answer("câu thử", BIRTH))
    return [*talks, staff]


def test_satisfaction_per_week_and_per_field(tmp_path: Path) -> None:
    reader = reader_of(tmp_path, *_ratings_over_three_weeks())
    now = datetime(2026, 12, 9, 12, 0, tzinfo=VIETNAM)
    figures = satisfaction(reader, FIELDS.get, weeks=3, now=now)
    assert figures.since == week_start(now) - timedelta(weeks=2) == datetime(2026, 11, 23, tzinfo=VIETNAM)
    assert [(w.label, w.up, w.down) for w in figures.weeks] == [
        ("Tuần 50/2026 (07/12–13/12)", 2, 3),
        ("Tuần 49/2026 (30/11–06/12)", 1, 1),
        ("Tuần 48/2026 (23/11–29/11)", 0, 0),
    ]
    assert (figures.overall.up, figures.overall.down, figures.weeks[0].share) == (3, 4, 40.0)
    assert figures.weeks[2].share is None
    assert [(f.label, f.up, f.down) for f in figures.fields] == [
        ("Hộ tịch", 1, 3),
        (NO_PROCEDURE, 0, 1),
        ("Quản lý xuất nhập cảnh", 1, 0),
        (UNKNOWN_FIELD, 1, 0),
    ]  # the most rated first, then by name
    with_staff = satisfaction(reader, FIELDS.get, weeks=3, now=now, include_staff=True)
    assert with_staff.overall.down == 5


def test_the_console_shows_ratings_in_words_and_the_satisfaction_page(
    tmp_path: Path, make_client: ClientFactory
) -> None:
    reader_of(tmp_path, *_ratings_over_three_weeks()).engine.dispose()
    client = make_client(tracker_database_url=f"sqlite:///{tmp_path / 'tracker.db'}")
    assert client.get("/staff/satisfaction").status_code == 401
    login(client)
    transcript = client.get("/staff/conversations/web-s0", headers=HTML).text
    assert "Người dân đánh giá: Hữu ích" in transcript and "Người dân đánh giá: Chưa đúng" in transcript
    assert "👍" not in transcript and "👎" not in transcript and "<svg" in transcript
    page = client.get("/staff/satisfaction?weeks=104", headers=HTML)
    assert page.status_code == 200, page.text
    fields = re.findall(r'<th scope="row">([^<]+)</th>', page.text.split('id="fields"')[1])
    assert fields == ["Hộ tịch", NO_PROCEDURE, "Quản lý xuất nhập cảnh", UNKNOWN_FIELD]  # from the real catalog
    assert '<meter min="0" max="100" value="' in page.text
    assert client.get("/staff/satisfaction?weeks=0", headers=HTML).status_code == 422
