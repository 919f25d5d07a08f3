"""The bot's reply to a rating or a comment on an answer (common/feedback.py says what they carry).

- The widget thanks in place on the answer it rated, so a rating or a reason that names its answer
  (``message_id``) gets no reply of the bot's own;
- a 👎 from Zalo or Messenger (no id) is thanked with the reasons as quick replies;
- a 👎 right after another 👎 on another answer offers a person: two wrong answers in a row are
  reason enough to stop guessing;
- anything else (a reason clicked in a chat app, a comment typed) is thanked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from common.feedback import FEEDBACK_INTENT, Feedback, feedback_of


def _user_events_of_session(tracker: Tracker) -> Iterator[dict[str, Any]]:
    """The session's user messages, latest first."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return
        if event.get("event") == "user":
            yield event


def _is_feedback(event: dict[str, Any]) -> bool:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name") == FEEDBACK_INTENT


def down_twice(tracker: Tracker, current: Feedback) -> bool:
    """Whether this 👎 follows a 👎 on another answer, with no 👍 between them."""
    if current.rating != "down":
        return False
    asked_since = False  # a question since the previous rating: that rating was on an earlier answer
    for number, event in enumerate(_user_events_of_session(tracker)):
        if number == 0:
            continue  # the message being answered
        if not _is_feedback(event):
            asked_since = True
            continue
        previous = feedback_of((event.get("parse_data") or {}).get("entities"))
        if previous.rating is None:
            continue  # a reason or a comment, not a rating
        if previous.rating != "down":
            return False
        if current.message_id is not None and previous.message_id is not None:
            return current.message_id != previous.message_id
        return asked_since
    return False


class ActionFeedback(Action):
    def name(self) -> str:
        return "action_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        feedback = feedback_of(tracker.latest_message.get("entities"))
        if down_twice(tracker, feedback):
            dispatcher.utter_message(response="utter_feedback_offer_human")
        elif feedback.message_id is not None:
            pass  # the widget has already turned its thumbs into a thank-you on that answer
        elif feedback.rating == "down":
            dispatcher.utter_message(response="utter_feedback_reasons")
        else:
            dispatcher.utter_message(response="utter_feedback")
        return []
