"""Answer a question about one attribute of a procedure (documents, fee, time, online, …)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.catalog_client import CatalogClient, CatalogUnavailable, Procedure, ProcedureNotFound
from actions.resolve import choice_buttons, resolve_procedure
from actions.settings import Settings

logger = logging.getLogger(__name__)

# attribute → (template, template variable, renderer); "online" is handled apart.
RENDERERS: dict[str, tuple[str, str, Callable[[Procedure], str | None]]] = {
    "documents": ("utter_answer_documents", "documents", render.documents),
    "fee": ("utter_answer_fee", "fees", render.fees),
    "processing_time": ("utter_answer_processing_time", "times", render.processing_times),
    "where_to_submit": ("utter_answer_where_to_submit", "where", render.where_to_submit),
    "steps": ("utter_answer_steps", "steps", render.steps),
    "conditions": ("utter_answer_conditions", "conditions", render.conditions),
    "result": ("utter_answer_result", "results", render.results),
    "legal_basis": ("utter_answer_legal_basis", "legal_basis", render.legal_basis),
    "forms": ("utter_answer_forms", "forms", render.forms),
}


def requested_attribute(tracker: Tracker) -> str:
    """The attribute asked by the latest intent; after a button or a "yes", the one asked before."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in render.INTENT_ATTRIBUTES:
        return render.INTENT_ATTRIBUTES[intent]
    return tracker.get_slot("requested_attribute") or "overview"


def utter_record(dispatcher: CollectingDispatcher, record: Procedure, attribute: str, settings: Settings) -> None:
    """Utter the answer about ``attribute`` of ``record``; every answer names the procedure and code."""
    common: dict[str, Any] = {
        "procedure_name": record.get("name") or "",
        "procedure_code": record.get("code") or "",
        "portal_url": record.get("portal_url") or settings.portal_home,
    }
    if attribute == "online":
        level = render.online_level(record)
        how = render.methods(record) or "xem trang thủ tục"
        dispatcher.utter_message(response=f"utter_answer_online_{level}", methods=how, **common)
        return
    if attribute == "overview":
        summary = render.ONLINE_SUMMARY.get(render.online_level(record), render.ONLINE_SUMMARY["unknown"])
        dispatcher.utter_message(
            response="utter_answer_overview", online=summary, agency=render.agency(record), **common
        )
        return
    template, variable, renderer = RENDERERS[attribute]
    text = renderer(record)
    if text is None:
        label = render.ATTRIBUTE_LABELS[attribute]
        dispatcher.utter_message(response="utter_field_missing", attribute_label=label, **common)
        return
    dispatcher.utter_message(response=template, **{variable: text}, **common)


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = Settings.from_env()
        attribute = requested_attribute(tracker)
        try:
            return await asyncio.wait_for(
                self._answer(dispatcher, tracker, attribute, settings), settings.action_budget_s
            )
        except (CatalogUnavailable, asyncio.TimeoutError) as exc:
            logger.warning("catalog unavailable while answering %s: %r", attribute, exc)
            dispatcher.utter_message(response="utter_catalog_unavailable", portal_home=settings.portal_home)
            return []

    async def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, attribute: str, settings: Settings
    ) -> list[EventType]:
        async with CatalogClient(settings) as catalog:
            found = await resolve_procedure(catalog, tracker, settings.ambiguity_margin)
            if found.choices:
                dispatcher.utter_message(response="utter_choose_procedure", buttons=choice_buttons(found.choices))
                return [SlotSet("requested_attribute", attribute)]
            if not found.code:
                response = "utter_procedure_not_found" if found.searched else "utter_ask_which_procedure"
                dispatcher.utter_message(response=response, portal_home=settings.portal_home)
                return [SlotSet("requested_attribute", attribute)]
            try:
                record = await catalog.procedure(found.code)
            except ProcedureNotFound:
                dispatcher.utter_message(response="utter_procedure_not_found", portal_home=settings.portal_home)
                return [SlotSet("procedure_code", None), SlotSet("procedure_name", None)]
        utter_record(dispatcher, record, attribute, settings)
        return [
            SlotSet("procedure_code", record.get("code")),
            SlotSet("procedure_name", record.get("name")),
            SlotSet("requested_attribute", None),
        ]
