"""Conversations as Rasa's SQL tracker store keeps them, read-only: transcripts, feedback, unanswered questions.

Rasa 3.6 writes one row per event into ``events`` (sender_id, type_name, timestamp, intent_name,
action_name, data as JSON). Feedback is a user message of intent ``feedback``: a thumbs payload
``/feedback{"rating": …, "message_id": …}``, a reason, or free text; api/staff/ratings.py says which
answer it is about.
Every text shown to staff is masked (knowledge/privacy.py): staff need the question, not the citizen's
ID card or phone number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, case, create_engine, func, select, true
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.staff.ratings import Answers, counted, is_feedback, parse_feedback, rate
from common.feedback import FEEDBACK_INTENT
from knowledge.privacy import mask_pii
from vitext.normalize import fold, normalize, words

STAFF_SENDER_PREFIX = "staff-"  # conversations the console itself started (inspect, batches)
# Test traffic left out with the console's own: `make bench` / benchmarks.load and `make e2e`.
TEST_SENDER_PREFIXES = (STAFF_SENDER_PREFIX, "load-", "e2e-")
VIETNAM = timezone(timedelta(hours=7), "giờ Việt Nam")

# Why a question counts as one the bot could not answer (Vietnamese labels shown to staff).
UNANSWERED_ACTIONS = {
    "action_clarify_or_handoff": "bot hỏi lại hoặc chuyển cán bộ",
    "action_handoff": "chuyển cán bộ",
    "action_default_fallback": "bot không hiểu",
}
UNANSWERED_INTENTS = {"nlu_fallback": "không nhận ra ý định", "out_of_scope": "ngoài phạm vi"}
UNANSWERED_RESPONSES = {
    "utter_procedure_not_found": "không tìm thấy thủ tục",
    "utter_field_missing": "danh mục thiếu thông tin",
    "utter_catalog_unavailable": "tra cứu bị gián đoạn",
    "utter_out_of_scope": "ngoài phạm vi",
}
# Asking for a person is answered as asked (the hand-off); it is not a question the bot failed.
NOT_QUESTIONS = {FEEDBACK_INTENT, "ask_human", "greet", "goodbye", "thanks", "affirm", "deny"}

events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
# What a reader of whole conversations takes from each event, in this order: (sender, type, time,
# intent, action, data).
EVENT_COLUMNS = (
    events.c.sender_id,
    events.c.type_name,
    events.c.timestamp,
    events.c.intent_name,
    events.c.action_name,
    events.c.data,
)


class TrackerUnavailable(RuntimeError):
    """The tracker store cannot be read; the message (Vietnamese) says what to check."""


@dataclass
class Turn:
    kind: str  # "user", "bot" or "session" (a new session started)
    time: datetime
    text: str = ""
    intent: str | None = None
    confidence: float | None = None
    buttons: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # what the bot ran after a user message
    response: str | None = None  # the domain response a bot message came from
    rating: str | None = None  # on a bot message: the citizen's "up"/"down" on it
    reason: str | None = None  # on a bot message: why it was not right (Vietnamese label)
    comments: list[str] = field(default_factory=list)  # on a bot message: the citizen's words about it
    rated_at: datetime | None = None  # on a bot message: when it was last rated
    feedback: bool = False  # on a user message: it is feedback, not a question
    staff: str | None = None  # on a bot message: the civil servant who sent it during a hand-off


@dataclass(frozen=True)
class ConversationSummary:
    sender_id: str
    first: datetime
    last: datetime
    messages: int
    up: int
    down: int
    comments: int


@dataclass
class UnansweredQuestion:
    text: str
    count: int
    last_seen: datetime
    sender_id: str
    reasons: set[str] = field(default_factory=set)


def tracker_engine(url: str) -> Engine:
    """A read-only engine on the tracker store: the console must never write a conversation."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True, connect_args={"options": "-c default_transaction_read_only=on"})
    return create_engine(url, pool_pre_ping=True)


def when(timestamp: float | None) -> datetime:
    return datetime.fromtimestamp(timestamp or 0.0, VIETNAM)


