"""Find the procedure for a life situation ("tôi mới chuyển nhà", "con mới sinh")."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import utter_record
from actions.catalog_client import CatalogClient, CatalogUnavailable
from actions.resolve import choice_buttons, latest_entity, pick
from actions.settings import Settings
from knowledge.normalize import normalize

logger = logging.getLogger(__name__)
MAX_SUGGESTIONS = 4


class ActionFindProcedure(Action):
    def name(self) -> str:
        return "action_find_procedure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = Settings.from_env()
        try:
            return await asyncio.wait_for(self._find(dispatcher, tracker, settings), settings.action_budget_s)
        except (CatalogUnavailable, asyncio.TimeoutError) as exc:
            logger.warning("catalog unavailable while finding a procedure: %r", exc)
            dispatcher.utter_message(response="utter_catalog_unavailable", portal_home=settings.portal_home)
            return []

    async def _find(self, dispatcher: CollectingDispatcher, tracker: Tracker, settings: Settings) -> list[EventType]:
        query = latest_entity(tracker, "procedure") or normalize(tracker.latest_message.get("text") or "")
        pending = tracker.get_slot("requested_attribute")  # a question asked before the procedure was known
        async with CatalogClient(settings) as catalog:
            hits = await catalog.search(query) if query else []
            found = pick(hits, settings.ambiguity_margin)
            if found.code and pending:
                record = await catalog.procedure(found.code)
                utter_record(dispatcher, record, pending, settings)
                return [
                    SlotSet("procedure_code", record.get("code")),
                    SlotSet("procedure_name", record.get("name")),
                    SlotSet("requested_attribute", None),
                ]
        if not hits:
            dispatcher.utter_message(response="utter_procedure_not_found", portal_home=settings.portal_home)
            return []
        if found.code:
            dispatcher.utter_message(
                response="utter_find_procedure_one",
                procedure_name=found.name,
                procedure_code=found.code,
                portal_url=settings.portal_home,
            )
            return [
                SlotSet("procedure_code", found.code),
                SlotSet("procedure_name", found.name),
                SlotSet("requested_attribute", "documents"),
            ]
        dispatcher.utter_message(response="utter_find_procedure_many", buttons=choice_buttons(hits[:MAX_SUGGESTIONS]))
        return [SlotSet("requested_attribute", None)]
