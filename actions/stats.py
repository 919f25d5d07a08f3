"""Counts over the catalog ("Bộ Công Thương có bao nhiêu dịch vụ công trực tuyến toàn trình?")."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog_client import CatalogClient, CatalogUnavailable, Stats
from actions.resolve import latest_entity
from actions.settings import Settings

logger = logging.getLogger(__name__)

LEVEL_LABELS = {"toan_trinh": " trực tuyến toàn trình", "mot_phan": " trực tuyến một phần"}
VALID_LEVELS = {"toan_trinh", "mot_phan", "none", "unknown"}


def breakdown(stats: Stats, level: str | None) -> str:
    """ " Trong đó: …" by online level, when the question did not already filter by level."""
    by_level = stats.get("by_online_level") or {}
    if level or not by_level:
        return ""
    parts = [f"{LEVEL_LABELS[k].strip()} {by_level[k]}" for k in ("toan_trinh", "mot_phan") if k in by_level]
    return f" Trong đó: {', '.join(parts)}." if parts else ""


class ActionStats(Action):
    def name(self) -> str:
        return "action_stats"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = Settings.from_env()
        agency = latest_entity(tracker, "agency") or latest_entity(tracker, "province")
        level = latest_entity(tracker, "online_level")
        level = level if level in VALID_LEVELS else None
        try:
            async with CatalogClient(settings) as catalog:
                stats = await asyncio.wait_for(
                    catalog.stats(agency=agency, online_level=level), settings.action_budget_s
                )
        except (CatalogUnavailable, asyncio.TimeoutError) as exc:
            logger.warning("catalog unavailable for stats: %r", exc)
            dispatcher.utter_message(response="utter_catalog_unavailable", portal_home=settings.portal_home)
            return []
        values = {"scope": agency or "toàn bộ danh mục", "level_label": LEVEL_LABELS.get(level or "", "")}
        if not stats.get("total"):
            dispatcher.utter_message(response="utter_stats_empty", portal_home=settings.portal_home, **values)
        else:
            total = f"{stats['total']:,}".replace(",", ".")
            dispatcher.utter_message(response="utter_stats", total=total, breakdown=breakdown(stats, level), **values)
        return []
