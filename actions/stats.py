"""Counts over the catalog ("Bộ Công Thương có bao nhiêu dịch vụ công trực tuyến toàn trình?"), each said
with what it counts and over what (actions/stats_text.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog_client import CatalogClient, CatalogUnavailable
from actions.resolve import latest_entity
from actions.settings import Settings
from actions.stats_text import Filters, field_in, level_in, summary, unapplied_note, unfilterable_in

logger = logging.getLogger(__name__)

VALID_LEVELS = {"toan_trinh", "mot_phan", "none", "unknown"}


def filters_of(tracker: Tracker) -> Filters:
    text = tracker.latest_message.get("text") or ""
    level = latest_entity(tracker, "online_level")
    return Filters(
        agency=latest_entity(tracker, "agency") or latest_entity(tracker, "province"),
        online_level=level if level in VALID_LEVELS else None,
        level=level_in(text),
        field=field_in(text),
        unapplied=unfilterable_in(text),
    )


class ActionStats(Action):
    def name(self) -> str:
        return "action_stats"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = Settings.from_env()
        filters = filters_of(tracker)
        try:
            async with CatalogClient(settings) as catalog:
                # Over what: the same filters without the online level, whose breakdown the answer gives.
                base = await asyncio.wait_for(
                    catalog.stats(agency=filters.agency, field=filters.field, level=filters.level),
                    settings.action_budget_s,
                )
                counted = None
                if filters.online_level:
                    asked = await asyncio.wait_for(
                        catalog.stats(
                            agency=filters.agency,
                            field=filters.field,
                            level=filters.level,
                            online_level=filters.online_level,
                        ),
                        settings.action_budget_s,
                    )
                    counted = asked.get("total") or 0
                info = await asyncio.wait_for(catalog.catalog_info(), settings.action_budget_s)
        except (CatalogUnavailable, asyncio.TimeoutError) as exc:
            logger.warning("catalog unavailable for stats: %r", exc)
            dispatcher.utter_message(response="utter_catalog_unavailable", portal_home=settings.portal_home)
            return []
        if not base.get("total"):
            dispatcher.utter_message(
                response="utter_stats_empty", scope=filters.scope() or "khớp câu hỏi", portal_home=settings.portal_home
            )
            return []
        dispatcher.utter_message(
            response="utter_stats",
            summary=summary(filters, base["total"], base.get("by_online_level") or {}, counted),
            unapplied=unapplied_note(filters),
            build_date=day_month_year(str(info.get("build_date") or "")),
        )
        return []


def day_month_year(iso: str) -> str:
    """ "2026-11-23" → "23/11/2026"."""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso
