"""Lâm Đồng's list of procedures with their online-service level (before the July 2025 merger).

From baobuiquang/DVC_SearchAssistant_V2: `url/cache` is the portal's search listing as CSV
(code, name, field, org, level); `url/raw` is the text of the same page and adds nothing, so it is
not read. Levels use the portal's filter: "Toàn trình", "Một phần", "Còn lại" (neither), and a few
rows still say "Mức độ 4" / "Mức độ 2". Codes carry the agency ("1.000894.000.00.00.H36", "1.012275.H36").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from knowledge.importers.base import SourceInfo, read_csv
from knowledge.parsing.codes import is_test_name, national_code
from knowledge.parsing.online import most_online, online_level
from knowledge.schema import OnlineLevel, Procedure, SourceRef
from vitext.normalize import clean_field, normalize

SOURCE = SourceInfo(
    name="baobuiquang__DVC_SearchAssistant_V2",
    repo="baobuiquang/DVC_SearchAssistant_V2",
    commit="5592a73e",
    date="2025-04",
)

TABLE = "url/cache"
COLUMNS = ("code", "name", "field", "level")
PROVINCE = "UBND tỉnh Lâm Đồng"


def load(root: Path, skipped: list[str]) -> Iterator[Procedure]:
    """One record per national code, sorted; the row with the most online level speaks for the code."""
    rows = read_rows(root / SOURCE.name / TABLE)
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        code = national_code(row["code"])
        name = normalize(row["name"])
        if code is None or not name or is_test_name(name):
            continue
        grouped.setdefault(code, []).append((line, row))
    return iter(_record(code, grouped[code]) for code in sorted(grouped))


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; the header is line 1."""
    return read_csv(path, COLUMNS)


def _record(code: str, rows: list[tuple[int, dict[str, str]]]) -> Procedure:
    # The list the level comes from: the answer names the province ("theo danh mục tỉnh Lâm Đồng").
    found: list[OnlineLevel] = [online_level(row["level"], f"{SOURCE.name}/{TABLE}") for _, row in rows]
    best = most_online(found)
    row = rows[best][1]
    refs = [SourceRef(source=SOURCE.name, ref=f"{TABLE}:{line}") for line, _ in rows]
    return Procedure(
        code=code,
        name=normalize(row["name"]),
        field=clean_field(row["field"]),
        promulgating_agency=PROVINCE,
        online_level=found[best],
        sources=[refs[best], *(ref for i, ref in enumerate(refs) if i != best)],
    )
