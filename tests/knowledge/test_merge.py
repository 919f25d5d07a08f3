from __future__ import annotations

import json

from knowledge.merge import Candidate, merge
from knowledge.schema import Channel, Fee, OnlineLevel, Procedure, ProcessingTime, SourceRef


def _record(source: str, **fields: object) -> Procedure:
    return Procedure.model_validate(
        {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "sources": [SourceRef(source=source)], **fields}
    )


def _channel(unit: str | None, amount: int | None = 0) -> list[Channel]:
    return [
        Channel(method="online", times=[ProcessingTime(value=1, unit=unit, text="1")], fees=[Fee(amount_vnd=amount)])
    ]


def test_richer_value_wins_over_newer_poorer_one() -> None:
    old = Candidate(_record("old", channels=_channel("ngày làm việc")), "old", "2025-01")
    new = Candidate(_record("new", channels=_channel(None)), "new", "2026-07")
    merged = merge("1.001193", [new, old])
    assert merged.channels[0].times[0].unit == "ngày làm việc"
    assert merged.provenance["channels"] == "old"
    conflict = next(c for c in merged.conflicts if c.field == "channels")
    assert conflict.source == "new"
    assert json.loads(conflict.value)[0]["times"][0]["unit"] is None


def test_newer_source_wins_a_tie_and_keeps_the_other_value() -> None:
    old = Candidate(_record("old", field="Hộ tịch cũ"), "old", "2025-01")
    new = Candidate(_record("new", field="Hộ tịch"), "new", "2026-07")
    merged = merge("1.001193", [old, new])
    assert merged.field == "Hộ tịch"
    assert [(c.field, c.source) for c in merged.conflicts] == [("field", "old")]


def test_known_online_level_beats_unknown_and_sources_are_united() -> None:
    known = _record("province", online_level=OnlineLevel(level="toan_trinh", source="province", original="Mức độ 4"))
    merged = merge(
        "1.001193", [Candidate(_record("national"), "national", "2026-07"), Candidate(known, "province", "2025-04")]
    )
    assert merged.online_level.level == "toan_trinh"
    assert merged.provenance["online_level"] == "province"
    assert {s.source for s in merged.sources} == {"national", "province"}


def test_empty_fields_stay_empty() -> None:
    merged = merge("1.001193", [Candidate(_record("a"), "a", "2026-07")])
    assert merged.documents == [] and merged.conditions is None
    assert "documents" not in merged.provenance
