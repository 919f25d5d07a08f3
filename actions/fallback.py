"""Low confidence: one clarifying question, then the hand-off; and the hand-off on request."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.settings import Settings

FALLBACK_INTENT = "nlu_fallback"
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


def utter_handoff(dispatcher: CollectingDispatcher) -> None:
    settings = Settings.from_env()
    # The hotline as a tel: link: one tap dials it on a phone (the widget and messengers render the link).
    tel = "".join(ch for ch in settings.hotline if ch.isdigit() or ch == "+")
    dispatcher.utter_message(
        response="utter_handoff", hotline=settings.hotline, hotline_tel=tel, portal_home=settings.portal_home
    )


class ActionClarifyOrHandoff(Action):
    def name(self) -> str:
        return NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if already_clarified(tracker):
            utter_handoff(dispatcher)
        else:
            dispatcher.utter_message(response="utter_clarify")
        return []


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        utter_handoff(dispatcher)
        return []
