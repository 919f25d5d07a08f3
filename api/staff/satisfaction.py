"""How satisfied citizens are: the share of 👍 among the answers they rated, per ISO week and per lĩnh vực.

An answer counts once, with its last rating, in the week of that rating. Its lĩnh vực is the field of
the procedure its reply names "(mã X)" in the catalog; a reply naming none ("not found", a greeting)
has its own row. Citizens' conversations only: the console's, the load tests' and the e2e runs' senders
are left out as in the conversation list.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from api.staff.transcripts import EVENT_COLUMNS, VIETNAM, TrackerReader, Turn, build_transcript, events
from common.feedback import FEEDBACK_INTENT
from common.replies import NAMED_CODE_RE

NO_PROCEDURE = "Câu trả lời không nêu thủ tục"
UNKNOWN_FIELD = "Thủ tục không rõ lĩnh vực"


@dataclass
class Tally:
    label: str
    up: int = 0
    down: int = 0
    start: datetime | None = None  # a week's Monday

    @property
    def total(self) -> int:
        return self.up + self.down

    @property
    def share(self) -> float | None:
        """Percent of 👍 among the ratings; None without any."""
        return 100 * self.up / self.total if self.total else None

    def add(self, rating: str) -> None:
        if rating == "up":
            self.up += 1
        else:
            self.down += 1


@dataclass
class Satisfaction:
    since: datetime
    overall: Tally
    weeks: list[Tally]  # every week of the period, the latest first
    fields: list[Tally] = field(default_factory=list)  # the most rated first


def week_start(moment: datetime) -> datetime:
    day = moment.astimezone(VIETNAM).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def week_label(start: datetime) -> str:
    year, week, _ = start.isocalendar()
    end = start + timedelta(days=6)
    return f"Tuần {week:02d}/{year} ({start:%d/%m}–{end:%d/%m})"


def rated_answers(turns: Iterable[Turn]) -> Iterator[tuple[Turn, str | None]]:
    """Each rated bot message with the first procedure code its reply names: the thumbs sit on a reply's
    last message, and the code may be in an earlier one (a list of alternatives comes last)."""
    code: str | None = None
    for turn in turns:
        if turn.kind != "bot":
            code = None
            continue
        if code is None and (match := NAMED_CODE_RE.search(turn.text)):
            code = match.group(1)
        if turn.rating:
            yield turn, code


def rated_conversations(reader: TrackerReader, since: datetime, include_staff: bool) -> Iterator[list[Turn]]:
    """The transcripts of the conversations with feedback since ``since``, whole: an answer rated now may
    be older than that."""
    with_feedback = select(events.c.sender_id).where(
        events.c.intent_name == FEEDBACK_INTENT, events.c.timestamp >= since.timestamp()
    )
    query = (
        select(*EVENT_COLUMNS)
        .where(reader.citizens(include_staff), events.c.sender_id.in_(with_feedback))
        .order_by(events.c.sender_id, events.c.id)
    )
    for _, rows in itertools.groupby(reader.stream(query), key=lambda row: row[0]):
        yield build_transcript(row[1:] for row in rows)


def satisfaction(
    reader: TrackerReader,
    field_of: Callable[[str], str | None],
    *,
    weeks: int,
    now: datetime,
    include_staff: bool = False,
) -> Satisfaction:
    """The last ``weeks`` ISO weeks up to ``now``; ``field_of`` gives a procedure code's lĩnh vực."""
    this_week = week_start(now)
    starts = [this_week - timedelta(weeks=n) for n in range(weeks)]
    by_week = {start: Tally(week_label(start), start=start) for start in starts}
    result = Satisfaction(starts[-1], Tally("Tất cả"), list(by_week.values()))
    by_field: dict[str, Tally] = {}
    fields: dict[str, str] = {}
    for turns in rated_conversations(reader, result.since, include_staff):
        for turn, code in rated_answers(turns):
            if turn.rated_at is None or turn.rated_at < result.since or turn.rating is None:
                continue
            if code is None:
                label = NO_PROCEDURE
            elif code not in fields:
                label = fields[code] = field_of(code) or UNKNOWN_FIELD
            else:
                label = fields[code]
            week = by_week.get(week_start(turn.rated_at))
            if week is None:
                continue  # rated after ``now``
            result.overall.add(turn.rating)
            week.add(turn.rating)
            by_field.setdefault(label, Tally(label)).add(turn.rating)
    result.fields = sorted(by_field.values(), key=lambda t: (-t.total, t.label))
    return result
