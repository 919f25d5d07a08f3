"""The hand-off queue as the tracker store holds it: conversations waiting for, or taken by, a civil servant.

The state lives in Rasa's tracker (bot/channels/handoff.py): a pause not followed by a resume is a
hand-off; the ``handoff_staff`` slot names who took it. Reading it here keeps the console read-only on
conversations: taking, replying and handing back go through Rasa (api/staff/rasa_client.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from api.staff.transcripts import STAFF_SENDER_PREFIX, VIETNAM, TrackerReader, Turn, event_data, events, when
from common.handoff import STAFF_SLOT

CHANNEL_LABELS = {
    "rest": "Cổng (widget)",
    "socketio": "Cổng (widget)",
    "facebook": "Messenger",
    "zalo": "Zalo",
}
LAST_TURNS = 6


@dataclass
class Handoff:
    sender_id: str
    since: datetime  # when the citizen accepted the offer
    staff: str | None = None  # who took it; None: waiting
    channel: str = ""
    last_turns: list[Turn] = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        return self.staff is None

    def waited(self, now: datetime | None = None) -> str:
        """How long since the citizen asked, as staff read it: "3 phút", "1 giờ 5 phút"."""
        seconds = max(0, int(((now or datetime.now(VIETNAM)) - self.since).total_seconds()))
        hours, minutes = divmod(seconds // 60, 60)
        if hours:
            return f"{hours} giờ {minutes} phút"
        return f"{minutes} phút" if minutes else f"{seconds} giây"

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel or "không rõ")


def _handoffs(reader: TrackerReader, where: Any) -> dict[str, Handoff]:
    query = (
        select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(
            where,
            or_(
                events.c.type_name.in_(("pause", "resume")),
                (events.c.type_name == "slot") & events.c.data.contains(STAFF_SLOT),
            ),
        )
        .order_by(events.c.id)
    )
    found: dict[str, Handoff] = {}
    for sender, type_name, timestamp, raw in reader.stream(query):
        if type_name == "pause":
            found[sender] = Handoff(sender, when(timestamp))
        elif type_name == "resume":
            found.pop(sender, None)
        elif sender in found and event_data(raw).get("name") == STAFF_SLOT:
            found[sender].staff = event_data(raw).get("value") or None
    for handoff in found.values():
        turns = reader.transcript(handoff.sender_id)
        handoff.last_turns = [t for t in turns if t.kind != "session"][-LAST_TURNS:]
        handoff.channel = _latest_channel(reader, handoff.sender_id)
    return found


def open_handoffs(reader: TrackerReader, *, days: int = 7) -> list[Handoff]:
    """Hand-offs not handed back yet, oldest waiting first (the citizen who asked first is served first)."""
    since = (datetime.now(VIETNAM) - timedelta(days=days)).timestamp()
    citizens = ~events.c.sender_id.startswith(STAFF_SENDER_PREFIX, autoescape=True)
    found = _handoffs(reader, (events.c.timestamp >= since) & citizens)
    return sorted(found.values(), key=lambda h: (not h.waiting, h.since))


def handoff_of(reader: TrackerReader, sender_id: str) -> Handoff | None:
    """The open hand-off of one conversation, or None when the bot has it."""
    return _handoffs(reader, events.c.sender_id == sender_id).get(sender_id)


def _latest_channel(reader: TrackerReader, sender_id: str) -> str:
    query = (
        select(events.c.data)
        .where(events.c.sender_id == sender_id, events.c.type_name == "user")
        .order_by(events.c.id.desc())
        .limit(1)
    )
    rows = list(reader.stream(query))
    return str(event_data(rows[0][0]).get("input_channel") or "") if rows else ""
