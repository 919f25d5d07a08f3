"""Call-back requests: numbers citizens left outside duty hours (actions/callback.py), and who called back.

The number is the ``callback_phone`` slot in the conversation; "called back" is an audit-log entry
(api/staff/audit.py), so the list needs no table of its own and every call is attributed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from api.staff.db import StaffDatabase, audit_log
from api.staff.transcripts import STAFF_SENDER_PREFIX, VIETNAM, TrackerReader, event_data, events, when
from common.handoff import CALLBACK_SLOT

CALLED_BACK = "đã gọi lại"


@dataclass
class CallbackRequest:
    sender_id: str
    at: datetime
    phone: str
    called_by: str | None = None
    called_at: datetime | None = None


def callback_requests(reader: TrackerReader, db: StaffDatabase, *, days: int = 30) -> list[CallbackRequest]:
    """Requests of the last ``days``, not yet called back first, oldest first within each group."""
    since = (datetime.now(VIETNAM) - timedelta(days=days)).timestamp()
    query = (
        select(events.c.sender_id, events.c.timestamp, events.c.data)
        .where(
            events.c.timestamp >= since,
            events.c.type_name == "slot",
            events.c.data.contains(CALLBACK_SLOT),
            ~events.c.sender_id.startswith(STAFF_SENDER_PREFIX, autoescape=True),
        )
        .order_by(events.c.id)
    )
    latest: dict[str, CallbackRequest | None] = {}
    for sender, timestamp, raw in reader.stream(query):
        data = event_data(raw)
        if data.get("name") != CALLBACK_SLOT:
            continue
        value = str(data.get("value") or "")
        # The form first stores the raw text, then the validated number (digits only) or nothing.
        latest[sender] = CallbackRequest(sender, when(timestamp), value) if value.isdigit() else None
    found = [request for request in latest.values() if request is not None]
    _mark_called(db, found)
    return sorted(found, key=lambda r: (r.called_at is not None, r.at))


def _mark_called(db: StaffDatabase, requests: list[CallbackRequest]) -> None:
    if not requests:
        return
    by_sender = {r.sender_id: r for r in requests}
    query = select(audit_log.c.target, audit_log.c.at, audit_log.c.actor_name).where(
        audit_log.c.action == CALLED_BACK, audit_log.c.target.in_(by_sender)
    )
    with db.engine.connect() as conn:
        for target, at, actor in conn.execute(query):
            request, called = by_sender[target], datetime.fromtimestamp(at, VIETNAM)
            if called >= request.at:  # a call for an earlier request does not answer this one
                request.called_by, request.called_at = actor, called
