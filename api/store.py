"""The catalog store: one SQL table of procedures, on SQLite by default or PostgreSQL.

Full records are kept as JSON beside the columns that filters and statistics need. Folded
(accent-free, lower-case) copies of the text columns make search ignore diacritics and case on
both engines without extensions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    cast,
    create_engine,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from knowledge.catalog_file import CATALOG_NAME, MANIFEST_NAME, iter_records
from knowledge.normalize import fold
from knowledge.schema import Procedure

metadata = MetaData()

procedures = Table(
    "procedures",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_folded", Text, nullable=False),
    Column("field", Text),
    Column("field_folded", Text, nullable=False),
    Column("promulgating_agency", Text),
    Column("executing_agency", Text),
    Column("agencies_folded", Text, nullable=False),
    Column("levels_folded", Text, nullable=False),
    Column("subjects_folded", Text, nullable=False),
    Column("online_level", String(16), nullable=False),
    Column("portal_url", Text),
    Column("has_documents", Boolean, nullable=False),
    Column("has_fees", Boolean, nullable=False),
    Column("has_time", Boolean, nullable=False),
    Column("has_channels", Boolean, nullable=False),
    Column("summary", Text, nullable=False),
    Column("record", Text, nullable=False),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

SUMMARY_FIELDS = ("code", "name", "field", "levels", "promulgating_agency", "executing_agency", "portal_url")


@dataclass(frozen=True)
class ServiceFilter:
    q: str | None = None
    agency: str | None = None
    field: str | None = None
    level: str | None = None
    online_level: str | None = None
    subject: str | None = None


def engine_for(url: str) -> Engine:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(url, connect_args={"check_same_thread": False})
    return create_engine(url, pool_pre_ping=True)


class CatalogStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._codes_cache: dict[ServiceFilter, frozenset[str]] = {}
        metadata.create_all(engine)

    @classmethod
    def open(cls, url: str) -> CatalogStore:
        return cls(engine_for(url))

    def loaded_hash(self) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(store_meta.c.value).where(store_meta.c.key == "catalog_sha256"))

    def ensure_loaded(self, catalog_dir: Path) -> bool:
        """Load the catalog unless the store already holds this exact build; True when it loaded."""
        manifest = json.loads((catalog_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        wanted = manifest["catalog_sha256"]
        if self.loaded_hash() == wanted:
            return False
        self.replace_all(iter_records(catalog_dir / CATALOG_NAME), wanted)
        return True

    def replace_all(self, records: Iterable[Procedure], catalog_hash: str) -> None:
        rows = [_row(r) for r in records]
        # One transaction: readers see the old catalog or the new one, never half of each.
        with self.engine.begin() as conn:
            conn.execute(delete(procedures))
            for start in range(0, len(rows), 1000):
                conn.execute(insert(procedures), rows[start : start + 1000])
            conn.execute(delete(store_meta).where(store_meta.c.key == "catalog_sha256"))
            conn.execute(insert(store_meta), [{"key": "catalog_sha256", "value": catalog_hash}])
        self._codes_cache.clear()

    def get_json(self, code: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(procedures.c.record).where(procedures.c.code == code))

    def get(self, code: str) -> Procedure | None:
        raw = self.get_json(code)
        return None if raw is None else Procedure.model_validate_json(raw)

    def codes(self, flt: ServiceFilter) -> frozenset[str]:
        """Codes passing a filter; the search narrows its results to them."""
        cached = self._codes_cache.get(flt)
        if cached is None:
            with self.engine.connect() as conn:
                cached = frozenset(conn.execute(select(procedures.c.code).where(_where(flt))).scalars())
            self._codes_cache[flt] = cached
        return cached

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(procedures)) or 0)

    def search_names(self, flt: ServiceFilter, page: int, page_size: int) -> tuple[int, list[dict[str, Any]]]:
        where = _where(flt)
        with self.engine.connect() as conn:
            total = int(conn.scalar(select(func.count()).select_from(procedures).where(where)) or 0)
            rows = conn.execute(
                select(procedures.c.summary)
                .where(where)
                .order_by(func.length(procedures.c.name), procedures.c.code)
                .offset((page - 1) * page_size)
                .limit(page_size)
            ).scalars()
            return total, [json.loads(row) for row in rows]

    def stats(self, flt: ServiceFilter) -> dict[str, Any]:
        where = _where(flt)
        counts = [
            func.count(),
            func.sum(_as_int(procedures.c.has_documents)),
            func.sum(_as_int(procedures.c.has_fees)),
            func.sum(_as_int(procedures.c.has_time)),
            func.sum(_as_int(procedures.c.has_channels)),
        ]
        with self.engine.connect() as conn:
            total, docs, fees, time, channels = conn.execute(select(*counts).where(where)).one()
            return {
                "total": int(total or 0),
                "with_documents": int(docs or 0),
                "with_fees": int(fees or 0),
                "with_processing_time": int(time or 0),
                "with_channels": int(channels or 0),
                "by_online_level": self._group(conn, procedures.c.online_level, where),
                "by_agency": self._group(conn, procedures.c.promulgating_agency, where),
                "by_field": self._group(conn, procedures.c.field, where),
            }

    @staticmethod
    def _group(conn: Any, column: Any, where: ColumnElement[bool]) -> dict[str, int]:
        rows = conn.execute(
            select(column, func.count()).where(where).group_by(column).order_by(func.count().desc(), column)
        )
        return {(key if key is not None else "Không rõ"): int(n) for key, n in rows}


def _as_int(column: Any) -> Any:
    return cast(column, Integer)


def _like(column: Any, text: str) -> ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def _where(flt: ServiceFilter) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if flt.q and (words := fold(flt.q).split()):
        by_name = and_(*(_like(procedures.c.name_folded, w) for w in words))
        clauses.append(or_(by_name, procedures.c.code == flt.q.strip()))
    for column, value in (
        (procedures.c.agencies_folded, flt.agency),
        (procedures.c.field_folded, flt.field),
        (procedures.c.levels_folded, flt.level),
        (procedures.c.subjects_folded, flt.subject),
    ):
        if value and (folded := fold(value)):
            clauses.append(_like(column, folded))
    if flt.online_level:
        clauses.append(procedures.c.online_level == flt.online_level)
    return and_(*clauses) if clauses else procedures.c.code.is_not(None)


def _row(record: Procedure) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    summary = {key: data[key] for key in SUMMARY_FIELDS} | {"online_level": record.online_level.level}
    agencies = " | ".join(
        a for a in (record.promulgating_agency, record.competent_agency, record.executing_agency) if a
    )
    return {
        "code": record.code,
        "name": record.name,
        "name_folded": fold(record.name),
        "field": record.field,
        "field_folded": fold(record.field or ""),
        "promulgating_agency": record.promulgating_agency,
        "executing_agency": record.executing_agency,
        "agencies_folded": fold(agencies),
        "levels_folded": fold(" | ".join(record.levels)),
        "subjects_folded": fold(" | ".join(record.subjects)),
        "online_level": record.online_level.level,
        "portal_url": record.portal_url,
        "has_documents": bool(record.documents),
        "has_fees": any(f.amount_vnd is not None for ch in record.channels for f in ch.fees),
        "has_time": any(t.value is not None or t.text for ch in record.channels for t in ch.times),
        "has_channels": bool(record.channels),
        "summary": json.dumps(summary, ensure_ascii=False),
        "record": json.dumps(data, ensure_ascii=False),
    }
