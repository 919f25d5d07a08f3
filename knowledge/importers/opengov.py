"""VoidKeishi/OpenGOV: the national portal's catalog (5,670 codes) and full detail for 502 of them.

Three layers: `backend/data/crawl/catalog.jsonl` (names, agencies, field, subjects for every code),
`data/procedures/<code>.json` (the crawler's normalised detail) and `backend/data/crawl/details/<code>.json`
(the portal API's raw answer, read for what normalising lost: the currency of a fee, processing
times per case, the levels, the decision, the competent agency).

The catalog's states are ACTIVE and UPDATED (amended, still in force); any other state is skipped.
`isFullProcess` is not the "toàn trình" flag, so online_level stays unknown here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from knowledge.importers import opengov_detail as detail
from knowledge.importers.base import SourceFormatError, SourceInfo
from knowledge.parsing.codes import clean_code, is_test_name
from knowledge.schema import (
    Procedure,
    SourceRef,
)
from vitext.normalize import clean_field, normalize

SOURCE = SourceInfo(name="VoidKeishi__OpenGOV", repo="VoidKeishi/OpenGOV", commit="feccba6e", date="2026-07")

CATALOG = "backend/data/crawl/catalog.jsonl"
PROCEDURES = "data/procedures"
DETAILS = "backend/data/crawl/details"
PORTAL_PAGE = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{}"
LIVE_STATES = frozenset({"ACTIVE", "UPDATED"})

Json = dict[str, Any]


def load(root: Path, skipped: list[str]) -> Iterator[Procedure]:
    """Every live, well-formed code, sorted; a broken detail file is skipped and listed in `skipped`."""
    base = root / SOURCE.name
    catalog = _read_catalog(base / CATALOG)
    details = _read_details(base, skipped)
    records = []
    for code in sorted(set(catalog) | set(details)):
        line, row = catalog.get(code, (None, None))
        detail = details.get(code)
        if detail is None:
            if row is not None:
                records.append(_from_catalog(code, row, line))
            continue
        path, normalised, raw = detail
        try:
            records.append(_from_detail(code, normalised, raw, row, path))
        except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as error:
            skipped.append(f"{path}: {type(error).__name__}: {error}")
            if row is not None:
                records.append(_from_catalog(code, row, line))
    return iter(records)


# --- reading -----------------------------------------------------------------------------------


def _read_catalog(path: Path) -> dict[str, tuple[int, Json]]:
    """code → (line number, row) for live rows with a valid code and a real name."""
    rows: dict[str, tuple[int, Json]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceFormatError(f"{path}: {error}") from error
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
            raw_code, name, state = row["code"], row["name"], row.get("state")
        except (ValueError, KeyError, TypeError) as error:
            raise SourceFormatError(f"{path}: line {number}: {error}") from error
        code = clean_code(raw_code)
        if code is None or state not in LIVE_STATES or not normalize(str(name)) or is_test_name(str(name)):
            continue
        # " 1.014325" and "1.014325" are two procedures: the code typed without a slip wins.
        if code not in rows or (str(raw_code) == code and str(rows[code][1]["code"]) != code):
            rows[code] = (number, row)
    return rows


def _read_details(base: Path, skipped: list[str]) -> dict[str, tuple[str, Json, Json | None]]:
    """code → (relative path, normalised record, raw API record or None)."""
    found: dict[str, tuple[str, Json, Json | None]] = {}
    for path in sorted((base / PROCEDURES).glob("*.json")):
        relative = f"{PROCEDURES}/{path.name}"
        normalised = _read_json(path, relative, skipped)
        if not isinstance(normalised, dict):
            continue
        code = clean_code(normalised.get("code"))
        name = normalize(str(normalised.get("name") or ""))
        live = normalised.get("state", "ACTIVE") in LIVE_STATES
        if code is None or not name or is_test_name(name) or not live:
            continue
        raw_path = base / DETAILS / path.name
        raw = _read_json(raw_path, f"{DETAILS}/{path.name}", skipped) if raw_path.exists() else None
        data = raw.get("data") if isinstance(raw, dict) else None
        found[code] = (relative, normalised, data if isinstance(data, dict) else None)
    return found


def _read_json(path: Path, relative: str, skipped: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        skipped.append(f"{relative}: {error}")
        return None


# --- building ----------------------------------------------------------------------------------


def _from_catalog(code: str, row: Json, line: int | None) -> Procedure:
    url = PORTAL_PAGE.format(row["id"]) if row.get("id") else None
    return Procedure(
        code=code,
        name=normalize(str(row["name"])),
        field=detail.joined(row.get("categories")),
        promulgating_agency=clean_field(row.get("departmentPromulgate")),
        executing_agency=detail.joined(row.get("departments")),
        subjects=detail.texts(row.get("formalityTargetType")),
        portal_url=url,
        sources=[SourceRef(source=SOURCE.name, url=url, ref=f"{CATALOG}:{line}")],
    )


def _from_detail(code: str, item: Json, raw: Json | None, row: Json | None, path: str) -> Procedure:
    row = row or {}
    page_id = item.get("source_id") or row.get("id")
    url = (item.get("source") or {}).get("url") or (PORTAL_PAGE.format(page_id) if page_id else None)
    category = item.get("category") or {}
    return Procedure(
        code=code,
        name=normalize(str(item["name"])),
        field=clean_field(category.get("name")) or detail.joined(row.get("categories")),
        levels=detail.levels(raw),
        promulgating_agency=clean_field(item.get("promulgating_agency"))
        or clean_field(row.get("departmentPromulgate")),
        competent_agency=detail.competent_agency(raw),
        executing_agency=clean_field(item.get("executing_agency")) or detail.joined(row.get("departments")),
        subjects=detail.texts(item.get("subject_types")) or detail.texts(row.get("formalityTargetType")),
        channels=detail.channels(item, raw),
        documents=detail.documents(item.get("checklist_raw") or []),
        steps=detail.steps(item.get("steps_raw") or []),
        conditions=clean_field(item.get("requirements")),
        results=detail.texts(item.get("results")),
        legal_basis=detail.legal_basis(item.get("legal_basis") or []),
        decision=clean_field(((raw or {}).get("procedureProposal") or {}).get("proposalNumber")),
        portal_url=url,
        updated=detail.updated(item, raw),
        sources=[SourceRef(source=SOURCE.name, url=url, ref=path)],
    )
