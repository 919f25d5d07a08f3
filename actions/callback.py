"""A call-back request outside duty hours: the citizen's phone number, given with consent, for staff to call.

The number lives in the conversation (slot ``callback_phone``), the one place staff already read; the
console's «Gọi lại» page shows it in full only to staff who call back (role «sửa»), and everywhere else
it is masked like any personal data (knowledge/privacy.py). A message without a number means the
citizen moved on: the form ends and says no request was made, rather than asking forever.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.duty import duty_hours
from actions.settings import Settings
from common.handoff import CALLBACK_SLOT as SLOT
from knowledge.privacy import phone_number
from vitext.normalize import fold

GIVE_UP = {"thoi", "khong", "huy", "khong can", "thoi khong can", "khong muon"}


def masked(phone: str) -> str:
    """What the citizen reads back: enough to recognise their number, not enough to copy it ("0912 *** 678")."""
    return f"{phone[:4]} *** {phone[-3:]}"


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    def validate_callback_phone(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(slot_value or "")
        phone = phone_number(text)
        if phone:
            return {SLOT: phone}
        if fold(text).strip(" .!") in GIVE_UP or not any(ch.isdigit() for ch in text):
            return {SLOT: None, "requested_slot": None}  # no number offered: end the form, nothing kept
        dispatcher.utter_message(response="utter_callback_invalid")
        return {SLOT: None}


class ActionCallbackSaved(Action):
    def name(self) -> str:
        return "action_callback_saved"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        phone = tracker.get_slot(SLOT)
        if not phone:
            dispatcher.utter_message(response="utter_callback_cancelled")
            return []
        hours = duty_hours(Settings.from_env().handoff_hours)
        dispatcher.utter_message(response="utter_callback_saved", phone_masked=masked(phone), duty_hours=hours.label())
        return []
