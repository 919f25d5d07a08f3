"""Find the procedure for a life situation ("tôi mới chuyển nhà", "con mới sinh")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import utter_record
from actions.catalog_client import CatalogClient, CatalogUnavailable, ProcedureNotFound
from actions.resolve import choice_buttons, latest_entity, pick
from actions.settings import Settings
from knowledge.normalize import normalize

logger = logging.getLogger(__name__)
MAX_SUGGESTIONS = 4
# A life situation usually concerns several procedures: one is proposed alone only when it stands out
# by this much (measured: above a 0.005 gap the first hit was right 86 % of the time, docs/nlu.md).
SITUATION_MARGIN = 0.005


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
            found = pick(hits, max(settings.ambiguity_margin, SITUATION_MARGIN))
            # One procedure stands out: its record gives the portal page every answer links to.
            record = None
            if found.code:
                with contextlib.suppress(ProcedureNotFound):  # an index older than the catalog: offer the list
                    record = await catalog.procedure(found.code)
        if record is not None and pending:
            utter_record(dispatcher, record, pending, settings)
            return [
                SlotSet("procedure_code", record.get("code")),
                SlotSet("procedure_name", record.get("name")),
                SlotSet("requested_attribute", None),
            ]
        if not hits:
            dispatcher.utter_message(response="utter_procedure_not_found", portal_home=settings.portal_home)
            return []
        if record is not None:
            dispatcher.utter_message(
                response="utter_find_procedure_one",
                procedure_name=record.get("name") or found.name,
                procedure_code=record.get("code") or found.code,
                portal_url=record.get("portal_url") or settings.portal_home,
            )
            return [
                SlotSet("procedure_code", record.get("code")),
                SlotSet("procedure_name", record.get("name")),
                SlotSet("requested_attribute", "documents"),
            ]
        dispatcher.utter_message(response="utter_find_procedure_many", buttons=choice_buttons(hits[:MAX_SUGGESTIONS]))
        return [SlotSet("requested_attribute", None)]
