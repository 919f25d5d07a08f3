"""A person instead of the bot: offered on request, queued for the staff console on acceptance.

Accepting pauses the conversation (Rasa's own ``ConversationPaused``): Rasa keeps logging the citizen's
messages but predicts nothing, so the bot stays quiet while a civil servant answers from the console
(api/staff/handoff*.py); the console resumes it when it hands the conversation back. The queue is the
tracker itself: a conversation whose last pause is not followed by a resume is waiting or taken.
Outside duty hours (actions/duty.py) the citizen gets the hotline as a ``tel:`` link and the portal.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.duty import duty_hours
from actions.settings import Settings

ACCEPT_PAYLOAD = "/handoff_accept"
CALLBACK_BUTTON = {"title": "Đề nghị gọi lại", "payload": "/callback_request"}
# Read by the portal widget (web/widget/transport.js): it starts fetching the staff's replies. Zalo and
# Messenger never show custom payloads (bot/channels/shaped_output.py).
WAITING_MARKER = {"handoff": "waiting"}


def _hotline(settings: Settings) -> dict[str, str]:
    # The hotline as a tel: link: one tap dials it on a phone (the widget and messengers render the link).
    tel = "".join(ch for ch in settings.hotline if ch.isdigit() or ch == "+")
    return {"hotline": settings.hotline, "hotline_tel": tel, "portal_home": settings.portal_home}


def utter_off_duty(dispatcher: CollectingDispatcher, settings: Settings) -> None:
    """Nobody on duty: the hours, the hotline, the portal, and a call-back on request (actions/callback.py)."""
    hours = duty_hours(settings.handoff_hours)
    dispatcher.utter_message(
        response="utter_handoff_off_duty", duty_hours=hours.label(), buttons=[CALLBACK_BUTTON], **_hotline(settings)
    )


def utter_handoff(dispatcher: CollectingDispatcher) -> None:
    """Offer a person: a chat with staff while they are on duty, the hotline in any case."""
    settings = Settings.from_env()
    if not duty_hours(settings.handoff_hours).on_duty():
        utter_off_duty(dispatcher, settings)
        return
    buttons = [{"title": "Chat với cán bộ", "payload": ACCEPT_PAYLOAD}]
    dispatcher.utter_message(response="utter_handoff_offer", buttons=buttons, **_hotline(settings))


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        utter_handoff(dispatcher)
        return []


class ActionHandoffAccept(Action):
    """The citizen accepted the offer: queue the conversation for staff, or say nobody is on duty now."""

    def name(self) -> str:
        return "action_handoff_accept"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = Settings.from_env()
        if not duty_hours(settings.handoff_hours).on_duty():  # the offer was made before the desk closed
            utter_off_duty(dispatcher, settings)
            return []
        dispatcher.utter_message(response="utter_handoff_queued", **_hotline(settings))
        dispatcher.utter_message(json_message=WAITING_MARKER)
        return [ConversationPaused()]
