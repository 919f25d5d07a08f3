"""The audit log: who did what to which thing, and when; shown newest first on the «Nhật ký» page.

``action`` is a short Vietnamese phrase shown as is ("tạo tài khoản", "gán thủ tục", "áp dụng sửa lỗi",
"nhận hội thoại"…); ``target`` names the thing acted on; ``detail`` says the rest. Text is masked
(knowledge/privacy.py) before it is stored: a citizen's question may hold a phone or ID number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from api.staff.db import StaffDatabase, audit_log, now
from api.staff.transcripts import VIETNAM
from api.staff.users import StaffUser
from knowledge.privacy import mask_pii

MAX_TEXT = 2000


@dataclass(frozen=True)
class AuditEntry:
    at: datetime  # Vietnam time
    actor: str  # username, or «hệ thống»
    actor_name: str
    action: str
    target: str
    detail: str


def _text(value: Any, limit: int) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return mask_pii(text)[:limit]


def record(db: StaffDatabase, actor: StaffUser | str, action: str, target: str, detail: Any = "") -> None:
    """Append one entry; ``detail`` may be text or anything JSON can write (a dict of what changed)."""
    username, name = (actor.username, actor.name) if isinstance(actor, StaffUser) else (actor, actor)
    values = {
        "at": now(),
        "actor": username[:64],
        "actor_name": name[:200],
        "action": action[:100],
        "target": _text(target, 500),
        "detail": _text(detail, MAX_TEXT),
    }
    with db.engine.begin() as conn:
        conn.execute(insert(audit_log).values(**values))


def entries(db: StaffDatabase, limit: int, offset: int = 0, target: str | None = None) -> tuple[int, list[AuditEntry]]:
    """The total count and one page of entries, newest first (optionally only those about ``target``)."""
    where = [audit_log.c.target == target] if target is not None else []
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log).where(*where)).scalar_one()
        rows = conn.execute(
            select(audit_log)
            .where(*where)
            .order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    page = [
        AuditEntry(
            datetime.fromtimestamp(row.at, VIETNAM), row.actor, row.actor_name, row.action, row.target, row.detail
        )
        for row in rows
    ]
    return int(total), page
