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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from knowledge.importers.base import SourceFormatError, SourceInfo
from knowledge.parsing.cells import split_lines
from knowledge.parsing.channels import channel_method
from knowledge.parsing.codes import clean_code, is_test_name
from knowledge.parsing.documents import document_counts
from knowledge.parsing.fees import parse_fee_amount
from knowledge.parsing.legal import legal_documents
from knowledge.parsing.times import API_UNITS, format_quantity, parse_duration
from knowledge.schema import (
    Channel,
    ChannelMethod,
    Document,
    DocumentGroup,
    Fee,
    LegalDocument,
    Procedure,
    ProcessingTime,
    SourceRef,
)
from vitext.normalize import clean_field, fold, normalize

SOURCE = SourceInfo(name="VoidKeishi__OpenGOV", repo="VoidKeishi/OpenGOV", commit="feccba6e", date="2026-07")

CATALOG = "backend/data/crawl/catalog.jsonl"
PROCEDURES = "data/procedures"
DETAILS = "backend/data/crawl/details"
PORTAL_PAGE = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{}"
LIVE_STATES = frozenset({"ACTIVE", "UPDATED"})

_METHOD_ORDER: tuple[ChannelMethod, ...] = ("online", "postal", "direct")
_LEVEL_FLAGS = (
    ("isMinistry", "Cấp bộ"),
    ("isProvince", "Cấp tỉnh"),
    ("isWard", "Cấp xã"),
    ("isOtherAgency", "Cơ quan khác"),
)

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
        field=_joined(row.get("categories")),
        promulgating_agency=clean_field(row.get("departmentPromulgate")),
        executing_agency=_joined(row.get("departments")),
        subjects=_texts(row.get("formalityTargetType")),
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
        field=clean_field(category.get("name")) or _joined(row.get("categories")),
        levels=_levels(raw),
        promulgating_agency=clean_field(item.get("promulgating_agency"))
        or clean_field(row.get("departmentPromulgate")),
        competent_agency=_competent_agency(raw),
        executing_agency=clean_field(item.get("executing_agency")) or _joined(row.get("departments")),
        subjects=_texts(item.get("subject_types")) or _texts(row.get("formalityTargetType")),
        channels=_channels(item, raw),
        documents=_documents(item.get("checklist_raw") or []),
        steps=_steps(item.get("steps_raw") or []),
        conditions=clean_field(item.get("requirements")),
        results=_texts(item.get("results")),
        legal_basis=_legal_basis(item.get("legal_basis") or []),
        decision=clean_field(((raw or {}).get("procedureProposal") or {}).get("proposalNumber")),
        portal_url=url,
        updated=_updated(item, raw),
        sources=[SourceRef(source=SOURCE.name, url=url, ref=path)],
    )


def _levels(raw: Json | None) -> list[str]:
    if raw is None:
        return []
    return [label for flag, label in _LEVEL_FLAGS if raw.get(flag) is True]


def _competent_agency(raw: Json | None) -> str | None:
    if raw is None:
        return None
    names = [g.get("name") for g in raw.get("unitGroupsAuthority") or []]
    names += [d.get("name") for d in raw.get("departmentsAuthority") or []]
    return _joined(names)


def _updated(item: Json, raw: Json | None) -> str | None:
    stamp = (item.get("source") or {}).get("updated_at")
    if isinstance(stamp, str) and len(stamp) >= 10:
        return stamp[:10]
    millis = (raw or {}).get("updatedAt")
    if isinstance(millis, str | int) and str(millis).isdigit():
        return datetime.fromtimestamp(int(millis) / 1000, tz=UTC).strftime("%Y-%m-%d")
    return None


def _channels(item: Json, raw: Json | None) -> list[Channel]:
    rows: list[Json] = item.get("channels") or []
    raw_rows: list[Json] = (raw or {}).get("executionMethods") or []
    aligned = len(raw_rows) == len(rows)
    # When no row has a usable unit, the per-case times of the raw record are the better value.
    has_unit = any(_numeric(_processing(r).get("qty")) is not None for r in rows if _has_api_unit(r))
    case_times = [] if has_unit else _case_times(item.get("processing_cases") or [])
    by_method: dict[ChannelMethod, Channel] = {}
    for index, row in enumerate(rows):
        method = channel_method(str(row.get("method") or ""))
        if method is None:
            continue
        channel = by_method.setdefault(method, Channel(method=method))
        note = normalize(str(row.get("note") or ""))
        times = _row_times(_processing(row), note, case_times)
        if not times and note and note not in channel.note:
            channel.note = f"{channel.note} {note}".strip()
        raw_fees = (raw_rows[index].get("fees") or []) if aligned else []
        row_fees = _list(row, "fees")
        fees = [_fee(fee, raw_fees[i] if i < len(raw_fees) else None) for i, fee in enumerate(row_fees)]
        channel.times.extend(t for t in times if t not in channel.times)
        # A fee row with neither amount nor text says nothing.
        fees = [f for f in fees if f.amount_vnd is not None or f.description]
        channel.fees.extend(f for f in fees if f not in channel.fees)
    return [by_method[m] for m in _METHOD_ORDER if m in by_method]


