"""'Dữ liệu cập nhật khi nào?': the catalog's build date and each source's date, from its manifest."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog_client import CatalogClient, CatalogUnavailable
from actions.settings import Settings
from actions.stats import day_month_year

logger = logging.getLogger(__name__)


def sources_text(sources: list[dict[str, Any]]) -> str:
    """One line per source label, with its data month(s): "- Cổng DVCQG: dữ liệu 07/2026"."""
    months: dict[str, list[str]] = {}
    for source in sources:
        date = str(source.get("date") or "")
        month = f"{date[5:7]}/{date[:4]}" if len(date) >= 7 else "không rõ"
        found = months.setdefault(str(source.get("label") or source.get("name")), [])
        if month not in found:
            found.append(month)
    return "\n".join(f"- {label}: dữ liệu {', '.join(sorted(found))}" for label, found in months.items())


class ActionDataDate(Action):
    def name(self) -> str:
        return "action_data_date"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = Settings.from_env()
        try:
            async with CatalogClient(settings) as catalog:
                info = await asyncio.wait_for(catalog.catalog_info(), settings.action_budget_s)
        except (CatalogUnavailable, asyncio.TimeoutError) as exc:
            logger.warning("catalog unavailable for its date: %r", exc)
            dispatcher.utter_message(response="utter_catalog_unavailable", portal_home=settings.portal_home)
            return []
        dispatcher.utter_message(
            response="utter_data_date",
            build_date=day_month_year(str(info.get("build_date") or "")),
            total=f"{int(info.get('total') or 0):,}".replace(",", "."),
            sources=sources_text(info.get("sources") or []),
            portal_home=settings.portal_home,
        )
        return []
