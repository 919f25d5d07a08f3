"""«Áp dụng»: pending corrections go live in the running search, then their questions are asked again.

Procedure wordings are encoded with the running search's own encoder (only the ones it does not hold
yet) into a new overlay that replaces the old one in one assignment (index/corrections.py): the next
``/search`` and the bot's next answer use it, with no restart. Other replicas of the API (the scale-out
profile) notice the change within ``SYNC_EVERY_S`` (``sync``, called by the search route). Intent
corrections wait for the next `make train` (api/staff/corrections_export.py); their re-check says so.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from api.staff import corrections as store
from api.staff.batch import codes_in_reply
from api.staff.db import StaffDatabase
from api.staff.rasa_client import RasaClient, RasaUnavailable
from api.staff.users import StaffUser
from index.corrections import CorrectionOverlay
from index.search_service import SearchService

SYNC_EVERY_S = 5.0
log = logging.getLogger(__name__)
_rebuild = threading.Lock()  # one overlay built at a time; searches keep reading the old one meanwhile


@dataclass(frozen=True)
class Check:
    correction: store.Correction
    passed: bool | None  # None: could not be checked (Rasa down), or waits for a retraining
    detail: str


def load_overlay(search: SearchService, db: StaffDatabase) -> CorrectionOverlay:
    """Build the overlay from the applied wordings and swap it into ``search``; returns it."""
    with _rebuild:
        wordings, _ = store.applied_wordings(db)
        generation = store.generation(db)
        overlay = CorrectionOverlay.build(search.searcher, wordings, search.corrections, generation)
        search.corrections = overlay
    return overlay


def apply_pending(search: SearchService | None, db: StaffDatabase, user: StaffUser) -> list[store.Correction]:
    """Mark every pending correction applied and reload the search's overlay (blocking: run it in a thread)."""
    pending = store.current(db, pending=True)
    if not pending:
        return []
    store.mark_applied(db, [c.id for c in pending], user)
    if search is not None:
        load_overlay(search, db)
    return [store.get(db, c.id) or c for c in pending]


class Sync:
    """Reloads the overlay when the database says corrections changed, at most every ``SYNC_EVERY_S``."""

    def __init__(self, search: SearchService, db: StaffDatabase) -> None:
        self.search, self.db, self._next = search, db, 0.0

    def __call__(self) -> None:
        if time.monotonic() < self._next:
            return
        self._next = time.monotonic() + SYNC_EVERY_S
        current = self.search.corrections
        try:
            if current is None or store.generation(self.db) != current.generation:
                load_overlay(self.search, self.db)
        except SQLAlchemyError as exc:  # the search goes on with the corrections it has
            log.warning("corrections not reloaded, the staff database is unavailable: %s", exc)


async def recheck(items: list[store.Correction], rasa: RasaClient, db: StaffDatabase, timeout_s: float) -> list[Check]:
    """Ask each corrected question again, each in a fresh console conversation, and record the outcome."""
    checks = await asyncio.gather(*(_check(item, rasa, timeout_s) for item in items))
    for check in checks:
        await asyncio.to_thread(store.record_check, db, check.correction.id, check.passed, check.detail)
    return list(checks)


async def _check(item: store.Correction, rasa: RasaClient, timeout_s: float) -> Check:
    try:
        if item.kind == store.INTENT:
            parsed = await asyncio.wait_for(rasa.parse(item.question), timeout=timeout_s)
            got = parsed["intent"]["name"]
            if got == item.intent:
                return Check(item, True, f"NLU nhận đúng ý định «{got}».")
            return Check(item, None, f"NLU còn nhận ý định «{got}»: có hiệu lực sau lần huấn luyện lại (make train).")
        sender = f"staff-fix-{item.id}-{secrets.token_hex(4)}"
        codes = codes_in_reply(await asyncio.wait_for(rasa.say(sender, item.question), timeout=timeout_s))
    except (TimeoutError, asyncio.TimeoutError):
        return Check(item, None, f"Bot không trả lời trong {timeout_s:g} giây.")
    except RasaUnavailable as exc:
        return Check(item, None, str(exc))
    if codes and codes[0] == item.code:
        return Check(item, True, f"Bot trả lời đúng thủ tục mã {item.code}.")
    said = f"bot nêu mã {', '.join(codes[:3])}" if codes else "bot không nêu thủ tục nào"
    return Check(item, False, f"Chưa đạt: {said}, cần mã {item.code}.")
