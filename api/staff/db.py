"""The console's own database: staff accounts, the audit log, corrections (and whatever else staff write).

One MetaData and one engine, separate from the read-only tracker store (api/staff/transcripts.py) and the
catalog store: SQLite file ``var/staff.db`` by default (created owner-only: it holds password hashes),
PostgreSQL in the scale-out profile (``STAFF_DATABASE_URL``). Another module adds a table by defining it on
``metadata`` and calling ``StaffDatabase.ensure(table)`` (or being imported before ``open``).

Times are stored as seconds since the epoch (UTC): SQLite has no time zone type, and pages show them in
Vietnam time.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

metadata = MetaData()

users = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(32), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", Float, nullable=False),
    Column("created_by", String(64), nullable=False),
)

audit_log = Table(
    "staff_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("actor_name", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("target", String(500), nullable=False),
    Column("detail", Text, nullable=False),
)

# Corrections staff make to answers (api/staff/corrections.py): a citizen's wording that means a procedure
# (kind "procedure", code) or a dialogue act (kind "intent", intent). Pending until «Áp dụng» (applied_at);
# a later correction of the same wording retires the earlier one (retired_at), which stays for the record.
corrections = Table(
    "staff_corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("question", String(500), nullable=False),
    Column("question_key", String(500), nullable=False, index=True),  # accent-folded, for exact matching
    Column("code", String(64)),
    Column("intent", String(100)),
    Column("source", String(32), nullable=False),
    Column("source_ref", String(300), nullable=False, default=""),
    Column("created_at", Float, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("applied_at", Float),
    Column("applied_by", String(64)),
    Column("retired_at", Float),
    Column("checked_at", Float),
    Column("check_passed", Boolean),
    Column("check_detail", String(500)),
)

# Secrets the console generates itself, shared by every replica through the database: the key that signs
# account sessions (a new STAFF_TOKEN must not sign every account out, and the token may be empty).
console_secrets = Table(
    "staff_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)


def _private_sqlite_file(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    path = Path(parsed.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created owner-only before SQLite opens it (SQLite would create it with the umask: often world-readable).
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


@dataclass
class StaffDatabase:
    engine: Engine

    @classmethod
    def open(cls, url: str) -> StaffDatabase:
        _private_sqlite_file(url)
        engine = create_engine(url, pool_pre_ping=True)
        database = cls(engine)
        database.ensure(*metadata.sorted_tables)
        return database

    def ensure(self, *tables: Table) -> None:
        """Create the tables that are missing; replicas starting together may race, and the loser finds them."""
        for table in tables:
            try:
                table.create(self.engine, checkfirst=True)
            except SQLAlchemyError:
                table.create(self.engine, checkfirst=True)

    def secret(self, name: str) -> bytes:
        """A random 32-byte secret kept in the database, created on first use (the same for every replica)."""
        query = select(console_secrets.c.value).where(console_secrets.c.name == name)
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        if value is not None:
            return bytes(value)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(console_secrets).values(name=name, value=secrets.token_bytes(32)))
        except IntegrityError:
            pass  # another replica created it first: read theirs
        with self.engine.connect() as conn:
            return bytes(conn.execute(query).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()


def now() -> float:
    return time.time()
