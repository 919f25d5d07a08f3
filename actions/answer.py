"""Answer a question about a procedure: which one (actions/resolve.py), then the attribute asked
(documents, fee, time, where, online, …) or an overview; the choices when several fit; an honest
"not found" when none does."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog_client import CatalogClient, CatalogUnavailable, Procedure, ProcedureNotFound
from actions.handoff import utter_handoff
from actions.intents import ACT_REPLIES, ATTRIBUTE_LABELS, INTENT_ATTRIBUTES, classified_intent
from actions.namesakes import MAX_PLACES, differing, place_buttons
from actions.reply import OVERVIEW, compose
from actions.resolve import Offer, Resolution, choice_buttons, latest_entity, resolve_procedure
from actions.settings import Settings

logger = logging.getLogger(__name__)


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def asked_attribute(tracker: Tracker, found: Resolution) -> str:
    """The attribute the latest message asks about; after a button, or a reply to "which procedure?",
    the one asked before; an overview otherwise."""
    intent = _intent(tracker)
    if intent in INTENT_ATTRIBUTES:
        return INTENT_ATTRIBUTES[intent]
    remembered = tracker.get_slot("requested_attribute")
    pending_question = not tracker.get_slot("procedure_code") and not tracker.get_slot("offered")
    if remembered and (found.follow_up or pending_question):
        return str(remembered)
    if intent == "affirm" and tracker.get_slot("answered_attribute") == OVERVIEW:
        return "documents"  # "Bạn muốn biết hồ sơ …?" — "có"
    return OVERVIEW


def attribute_text(record: Procedure, attribute: str) -> str | None:
    """What the citizen reads about ``attribute`` of ``record``, its name, code and sources aside."""
    reply = compose(record, attribute, "")
    if reply.response == "utter_field_missing":
        return None
    skip = {"procedure_name", "procedure_code", "portal_url", "footer"}
    return " | ".join(f"{k}={v}" for k, v in sorted(reply.values.items()) if k not in skip) + reply.response


def utter_record(
    dispatcher: CollectingDispatcher, record: Procedure, attribute: str, settings: Settings, view: str | None = None
) -> None:
    """Utter the answer about ``attribute`` of ``record`` (actions/reply.py composes it); every answer names
    the procedure and its code, links its page and ends with its sources and their dates."""
    reply = compose(record, attribute, settings.portal_home, view)
    dispatcher.utter_message(response=reply.response, buttons=reply.buttons, **reply.values)


def answered(record: Procedure, attribute: str) -> list[EventType]:
    return [
        SlotSet("procedure_code", record.get("code")),
        SlotSet("procedure_name", record.get("name")),
        SlotSet("answered_attribute", attribute),
        SlotSet("requested_attribute", None),
        SlotSet("offered", None),
    ]


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = Settings.from_env()
        if _intent(tracker) == "affirm" and tracker.get_slot("answered_attribute") != OVERVIEW:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        try:
            return await asyncio.wait_for(self._answer(dispatcher, tracker, settings), settings.action_budget_s)
        except (CatalogUnavailable, asyncio.TimeoutError) as exc:
            logger.warning("catalog unavailable while answering: %r", exc)
            dispatcher.utter_message(response="utter_catalog_unavailable", portal_home=settings.portal_home)
            return []

    async def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, settings: Settings) -> list[EventType]:
        async with CatalogClient(settings) as catalog:
            found = await resolve_procedure(catalog, tracker)
            attribute = asked_attribute(tracker, found)
            remembered = None if attribute == OVERVIEW else attribute
            if found.outcome == "choose":
                self._offer(dispatcher, found, attribute)
                return [SlotSet("requested_attribute", remembered), SlotSet("offered", found.choices)]
            if found.outcome == "ask":
                dispatcher.utter_message(response="utter_ask_which_procedure")
                return [SlotSet("requested_attribute", remembered)]
            if found.outcome == "none" or not found.code:
                self._not_found(dispatcher, tracker, settings)
                return [SlotSet("requested_attribute", None), SlotSet("offered", None)]
            try:
                record = await catalog.procedure(found.code)
            except ProcedureNotFound:
                self._not_found(dispatcher, tracker, settings)
                return [SlotSet("procedure_code", None), SlotSet("procedure_name", None), SlotSet("offered", None)]
            places = await differing(catalog, record, found.namesakes, attribute, attribute_text)
        if places:
            self._ask_place(dispatcher, record, places, attribute)
            offers: list[Offer] = [
                {"code": r.get("code") or "", "name": r.get("name") or ""} for r in places[:MAX_PLACES]
            ]
            return [SlotSet("requested_attribute", remembered), SlotSet("offered", offers)]
        utter_record(dispatcher, record, attribute, settings, latest_entity(tracker, "view"))
        if found.alternatives:
            # Not sure enough to answer alone: the other fits, a click away, for the same question.
            dispatcher.utter_message(response="utter_alternatives", buttons=choice_buttons(found.alternatives))
            return [*answered(record, attribute), SlotSet("requested_attribute", remembered)]
        return answered(record, attribute)

    @staticmethod
    def _offer(dispatcher: CollectingDispatcher, found: Resolution, attribute: str) -> None:
        buttons = choice_buttons(found.choices)
        if attribute == OVERVIEW:
            dispatcher.utter_message(response="utter_choose_procedure", buttons=buttons)
        else:
            label = ATTRIBUTE_LABELS[attribute]
            dispatcher.utter_message(response="utter_choose_procedure_for", attribute_label=label, buttons=buttons)

    @staticmethod
    def _ask_place(
        dispatcher: CollectingDispatcher, record: Procedure, places: list[Procedure], attribute: str
    ) -> None:
        dispatcher.utter_message(
            response="utter_choose_place",
            procedure_name=record.get("name") or "",
            count=len(places),
            more=" (các bản khác xem trên Cổng Dịch vụ công)" if len(places) > MAX_PLACES else "",
            attribute_label=ATTRIBUTE_LABELS[attribute] if attribute != OVERVIEW else "cách thực hiện",
            buttons=place_buttons(places),
        )

    @staticmethod
    def _not_found(dispatcher: CollectingDispatcher, tracker: Tracker, settings: Settings) -> None:
        """Nothing in the catalog fits: say so, name no procedure, and say what the assistant does cover;
        a greeting, thanks or chit-chat NLU was unsure of gets its own reply instead."""
        act = classified_intent(tracker.latest_message)
        if act == "ask_human":
            utter_handoff(dispatcher)
            return
        handoff = [{"title": "Gặp cán bộ hỗ trợ", "payload": "/ask_human"}]
        if act in ACT_REPLIES:  # out of scope, like "not found", says where else to look and offers a person
            buttons = handoff if act == "out_of_scope" else []
            dispatcher.utter_message(response=ACT_REPLIES[act], portal_home=settings.portal_home, buttons=buttons)
            return
        dispatcher.utter_message(
            response="utter_procedure_not_found", portal_home=settings.portal_home, buttons=handoff
        )
