"""A citizen's rating of one bot answer, as the widget, Zalo and Messenger send it and the console reads it.

A rating is a user message of intent ``feedback`` whose entities say what it is:

- ``rating``: "up" or "down" (the thumbs);
- ``message_id``: which answer (the widget only): the id the REST channel gave that bot message, made
  from the timestamp of its ``BotUttered`` event, so the console finds the answer in the tracker;
- ``reason``: after a 👎, why (one of ``REASONS``), and ``comment``: the citizen's own words.

Zalo and Messenger quick replies carry no id: they rate the last answer before them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FEEDBACK_INTENT = "feedback"
# Why an answer was not right, in the order the widget and the chat apps offer them.
REASONS = {
    "wrong_procedure": "Sai thủ tục",
    "missing_info": "Thiếu thông tin",
    "hard_to_read": "Khó hiểu",
    "other": "Khác",
}
COMMENT_MAX_CHARS = 500  # the widget's box holds no more; a longer comment is cut where it is read
_RATINGS = {
    "up": "up",
    "down": "down",
    "👍": "up",
    "👎": "down",
    "tốt": "up",
    "tot": "up",
    "không tốt": "down",
    "khong tot": "down",
}


def message_id(timestamp: float) -> str:
    """The id of a bot message: its event's timestamp, written so that float() gives it back exactly."""
    return repr(float(timestamp))


def timestamp_of(identifier: object) -> float | None:
    """The timestamp a message id stands for; None for anything that is not one."""
    if not isinstance(identifier, str | int | float) or isinstance(identifier, bool):
        return None
    try:
        value = float(identifier)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


@dataclass(frozen=True)
class Feedback:
    rating: str | None = None  # "up" | "down"
    message_id: float | None = None  # the rated answer's timestamp
    reason: str | None = None  # a key of REASONS
    comment: str | None = None

    @property
    def empty(self) -> bool:
        return self.rating is None and self.reason is None and not self.comment


def feedback_of(entities: Iterable[Mapping[str, Any]] | None) -> Feedback:
    """What a feedback message's entities say; values that mean nothing are left out."""
    found: dict[str, Any] = {}
    for entity in entities or []:
        name, value = entity.get("entity"), entity.get("value")
        if name == "rating":
            found["rating"] = _RATINGS.get(str(value).strip().lower())
        elif name == "message_id":
            found["message_id"] = timestamp_of(value)
        elif name == "reason" and value in REASONS:
            found["reason"] = value
        elif name == "comment" and isinstance(value, str) and value.strip():
            found["comment"] = " ".join(value.split())[:COMMENT_MAX_CHARS]
    return Feedback(**found)