def _row_times(processing: Json, note: str, case_times: list[ProcessingTime]) -> list[ProcessingTime]:
    qty, unit = processing.get("qty"), processing.get("unit")
    number = _numeric(qty)
    if number is not None and unit in API_UNITS:
        label = API_UNITS[unit]
        return [ProcessingTime(value=number, unit=label, text=note or _render(number, label))]
    if number is None and isinstance(qty, str) and normalize(qty):
        # "Theo mô tả" points at the row's description.
        text = note if fold(qty) == "theo mo ta" and note else normalize(qty)
        value, parsed_unit = parse_duration(text)
        if value is None and len(case_times) == 1:
            value, parsed_unit = case_times[0].value, case_times[0].unit
        return [ProcessingTime(value=value, unit=parsed_unit, text=text)]
    if case_times:
        return [t.model_copy(update={"text": note}) if note else t for t in case_times]
    return []


def _case_times(cases: list[Json]) -> list[ProcessingTime]:
    times: list[ProcessingTime] = []
    for case in cases:
        number, unit = _numeric(case.get("qty")), case.get("unit")
        if number is None or unit not in API_UNITS:
            continue
        time = ProcessingTime(value=number, unit=API_UNITS[unit], text=_render(number, API_UNITS[unit]))
        if time not in times:
            times.append(time)
    return times


def _fee(fee: Json, raw: Json | None) -> Fee:
    text = normalize(str(fee.get("text") or ""))
    value = fee.get("value_vnd")
    amount = value if isinstance(value, int) and not isinstance(value, bool) else None
    currency = normalize(str((raw or {}).get("currencyName") or ""))
    if currency and fold(currency) != "viet nam dong":
        # The normaliser copied USD amounts into value_vnd.
        label = f"{format_quantity(float(value))} {currency}" if isinstance(value, int | float) else currency
        return Fee(amount_vnd=None, description=f"{label}: {text}" if text else label)
    if amount is None and text:
        amount = parse_fee_amount(text)
    return Fee(amount_vnd=amount, description=text)


def _documents(groups: list[Json]) -> list[DocumentGroup]:
    result: list[DocumentGroup] = []
    for group in groups:
        documents = []
        for entry in group.get("items") or []:
            name = normalize(str(entry.get("name") or ""))
            if not name:
                continue
            counts = _count(entry.get("original_qty")), _count(entry.get("copy_qty"))
            originals, copies = document_counts(*counts)
            forms = [normalize(str(a.get("fileName") or "")) for a in entry.get("attachments") or []]
            documents.append(
                Document(
                    name=name,
                    originals=originals,
                    copies=copies,
                    form="; ".join(f for f in forms if f) or None,
                )
            )
        if documents:
            result.append(DocumentGroup(case=clean_field(group.get("group")), documents=documents))
    return result


def _steps(raw_steps: list[Json]) -> list[str]:
    steps: list[str] = []
    for step in raw_steps:
        name = normalize(str(step.get("name") or ""))
        if name:
            steps.append(name)
        steps.extend(split_lines(str(step.get("text") or "")))
    return steps


def _legal_basis(entries: list[Json]) -> list[LegalDocument]:
    return legal_documents((str(r.get("code") or ""), str(r.get("name") or "")) for r in entries)


# --- small values ------------------------------------------------------------------------------


def _numeric(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _processing(row: Json) -> Json:
    processing = row.get("processing")
    return processing if isinstance(processing, dict) else {}


def _has_api_unit(row: Json) -> bool:
    return _processing(row).get("unit") in API_UNITS


def _list(row: Json, key: str) -> list[Json]:
    value = row.get(key)
    return value if isinstance(value, list) else []


def _count(value: object) -> int | None:
    number = _numeric(value)
    return int(number) if number is not None and number >= 0 else None


def _render(value: float, unit: str) -> str:
    return f"{format_quantity(value)} {unit}"


def _texts(values: object) -> list[str]:
    if not isinstance(values, list):
        return []
    texts = [clean_field(v) for v in values]
    return list(dict.fromkeys(t for t in texts if t))


def _joined(values: object) -> str | None:
    return "; ".join(_texts(values)) or None
