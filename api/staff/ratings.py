"""Which answer a citizen's rating, reason or comment is about, in a conversation read back from the tracker.

The widget names the answer (``message_id``: the timestamp of its bot event, common/feedback.py), so a
rating sits on the answer rated even when it is an older one or comes late. Zalo and Messenger quick
replies name none: they rate the last answer before them. Either way a bot message that replied to
feedback (a thank-you, the reasons, the offer of a person) is never rated: it is not an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from common.feedback import FEEDBACK_INTENT, REASONS, Feedback, feedback_of
from knowledge.privacy import mask_pii

T = TypeVar("T")

RATING_LABELS = {"up": "Hữu ích", "down": "Chưa đúng"}  # the widget's and the chat apps' own words


def reason_label(code: str | None) -> str | None:
    return REASONS.get(code or "")


def parse_feedback(data: Mapping[str, Any]) -> Feedback:
    """The feedback a stored user event carries (its parse data's entities)."""
    return feedback_of((data.get("parse_data") or {}).get("entities"))


def is_feedback(intent: str | None) -> bool:
    return intent == FEEDBACK_INTENT


@dataclass(frozen=True)
class Counted:
    """One feedback message as the conversation list counts it."""

    rating: str | None
    comment: bool  # words of the citizen's own: a comment with a reason, or feedback typed as text


def counted(data: Mapping[str, Any]) -> Counted:
    feedback = parse_feedback(data)
    typed = not str(data.get("text") or "").startswith("/") and feedback.empty
    return Counted(feedback.rating, bool(feedback.comment) or typed)


class Answers(Generic[T]):
    """The bot messages of one conversation a rating may be about, in order, by their event timestamps."""

    def __init__(self) -> None:
        self._answers: list[tuple[float, T]] = []

    def add(self, timestamp: float | None, answer: T) -> None:
        self._answers.append((timestamp or 0.0, answer))

    def rated_by(self, feedback: Feedback) -> T | None:
        """The answer this feedback is about: the one it names, else the last one before it."""
        if feedback.message_id is not None:
            named = [answer for at, answer in self._answers if at == feedback.message_id]
            if named:
                return named[-1]
        return self._answers[-1][1] if self._answers else None


class Rateable(Protocol):
    rating: str | None
    reason: str | None
    comments: list[str]
    rated_at: datetime | None


def rate(answer: Rateable, feedback: Feedback, at: datetime, text: str) -> None:
    """Put one feedback message (sent at ``at``, its ``text`` already masked) on the answer it is about."""
    if feedback.rating:
        answer.rating, answer.rated_at = feedback.rating, at
    answer.reason = reason_label(feedback.reason) or answer.reason
    if feedback.comment:
        answer.comments.append(mask_pii(feedback.comment))
    elif feedback.empty and not text.startswith("/"):
        answer.comments.append(text)  # feedback typed as a message of its own
