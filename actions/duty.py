"""When civil servants are on duty to take a conversation over (``HANDOFF_HOURS``).

The value reads the way an office posts its hours: ``"T2-T6 07:30-11:30,13:00-17:00"`` (Vietnamese day
names, T2 = Monday … T7 = Saturday, CN = Sunday), in Vietnam's time; ``"always"`` or ``"never"`` for a
round-the-clock desk or none at all. A value that does not parse means nobody is on duty (the citizen
gets the hotline) and is logged once, rather than a hand-off to a queue nobody watches.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache

logger = logging.getLogger(__name__)

VIETNAM = timezone(timedelta(hours=7))
DEFAULT_HOURS = "T2-T6 07:30-11:30,13:00-17:00"
DAY_NUMBERS = {"T2": 0, "T3": 1, "T4": 2, "T5": 3, "T6": 4, "T7": 5, "CN": 6}
DAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
_SPEC = re.compile(r"^(T[2-7]|CN)(?:-(T[2-7]|CN))?\s+(\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*)$")


class BadDutyHours(ValueError):
    """``HANDOFF_HOURS`` does not parse; the message shows the expected form."""


@dataclass(frozen=True)
class DutyHours:
    days: frozenset[int]
    spans: tuple[tuple[time, time], ...]

    def on_duty(self, now: datetime | None = None) -> bool:
        local = (now or datetime.now(VIETNAM)).astimezone(VIETNAM)
        if local.weekday() not in self.days:
            return False
        return any(start <= local.time() < end for start, end in self.spans)

    def label(self) -> str:
        """The hours as a citizen reads them: "Thứ Hai – Thứ Sáu, 07:30–11:30 và 13:00–17:00"."""
        if not self.days or not self.spans:
            return "hiện chưa có giờ trực"
        days = sorted(self.days)
        if days == list(range(7)):
            named = "tất cả các ngày"
        elif days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
            named = f"{DAY_NAMES[days[0]]} – {DAY_NAMES[days[-1]]}"
        else:
            named = ", ".join(DAY_NAMES[d] for d in days)
        spans = " và ".join(f"{a:%H:%M}–{b:%H:%M}" if b != time.max else f"{a:%H:%M}–24:00" for a, b in self.spans)
        return f"{named}, {spans}"


def _clock(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


@lru_cache(maxsize=8)
def parse(value: str) -> DutyHours:
    text = " ".join(value.strip().upper().split())
    if text == "ALWAYS":
        return DutyHours(frozenset(range(7)), ((time(0, 0), time.max),))
    if text == "NEVER":
        return DutyHours(frozenset(), ())
    match = _SPEC.match(text)
    if not match:
        raise BadDutyHours(f"HANDOFF_HOURS={value!r} không đúng dạng: ví dụ «{DEFAULT_HOURS}», «always» hoặc «never».")
    first, last = DAY_NUMBERS[match[1]], DAY_NUMBERS[match[2] or match[1]]
    if last < first:
        raise BadDutyHours(f"HANDOFF_HOURS={value!r}: ngày đầu phải trước ngày cuối (ví dụ T2-T6).")
    spans = []
    for span in match[3].split(","):
        start, end = (_clock(part) for part in span.split("-"))
        if not start < end:
            raise BadDutyHours(f"HANDOFF_HOURS={value!r}: giờ bắt đầu phải trước giờ kết thúc ({span}).")
        spans.append((start, end))
    return DutyHours(frozenset(range(first, last + 1)), tuple(spans))


def duty_hours(value: str) -> DutyHours:
    try:
        return parse(value)
    except (BadDutyHours, ValueError) as exc:
        logger.error("%s Nobody is treated as on duty.", exc)
        return DutyHours(frozenset(), ())
