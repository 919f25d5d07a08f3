"""Find conversations: by what the citizen wrote, dates, channel, rating and outcome, newest first, paged.

One pass over the events of the date range, in rows a thousand at a time: the text search folds
diacritics and case ("ho chieu" finds "hộ chiếu"), which SQL cannot do portably on Rasa's JSON column.
Test traffic (the console's own, load tests, e2e runs) stays out unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from api.staff.ratings import counted
from api.staff.transcripts import (
    EVENT_COLUMNS,
    UNANSWERED_ACTIONS,
    UNANSWERED_INTENTS,
    UNANSWERED_RESPONSES,
    VIETNAM,
    ConversationSummary,
    TrackerReader,
    event_data,
    events,
    when,
)
from common.feedback import FEEDBACK_INTENT
from vitext.normalize import fold

OUTCOMES = {"handoff": "chuyển cán bộ", "unanswered": "có câu bot chưa trả lời được", "down": "có đánh giá chưa đúng"}


@dataclass(frozen=True)
class Filters:
    text: str = ""
    since: date | None = None
    until: date | None = None
    channel: str = ""  # "web", "facebook", "zalo" or "" for any
    outcome: str = ""  # a key of OUTCOMES, "rated" (any rating) or ""
    include_tests: bool = False

    @property
    def active(self) -> bool:
        return bool(self.text.strip() or self.since or self.until or self.channel or self.outcome)


@dataclass
class _Seen:
    first: float
    last: float
    messages: int = 0
    up: int = 0
    down: int = 0
    comments: int = 0
    channels: set[str] = field(default_factory=set)
    text_found: bool = False
    handoff: bool = False
    unanswered: bool = False


def _bounds(filters: Filters) -> tuple[float | None, float | None]:
    start = datetime.combine(filters.since, time.min, VIETNAM).timestamp() if filters.since else None
    end = datetime.combine(filters.until + timedelta(days=1), time.min, VIETNAM).timestamp() if filters.until else None
    return start, end


def search(
    reader: TrackerReader, filters: Filters, limit: int = 50, offset: int = 0
) -> tuple[int, list[ConversationSummary]]:
    where = reader.citizens(filters.include_tests)
    start, end = _bounds(filters)
    if start is not None:
        where = where & (events.c.timestamp >= start)
    if end is not None:
        where = where & (events.c.timestamp < end)
    query = (
        select(*EVENT_COLUMNS)
        .where(where, events.c.type_name.in_(("user", "bot", "action", "pause")))
        .order_by(events.c.id)
    )
    needle = " ".join(fold(filters.text).split())
    seen: dict[str, _Seen] = {}
    for sender, type_name, timestamp, intent, action, raw in reader.stream(query):
        one = seen.setdefault(sender, _Seen(timestamp or 0.0, timestamp or 0.0))
        one.last = max(one.last, timestamp or 0.0)
        if type_name == "pause":
            one.handoff = True
        elif type_name == "action":
            one.unanswered |= action in UNANSWERED_ACTIONS
        elif type_name == "bot":
            response = (event_data(raw).get("metadata") or {}).get("utter_action")
            one.unanswered |= response in UNANSWERED_RESPONSES
        else:
            _user(one, intent, event_data(raw), needle)
    kept = [(sender, one) for sender, one in seen.items() if _matches(one, filters, needle)]
    kept.sort(key=lambda item: (-item[1].last, item[0]))
    return len(kept), [
        ConversationSummary(s, when(o.first), when(o.last), o.messages, o.up, o.down, o.comments)
        for s, o in kept[offset : offset + limit]
    ]


def _user(one: _Seen, intent: str | None, data: dict[str, Any], needle: str) -> None:
    one.messages += 1
    one.channels.add(str(data.get("input_channel") or ""))
    if intent == FEEDBACK_INTENT:
        rated = counted(data)
        one.up += rated.rating == "up"
        one.down += rated.rating == "down"
        one.comments += rated.comment
        return
    one.unanswered |= intent in UNANSWERED_INTENTS
    text = str(data.get("text") or "")
    if needle and not text.startswith("/") and needle in " ".join(fold(text).split()):
        one.text_found = True


def _matches(one: _Seen, filters: Filters, needle: str) -> bool:
    if needle and not one.text_found:
        return False
    if filters.channel == "web" and not one.channels & {"rest", "socketio"}:
        return False
    if filters.channel in ("facebook", "zalo") and filters.channel not in one.channels:
        return False
    outcome = filters.outcome
    return (
        not outcome
        or (outcome == "handoff" and one.handoff)
        or (outcome == "unanswered" and one.unanswered)
        or (outcome == "down" and one.down > 0)
        or (outcome == "rated" and one.up + one.down > 0)
    )
