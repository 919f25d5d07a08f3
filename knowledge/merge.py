"""Merge partial records of one procedure code from several sources into one record.

Per field, the richest value wins; among equally rich values the newest source wins. Every other
non-empty value that differs is kept as a conflict with its source, so nothing is silently lost.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.schema import Conflict, Procedure, SourceRef

# Fields merged value by value; `code`, `sources`, `provenance` and `conflicts` are built here.
MERGED_FIELDS: tuple[str, ...] = tuple(
    name for name in Procedure.model_fields if name not in {"code", "sources", "provenance", "conflicts"}
)


@dataclass(frozen=True)
class Candidate:
    record: Procedure
    source: str
    date: str  # YYYY-MM of the source; newer wins ties


def richness(field: str, value: Any) -> int:
    """How much a value tells; 0 means empty. Only compares values of the same field."""
    if value is None or value == "" or value == [] or value == {}:
        return 0
    if field == "online_level":
        return 0 if value["level"] == "unknown" else 1
    if field == "channels":
        # A time with its unit ("1 ngày làm việc") tells more than a bare number ("1").
        return sum(
            1
            + sum((t["value"] is not None) + (t["unit"] is not None) for t in ch["times"])
            + sum(f["amount_vnd"] is not None for f in ch["fees"])
            for ch in value
        )
    if field == "documents":
        return sum(max(len(group["documents"]), 1) for group in value)
    if isinstance(value, list):
        return len(value)
    return 1


def merge(code: str, candidates: Sequence[Candidate]) -> Procedure:
    """One record for `code` from its candidates (any order)."""
    ordered = sorted(candidates, key=lambda c: (c.date, c.source), reverse=True)
    dumped = [(c, c.record.model_dump(mode="json")) for c in ordered]
    merged: dict[str, Any] = {"code": code}
    provenance: dict[str, str] = {}
    conflicts: list[Conflict] = []
    for field in MERGED_FIELDS:
        filled = [(c, data[field]) for c, data in dumped if richness(field, data[field]) > 0]
        if not filled:
            continue
        # `max` keeps the first of equals, and `filled` is newest first.
        winner, value = max(filled, key=lambda item: richness(field, item[1]))
        merged[field] = value
        provenance[field] = winner.source
        seen = {_canonical(value)}
        for other, other_value in filled:
            key = _canonical(other_value)
            if key not in seen:
                seen.add(key)
                conflicts.append(Conflict(field=field, source=other.source, value=key))
    merged["sources"] = _sources(ordered)
    merged["provenance"] = provenance
    merged["conflicts"] = conflicts
    return Procedure.model_validate(merged)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sources(ordered: Sequence[Candidate]) -> list[SourceRef]:
    refs: dict[str, SourceRef] = {}
    for candidate in ordered:
        for ref in candidate.record.sources:
            refs.setdefault(_canonical(ref.model_dump(mode="json")), ref)
    return sorted(refs.values(), key=lambda r: (r.source, r.ref or "", r.url or ""))
