"""The fields of one OpenGOV detail record: the crawler's normalised JSON, with the portal API's raw
answer where normalising lost something (a fee's currency, times per case, levels, competent agency)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from knowledge.parsing.cells import split_lines
from knowledge.parsing.channels import channel_method
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
    ProcessingTime,
)
from vitext.normalize import clean_field, fold, normalize

Json = dict[str, Any]

_METHOD_ORDER: tuple[ChannelMethod, ...] = ("online", "postal", "direct")
_LEVEL_FLAGS = (
    ("isMinistry", "Cấp bộ"),
    ("isProvince", "Cấp tỉnh"),
    ("isWard", "Cấp xã"),
    ("isOtherAgency", "Cơ quan khác"),
)


def levels(raw: Json | None) -> list[str]:
    if raw is None:
        return []
    return [label for flag, label in _LEVEL_FLAGS if raw.get(flag) is True]


def competent_agency(raw: Json | None) -> str | None:
    if raw is None:
        return None
    names = [g.get("name") for g in raw.get("unitGroupsAuthority") or []]
    names += [d.get("name") for d in raw.get("departmentsAuthority") or []]
    return joined(names)


def updated(item: Json, raw: Json | None) -> str | None:
    stamp = (item.get("source") or {}).get("updated_at")
    if isinstance(stamp, str) and len(stamp) >= 10:
        return stamp[:10]
    millis = (raw or {}).get("updatedAt")
    if isinstance(millis, str | int) and str(millis).isdigit():
        return datetime.fromtimestamp(int(millis) / 1000, tz=UTC).strftime("%Y-%m-%d")
    return None


def channels(item: Json, raw: Json | None) -> list[Channel]:
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


def documents(groups: list[Json]) -> list[DocumentGroup]:
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


def steps(raw_steps: list[Json]) -> list[str]:
    steps: list[str] = []
    for step in raw_steps:
        name = normalize(str(step.get("name") or ""))
        if name:
            steps.append(name)
        steps.extend(split_lines(str(step.get("text") or "")))
    return steps


def legal_basis(entries: list[Json]) -> list[LegalDocument]:
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


def texts(values: object) -> list[str]:
    if not isinstance(values, list):
        return []
    texts = [clean_field(v) for v in values]
    return list(dict.fromkeys(t for t in texts if t))


def joined(values: object) -> str | None:
    return "; ".join(texts(values)) or None
