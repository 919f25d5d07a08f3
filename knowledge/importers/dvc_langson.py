"""Lạng Sơn's list of procedures with their online-service level (before the July 2025 merger).

From baobuiquang/DVC_SearchAssistant_V2: `_derived/langson_1842_from_xlsx.csv`, one row per procedure
and tier, made from `_langson/_archived/DVC_TTHC_LangSon_1842.xlsx`. That workbook holds one QR image
per data row, in row order; `DVC_TTHC_LangSon_links_1842.txt` is those QR codes decoded in the same
order (blank where a code did not decode), so line N is the provincial page of row N.

Codes are written as the national code plus the applying agency ("1.001193.000.00.00.H37"); rows
with local codes ("CCHC_01") or a test name are dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from knowledge.importers.base import SourceInfo, read_csv
from knowledge.parsing.codes import is_test_name, national_code
from knowledge.parsing.decisions import decision_number, issuer_of_decision
from knowledge.parsing.online import most_online, online_level
from knowledge.schema import OnlineLevel, Procedure, SourceRef
from vitext.normalize import clean_field, normalize

SOURCE = SourceInfo(
    name="baobuiquang__DVC_SearchAssistant_V2",
    repo="baobuiquang/DVC_SearchAssistant_V2",
    commit="5592a73e",
    date="2025-04",
)

TABLE = "_derived/langson_1842_from_xlsx.csv"
LINKS = "_langson/_archived/DVC_TTHC_LangSon_links_1842.txt"
COLUMNS = ("stt", "ma_tthc", "muc_do_dvc", "ten_tthc", "linh_vuc", "quyet_dinh")
PROVINCE = "UBND tỉnh Lạng Sơn"


def load(root: Path, skipped: list[str]) -> Iterator[Procedure]:
    """One record per national code, sorted; the row with the most online level speaks for the code."""
    base = root / SOURCE.name
    rows = read_rows(base / TABLE)
    links = _read_links(base / LINKS, len(rows), skipped)
    grouped: dict[str, list[tuple[dict[str, str], str | None]]] = {}
    for index, row in enumerate(rows):
        code = national_code(row["ma_tthc"])
        name = normalize(row["ten_tthc"] or "")
        if code is None or not name or is_test_name(name):
            continue
        grouped.setdefault(code, []).append((row, links[index]))
    return iter(_record(code, grouped[code]) for code in sorted(grouped))


def read_rows(path: Path) -> list[dict[str, str]]:
    return [row for _, row in read_csv(path, COLUMNS)]


def _read_links(path: Path, count: int, skipped: list[str]) -> list[str | None]:
    """Line N → page of row N; nothing when the file is missing or does not line up."""
    if not path.exists():
        return [None] * count
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != count:
        skipped.append(f"{LINKS}: {len(lines)} links for {count} rows, not used")
        return [None] * count
    return [line.strip() or None for line in lines]


def _record(code: str, rows: list[tuple[dict[str, str], str | None]]) -> Procedure:
    # The list the level comes from: the answer names the province ("theo danh mục tỉnh Lạng Sơn").
    found: list[OnlineLevel] = [online_level(row["muc_do_dvc"], f"{SOURCE.name}/{TABLE}") for row, _ in rows]
    best = most_online(found)
    row = rows[best][0]
    decision = decision_number(row["quyet_dinh"])
    refs = [SourceRef(source=SOURCE.name, url=url, ref=f"{TABLE}:stt {r['stt']}") for r, url in rows]
    return Procedure(
        code=code,
        name=normalize(row["ten_tthc"]),
        field=_field(row["linh_vuc"]),
        promulgating_agency=issuer_of_decision(decision) or PROVINCE,
        online_level=found[best],
        decision=decision,
        sources=[refs[best], *(ref for i, ref in enumerate(refs) if i != best)],
    )


def _field(raw: str) -> str | None:
    """ "[SVH] - Du lịch" → "Du lịch": the bracket names the provincial department, not the field."""
    text = clean_field(raw)
    if text and text.startswith("[") and "] - " in text:
        text = clean_field(text.split("] - ", 1)[1])
    return text
