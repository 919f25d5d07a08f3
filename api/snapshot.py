"""An immutable in-memory copy of one catalog build, serving every read route.

The SQL store is the durable copy that replicas share; a process reads it once per build (about
40 MB of JSON for 6,700 procedures) and answers lookups, listings and statistics from memory: a
SQL round trip and a LIKE scan per request cost more than the routes' latency budget.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vitext.normalize import fold

UNKNOWN_GROUP = "Không rõ"


@dataclass(frozen=True)
class ServiceFilter:
    q: str | None = None
    agency: str | None = None
    field: str | None = None
    level: str | None = None
    online_level: str | None = None
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """What filters, listings and statistics need of one procedure."""

    code: str
    name_folded: str
    field_folded: str
    agencies_folded: str
    levels_folded: str
    subjects_folded: str
    online_level: str
    field: str | None
    promulgating_agency: str | None
    has_documents: bool
    has_fees: bool
    has_time: bool
    has_channels: bool
    summary: Mapping[str, Any]

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Entry:
        return cls(
            code=row["code"],
            name_folded=row["name_folded"],
            field_folded=row["field_folded"],
            agencies_folded=row["agencies_folded"],
            levels_folded=row["levels_folded"],
            subjects_folded=row["subjects_folded"],
            online_level=row["online_level"],
            field=row["field"],
            promulgating_agency=row["promulgating_agency"],
            has_documents=bool(row["has_documents"]),
            has_fees=bool(row["has_fees"]),
            has_time=bool(row["has_time"]),
            has_channels=bool(row["has_channels"]),
            summary=json.loads(row["summary"]),
        )


class CatalogSnapshot:
    def __init__(self, catalog_hash: str | None, entries: Iterable[Entry], records: Mapping[str, bytes]) -> None:
        self.catalog_hash = catalog_hash
        # Listings show the shortest (most general) names first; sorting once here keeps that free per request.
        self._entries = tuple(sorted(entries, key=lambda e: (len(e.summary["name"]), e.code)))
        self._records = dict(records)
        self.matching = lru_cache(maxsize=512)(self._matching)

    def __len__(self) -> int:
        return len(self._entries)

    def get_json(self, code: str) -> bytes | None:
        return self._records.get(code)

    def list(self, flt: ServiceFilter, page: int, page_size: int) -> tuple[int, list[dict[str, Any]]]:
        found = self.matching(flt)
        start = (page - 1) * page_size
        return len(found), [dict(e.summary) for e in found[start : start + page_size]]

    def codes(self, flt: ServiceFilter) -> frozenset[str]:
        return frozenset(e.code for e in self.matching(flt))

    def stats(self, flt: ServiceFilter) -> dict[str, Any]:
        found = self.matching(flt)
        return {
            "total": len(found),
            "with_documents": sum(e.has_documents for e in found),
            "with_fees": sum(e.has_fees for e in found),
            "with_processing_time": sum(e.has_time for e in found),
            "with_channels": sum(e.has_channels for e in found),
            "by_online_level": _grouped(e.online_level for e in found),
            "by_agency": _grouped(e.promulgating_agency for e in found),
            "by_field": _grouped(e.field for e in found),
        }

    def _matching(self, flt: ServiceFilter) -> tuple[Entry, ...]:
        # One narrowing pass per condition, most selective first: a plain substring test over a shrinking
        # list is several times cheaper than evaluating every condition for every procedure.
        found: list[Entry] | tuple[Entry, ...] = self._entries
        if flt.q and (words := fold(flt.q).split()):
            code = flt.q.strip()
            for word in words:
                found = [e for e in found if word in e.name_folded]
            if code in self._records and all(e.code != code for e in found):  # a code typed as q matches too
                keep = {id(e) for e in found}
                found = [e for e in self._entries if id(e) in keep or e.code == code]
        for attribute, value in (
            ("agencies_folded", flt.agency),
            ("field_folded", flt.field),
            ("levels_folded", flt.level),
            ("subjects_folded", flt.subject),
        ):
            if value and (folded := fold(value)):
                found = [e for e in found if folded in getattr(e, attribute)]
        if flt.online_level:
            found = [e for e in found if e.online_level == flt.online_level]
        return tuple(found)


def _grouped(values: Iterable[str | None]) -> dict[str, int]:
    counts = Counter(value if value is not None else UNKNOWN_GROUP for value in values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
