"""Named staff accounts: who they are, their role, and their Argon2id password hash.

Roles, each including the ones before it: «xem» reads the console, «sửa» also corrects answers and takes
conversations over, «quản trị» also manages accounts. Scripts and tests that use STAFF_TOKEN act as the
«hệ thống» actor with the administrator's rights (``SYSTEM``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from api.staff.db import StaffDatabase, now, users

VIEW, EDIT, ADMIN = "xem", "sửa", "quản trị"
ROLES = (VIEW, EDIT, ADMIN)
ROLE_LABELS = {VIEW: "xem", EDIT: "sửa (sửa lỗi, nhận hội thoại)", ADMIN: "quản trị (tài khoản)"}
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 200  # Argon2 hashes any length; a megabyte "password" only costs us memory and time
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's RFC 9106 "low memory" defaults
# Verified against when the username is unknown, so that a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no-such-user-dummy-password")


class AccountError(ValueError):
    """A request the accounts cannot take; the message (Vietnamese) is shown as is."""


@dataclass(frozen=True)
class StaffUser:
    id: int | None  # None: the «hệ thống» actor of STAFF_TOKEN
    username: str
    name: str
    role: str
    active: bool = True

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


SYSTEM = StaffUser(None, "hệ thống", "Hệ thống (mã truy cập STAFF_TOKEN)", ADMIN)


def _user(row: Row[Any]) -> StaffUser:
    return StaffUser(row.id, row.username, row.display_name, row.role, bool(row.active))


def check_new(username: str, password: str, role: str) -> None:
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "Tên đăng nhập gồm 2–63 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."
        )
    check_password(password)
    if role not in ROLES:
        raise AccountError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")


def check_password(password: str) -> None:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise AccountError(f"Mật khẩu dài từ {MIN_PASSWORD_CHARS} đến {MAX_PASSWORD_CHARS} ký tự.")


def create(db: StaffDatabase, username: str, name: str, password: str, role: str, created_by: str) -> StaffUser:
    username = username.strip().lower()
    check_new(username, password, role)
    display_name = name.strip()[:200] or username
    values = {
        "username": username,
        "display_name": display_name,
        "password_hash": _hasher.hash(password),
        "role": role,
        "active": True,
        "created_at": now(),
        "created_by": created_by,
    }
    try:
        with db.engine.begin() as conn:
            new_id = conn.execute(insert(users).values(**values)).inserted_primary_key[0]  # type: ignore[index]
    except IntegrityError as exc:
        raise AccountError(f"Tên đăng nhập «{username}» đã có.") from exc
    return StaffUser(int(new_id), username, display_name, role)


def authenticate(db: StaffDatabase, username: str, password: str) -> StaffUser | None:
    """The active account with this username and password, else None (the same time either way)."""
    with db.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username.strip().lower())).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD_CHARS])
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(stored):  # parameters raised since: upgrade it while we hold the password
        with db.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == row.id).values(password_hash=_hasher.hash(password)))
    return _user(row)


def get(db: StaffDatabase, user_id: int) -> tuple[StaffUser, str] | None:
    """The account and its password hash (sessions are signed with it: a new password ends old sessions)."""
    with db.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return (_user(row), row.password_hash) if row is not None else None


def all_users(db: StaffDatabase) -> list[StaffUser]:
    with db.engine.connect() as conn:
        return [_user(row) for row in conn.execute(select(users).order_by(users.c.username))]


def any_active(db: StaffDatabase) -> bool:
    with db.engine.connect() as conn:
        return conn.execute(select(users.c.id).where(users.c.active.is_(True)).limit(1)).first() is not None


def change(db: StaffDatabase, user_id: int, *, active: bool | None = None, role: str | None = None) -> StaffUser:
    values: dict[str, object] = {}
    if active is not None:
        values["active"] = active
    if role is not None:
        if role not in ROLES:
            raise AccountError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
        values["role"] = role
    with db.engine.begin() as conn:
        if values:
            conn.execute(update(users).where(users.c.id == user_id).values(**values))
        row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise AccountError("Không có tài khoản này.")
    return _user(row)


def set_password(db: StaffDatabase, user_id: int, password: str) -> None:
    check_password(password)
    with db.engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id).values(password_hash=_hasher.hash(password)))
