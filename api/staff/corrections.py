"""Corrections staff make where the assistant failed, kept in the staff database with who and when.

A correction says that a citizen's wording means a procedure (kind ``procedure``: a code of the catalog;
the search answers it, index/corrections.py) or a dialogue act (kind ``intent``: one of domain.yml's
intents; an NLU example for the next `make train`). It is pending until «Áp dụng»
(api/staff/corrections_apply.py). A new correction of the same wording retires the one before it.
Wordings are stored masked (knowledge/privacy.py): a question may carry a phone or ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Row, func, insert, select, update

from api.staff.db import StaffDatabase, corrections, now
from api.staff.transcripts import VIETNAM
from api.staff.users import StaffUser
from api.store import CatalogStore
from index.corrections import wording_key
from knowledge.privacy import mask_pii
from vitext.normalize import normalize

PROCEDURE, INTENT = "procedure", "intent"
SOURCES = {
    "unanswered": "câu hỏi chưa trả lời được",
    "report": "báo cáo chạy hàng loạt",
    "transcript": "hội thoại",
    "inspect": "kiểm tra câu hỏi",
    "console": "nhập tay",
}
MAX_QUESTION = 500
INTENT_LABELS = {
    "greet": "chào hỏi",
    "goodbye": "tạm biệt",
    "thanks": "cảm ơn",
    "affirm": "đồng ý",
    "deny": "không đồng ý",
    "bot_challenge": "hỏi có phải máy trả lời",
    "out_of_scope": "ngoài phạm vi",
    "ask_human": "muốn gặp cán bộ",
    "find_procedure": "tìm thủ tục",
    "ask_stats": "hỏi số liệu thống kê",
    "ask_data_date": "hỏi dữ liệu cập nhật khi nào",
    "choose_procedure": "chọn thủ tục trong danh sách",
    "ask_documents": "hỏi hồ sơ, giấy tờ",
    "ask_fee": "hỏi phí, lệ phí",
    "ask_processing_time": "hỏi thời gian giải quyết",
    "ask_online": "hỏi làm trực tuyến được không",
    "ask_where_to_submit": "hỏi nộp ở đâu",
    "ask_steps": "hỏi các bước thực hiện",
    "ask_conditions": "hỏi điều kiện",
    "ask_result": "hỏi kết quả nhận được",
    "ask_legal_basis": "hỏi căn cứ pháp lý",
    "ask_forms": "hỏi mẫu đơn, tờ khai",
}
DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
# Intents no citizen wording should be taught as: the bot's own button payloads and Rasa's fallback.
NOT_TEACHABLE = frozenset({"nlu_fallback", "feedback"})


class CorrectionError(ValueError):
    """A correction that cannot be stored; the message (Vietnamese) says what to fix."""


@dataclass(frozen=True)
class Correction:
    id: int
    kind: str
    question: str
    code: str | None
    intent: str | None
    source: str
    source_ref: str
    created_at: datetime
    created_by: str
    applied_at: datetime | None
    applied_by: str | None
    checked_at: datetime | None
    check_passed: bool | None
    check_detail: str | None

    @property
    def target(self) -> str:
        return f"mã {self.code}" if self.kind == PROCEDURE else f"ý định {self.intent}"


@lru_cache
def domain_intents(path: Path = DOMAIN) -> tuple[str, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names = [i if isinstance(i, str) else next(iter(i)) for i in data.get("intents") or []]
    return tuple(sorted(n for n in names if n not in NOT_TEACHABLE))


def _time(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, VIETNAM) if value is not None else None


def _correction(row: Row[Any]) -> Correction:
    return Correction(
        row.id,
        row.kind,
        row.question,
        row.code,
        row.intent,
        row.source,
        row.source_ref,
        datetime.fromtimestamp(row.created_at, VIETNAM),
        row.created_by,
        _time(row.applied_at),
        row.applied_by,
        _time(row.checked_at),
        row.check_passed,
        row.check_detail,
    )


def clean_question(question: str) -> str:
    text = mask_pii(normalize(question))
    if not text or len(text) > MAX_QUESTION or not wording_key(text):
        raise CorrectionError(f"Nhập câu hỏi của người dân (1–{MAX_QUESTION} ký tự, có chữ).")
    return text


def add(
    db: StaffDatabase,
    store: CatalogStore,
    user: StaffUser,
    question: str,
    *,
    code: str = "",
    intent: str = "",
    source: str = "console",
    source_ref: str = "",
) -> Correction:
    """Store one correction (pending); exactly one of ``code`` (checked against the catalog) or ``intent``."""
    text, code, intent = clean_question(question), code.strip(), intent.strip()
    if bool(code) == bool(intent):
        raise CorrectionError("Chọn một trong hai: mã thủ tục đúng, hoặc ý định đúng.")
    if code and store.get(code) is None:
        raise CorrectionError(f"Không có thủ tục mã «{code[:64]}» trong danh mục.")
    if intent and intent not in domain_intents():
        raise CorrectionError(f"Ý định «{intent[:100]}» không có trong domain.yml.")
    kind = PROCEDURE if code else INTENT
    key = wording_key(text)
    values = {
        "kind": kind,
        "question": text,
        "question_key": key,
        "code": code or None,
        "intent": intent or None,
        "source": source if source in SOURCES else "console",
        "source_ref": mask_pii(source_ref)[:300],
        "created_at": now(),
        "created_by": user.username,
    }
    with db.engine.begin() as conn:
        conn.execute(
            update(corrections)
            .where(corrections.c.kind == kind, corrections.c.question_key == key, corrections.c.retired_at.is_(None))
            .values(retired_at=values["created_at"])
        )
        new_id = conn.execute(insert(corrections).values(**values)).inserted_primary_key[0]  # type: ignore[index]
    found = get(db, int(new_id))
    assert found is not None
    return found


def get(db: StaffDatabase, correction_id: int) -> Correction | None:
    with db.engine.connect() as conn:
        row = conn.execute(select(corrections).where(corrections.c.id == correction_id)).first()
    return _correction(row) if row is not None else None


def current(db: StaffDatabase, *, pending: bool | None = None, kind: str | None = None) -> list[Correction]:
    """The corrections in force (not retired), newest first; ``pending``: only those not yet applied (or only
    applied ones when False)."""
    query = select(corrections).where(corrections.c.retired_at.is_(None))
    if pending is not None:
        query = query.where(corrections.c.applied_at.is_(None) if pending else corrections.c.applied_at.is_not(None))
    if kind is not None:
        query = query.where(corrections.c.kind == kind)
    with db.engine.connect() as conn:
        rows = conn.execute(query.order_by(corrections.c.created_at.desc(), corrections.c.id.desc())).all()
    return [_correction(row) for row in rows]


def applied_wordings(db: StaffDatabase) -> tuple[list[tuple[str, str]], float]:
    """(wording, code) of every applied procedure correction in force, oldest first, and when the newest
    was applied (replicas compare it to know whether their search is current)."""
    query = (
        select(corrections.c.question, corrections.c.code, corrections.c.applied_at)
        .where(
            corrections.c.kind == PROCEDURE,
            corrections.c.retired_at.is_(None),
            corrections.c.applied_at.is_not(None),
        )
        .order_by(corrections.c.applied_at, corrections.c.id)
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [(r.question, r.code) for r in rows], max((r.applied_at for r in rows), default=0.0)


def generation(db: StaffDatabase) -> float:
    """When procedure corrections last changed in force (applied or retired): cheap to ask on every search."""
    with db.engine.connect() as conn:
        applied = conn.execute(
            select(func.max(corrections.c.applied_at)).where(corrections.c.kind == PROCEDURE)
        ).scalar()
        retired = conn.execute(
            select(func.max(corrections.c.retired_at)).where(
                corrections.c.kind == PROCEDURE, corrections.c.applied_at.is_not(None)
            )
        ).scalar()
    return max(applied or 0.0, retired or 0.0)


def mark_applied(db: StaffDatabase, ids: list[int], user: StaffUser) -> float:
    at = now()
    with db.engine.begin() as conn:
        conn.execute(
            update(corrections).where(corrections.c.id.in_(ids)).values(applied_at=at, applied_by=user.username)
        )
    return at


def record_check(db: StaffDatabase, correction_id: int, passed: bool | None, detail: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            update(corrections)
            .where(corrections.c.id == correction_id)
            .values(checked_at=now(), check_passed=passed, check_detail=mask_pii(detail)[:500])
        )


def withdraw(db: StaffDatabase, correction_id: int) -> Correction:
    with db.engine.begin() as conn:
        conn.execute(
            update(corrections)
            .where(corrections.c.id == correction_id, corrections.c.retired_at.is_(None))
            .values(retired_at=now())
        )
    found = get(db, correction_id)
    if found is None:
        raise CorrectionError("Không có sửa lỗi này.")
    return found