def event_data(raw: str | None) -> dict[str, Any]:
    """An event's ``data`` column as a dict; a row Rasa did not write well is just empty."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class TrackerReader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _rows(self, query: Any) -> list[Any]:
        return list(self.stream(query))

    def stream(self, query: Any) -> Iterator[Any]:
        """Rows a thousand at a time: a month of events need not fit in memory at once."""
        try:
            with self.engine.connect() as conn:
                yield from conn.execution_options(yield_per=1000).execute(query)
        except SQLAlchemyError as exc:
            raise TrackerUnavailable(
                "Chưa đọc được kho hội thoại của Rasa (TRACKER_DATABASE_URL): tệp hoặc bảng «events» chưa có, "
                "có thể Rasa chưa chạy lần nào, hoặc địa chỉ cơ sở dữ liệu sai."
            ) from exc

    @staticmethod
    def citizens(include_staff: bool) -> Any:
        where: Any = true()
        for prefix in () if include_staff else TEST_SENDER_PREFIXES:
            where = where & ~events.c.sender_id.startswith(prefix, autoescape=True)
        return where

    def conversations(
        self, limit: int = 50, offset: int = 0, *, include_staff: bool = False, only_feedback: bool = False
    ) -> tuple[int, list[ConversationSummary]]:
        """Most recent first, with how many thumbs up / down and comments each got."""
        where = self.citizens(include_staff)
        if only_feedback:
            rated = select(events.c.sender_id).where(events.c.intent_name == FEEDBACK_INTENT)
            where = where & events.c.sender_id.in_(rated)
        total_query = select(func.count(func.distinct(events.c.sender_id))).where(where)
        users = func.sum(case((events.c.type_name == "user", 1), else_=0))
        page_query = (
            select(events.c.sender_id, func.min(events.c.timestamp), func.max(events.c.timestamp), users)
            .where(where)
            .group_by(events.c.sender_id)
            .order_by(func.max(events.c.timestamp).desc(), events.c.sender_id)
            .limit(limit)
            .offset(offset)
        )
        total = int(self._rows(total_query)[0][0] or 0)
        page = self._rows(page_query)
        senders = [row[0] for row in page]
        feedback_query = select(events.c.sender_id, events.c.data).where(
            events.c.sender_id.in_(senders), events.c.type_name == "user", events.c.intent_name == FEEDBACK_INTENT
        )
        counts: dict[str, list[int]] = {s: [0, 0, 0] for s in senders}
        for sender, raw in self._rows(feedback_query) if senders else []:
            one = counted(event_data(raw))
            counts[sender][0] += one.rating == "up"
            counts[sender][1] += one.rating == "down"
            counts[sender][2] += one.comment
        return total, [
            ConversationSummary(sender, when(first), when(last), int(n or 0), *counts[sender])
            for sender, first, last, n in page
        ]

    def transcript(self, sender_id: str) -> list[Turn]:
        query = select(*EVENT_COLUMNS[1:]).where(events.c.sender_id == sender_id).order_by(events.c.id)
        return build_transcript(self._rows(query))

    def unanswered(
        self, *, since: datetime | None = None, include_staff: bool = False, limit: int = 200
    ) -> list[UnansweredQuestion]:
        """Citizens' questions the bot could not answer, grouped by folded text, most frequent first."""
        where = self.citizens(include_staff) & events.c.type_name.in_(("user", "bot", "action"))
        if since is not None:
            where = where & (events.c.timestamp >= since.timestamp())
        query = select(*EVENT_COLUMNS).where(where).order_by(events.c.sender_id, events.c.id)
        groups: dict[str, UnansweredQuestion] = {}
        for sender, text, at, reasons in _failed_questions(self.stream(query)):
            key = " ".join(words(fold(text)))  # "Thời tiết thế nào?" and "thoi tiet the nao" are one question
            group = groups.get(key)
            if group is None:
                groups[key] = UnansweredQuestion(text, 1, at, sender, set(reasons))
                continue
            group.count += 1
            group.reasons |= reasons
            if at >= group.last_seen:
                group.text, group.last_seen, group.sender_id = text, at, sender
        ranked = sorted(groups.values(), key=lambda g: (-g.count, -g.last_seen.timestamp()))
        return ranked[:limit]


def build_transcript(rows: Iterable[Any]) -> list[Turn]:
    turns: list[Turn] = []
    last_user: Turn | None = None
    answers: Answers[Turn] = Answers()
    # The bot's messages after one user message are one reply: the answer, then maybe "if this is not
    # the procedure you need…" with alternatives. A rating of any of them (the widget's thumbs sit under
    # the last) is about the reply, so it is shown on its first message, the answer.
    head: Turn | None = None
    for type_name, timestamp, intent, action, raw in rows:
        at = when(timestamp)
        if type_name == "action":
            if action == "action_session_start" and turns:
                turns.append(Turn("session", at))
            elif action not in (None, "action_listen", "action_session_start") and last_user is not None:
                last_user.actions.append(action)
            continue
        if type_name == "user":
            data = event_data(raw)
            intent_info = (data.get("parse_data") or {}).get("intent") or {}
            last_user = Turn(
                "user",
                at,
                text=mask_pii(str(data.get("text") or "")),
                intent=intent,
                confidence=intent_info.get("confidence"),
                feedback=is_feedback(intent),
            )
            turns.append(last_user)
            head = None
            if last_user.feedback and (answer := answers.rated_by(feedback := parse_feedback(data))):
                rate(answer, feedback, at, last_user.text)
        elif type_name == "bot":
            data = event_data(raw)
            buttons = ((data.get("data") or {}).get("buttons")) or []
            bot = Turn(
                "bot",
                at,
                text=mask_pii(str(data.get("text") or "")),
                buttons=[str(b.get("title") or b.get("payload") or "") for b in buttons if isinstance(b, dict)],
                response=(data.get("metadata") or {}).get("utter_action"),
                staff=(data.get("metadata") or {}).get("staff"),
            )
            turns.append(bot)
            head = head or bot
            if last_user is None or not last_user.feedback:  # a reply to feedback is no answer to rate
                answers.add(timestamp, head)
    return turns


def _failed_questions(rows: Iterable[Any]) -> Iterator[tuple[str, str, datetime, set[str]]]:
    """(sender, question, time, reasons) for each user message whose handling shows the bot failed it."""
    current: tuple[str, str, datetime] | None = None
    reasons: set[str] = set()
    for sender, type_name, timestamp, intent, action, raw in rows:
        if type_name == "user" or (current is not None and sender != current[0]):
            if current is not None and reasons:
                yield current[0], current[1], current[2], reasons
            current, reasons = None, set()
        if type_name == "user":
            text = mask_pii(normalize(str(event_data(raw).get("text") or "")))
            if not text or text.startswith("/") or intent in NOT_QUESTIONS:
                continue
            current = (sender, text, when(timestamp))
            if intent in UNANSWERED_INTENTS:
                reasons.add(UNANSWERED_INTENTS[intent])
        elif current is None:
            continue
        elif type_name == "action" and action in UNANSWERED_ACTIONS:
            reasons.add(UNANSWERED_ACTIONS[action])
        elif type_name == "bot":
            response = (event_data(raw).get("metadata") or {}).get("utter_action")
            if response in UNANSWERED_RESPONSES:
                reasons.add(UNANSWERED_RESPONSES[response])
    if current is not None and reasons:
        yield current[0], current[1], current[2], reasons
