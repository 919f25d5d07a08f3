"""Low confidence: one clarifying question, then the offer of a person (actions/handoff.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import utter_handoff

NAME = "action_clarify_or_handoff"


def already_clarified(tracker: Tracker) -> bool:
    """Whether the bot's previous turn was this action's clarifying question."""
    seen_current_user_turn = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_current_user_turn:
                return False
            seen_current_user_turn = True
        elif seen_current_user_turn and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name") == NAME
    return False


class ActionClarifyOrHandoff(Action):
    def name(self) -> str:
        return NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if already_clarified(tracker):
            utter_handoff(dispatcher)
        else:
            dispatcher.utter_message(response="utter_clarify")
        return []
