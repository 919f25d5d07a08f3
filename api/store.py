"""The catalog store: one SQL table of procedures, on SQLite by default or PostgreSQL.

Full records are kept as JSON beside the columns that filters and statistics need, with folded
(accent-free, lower-case) copies of the text columns. The database is the durable copy replicas
share; reads are served from an in-memory snapshot of the loaded build (api/snapshot.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    insert,
    select,
)

from api.snapshot import CatalogSnapshot, Entry, ServiceFilter
from knowledge.catalog_file import CATALOG_NAME, MANIFEST_NAME, iter_records
from knowledge.schema import Procedure
from vitext.normalize import fold

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
        self._snapshot: CatalogSnapshot | None = None
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
        loaded = self.loaded_hash() != wanted
        if loaded:
            self.replace_all(iter_records(catalog_dir / CATALOG_NAME), wanted)
        self.snapshot()  # paid at start-up, not by the first request
        return loaded

    def replace_all(self, records: Iterable[Procedure], catalog_hash: str) -> None:
        rows = [_row(r) for r in records]
        # One transaction: readers see the old catalog or the new one, never half of each.
        with self.engine.begin() as conn:
            conn.execute(delete(procedures))
            for start in range(0, len(rows), 1000):
                conn.execute(insert(procedures), rows[start : start + 1000])
            conn.execute(delete(store_meta).where(store_meta.c.key == "catalog_sha256"))
            conn.execute(insert(store_meta), [{"key": "catalog_sha256", "value": catalog_hash}])
        self._snapshot = None

    def snapshot(self) -> CatalogSnapshot:
        """The in-memory copy of the loaded build, read from the database on first use.

        A replica serves the build it started with; a new build is loaded by restarting it.
        """
        if self._snapshot is None:
            columns = [c for c in procedures.c if c.name != "record"]
            with self.engine.connect() as conn:
                catalog_hash = conn.scalar(select(store_meta.c.value).where(store_meta.c.key == "catalog_sha256"))
                rows = conn.execute(select(*columns, procedures.c.record)).mappings().all()
            records = {row["code"]: row["record"].encode() for row in rows}
            self._snapshot = CatalogSnapshot(catalog_hash, (Entry.from_row(row) for row in rows), records)
        return self._snapshot

    def get_json(self, code: str) -> bytes | None:
        return self.snapshot().get_json(code)

    def get(self, code: str) -> Procedure | None:
        raw = self.get_json(code)
        return None if raw is None else Procedure.model_validate_json(raw)

    def codes(self, flt: ServiceFilter) -> frozenset[str]:
        """Codes passing a filter; the search narrows its results to them."""
        return self.snapshot().codes(flt)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(procedures)) or 0)

    def search_names(self, flt: ServiceFilter, page: int, page_size: int) -> tuple[int, list[dict[str, Any]]]:
        return self.snapshot().list(flt, page, page_size)

    def stats(self, flt: ServiceFilter) -> dict[str, Any]:
        return self.snapshot().stats(flt)


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
