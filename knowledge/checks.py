"""Checks every parsed record against its own verbatim text, before records are merged.

A parsed number that its text does not hold is wrong somewhere; it is corrected only when the text
itself says the right value (and the correction is noted in `conflicts`), otherwise left unknown.
Each finding is a warning of one kind; `make catalog` counts them per kind in the manifest.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from knowledge.schema import Channel, Conflict, Fee, Procedure, ProcessingTime
from vitext.normalize import normalize

_CURRENCY = r"(?:việt nam đồng|vnđ|vnd|đồng|đ(?![^\W\d_]))"
_VND = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:[.,]\d{{3}})+|\d+)\s?{_CURRENCY}", re.IGNORECASE)
_UNITS = ("ngày làm việc", "giờ làm việc", "ngày", "giờ", "tuần", "tháng", "năm", "phút")
# "nộp lệ phí", "phí thẩm định …": the steps speak of paying something.
_FEE_WORDS = re.compile(r"\b(?:lệ phí|phí)\b", re.IGNORECASE)
# An agency cell that is really a step of the procedure (a crawl that shifted its columns).
_STEP_MARKERS = ("tên thủ tục", "bước ", "tiến hành", "như sau", "ghi đầy đủ", "lời chứng", "hồ sơ gồm")


@dataclass(frozen=True)
class ParseWarning:
    kind: str
    code: str
    detail: str


def vnd_amounts(text: str) -> list[int]:
    """Every amount in đồng a text writes ("700.000 đồng", "20.000 vnđ", "10,000 Việt Nam Đồng")."""
    return [int(re.sub(r"[.,]", "", m[1])) for m in _VND.finditer(normalize(text))]


# Sources whose numbers come from typed API fields rather than from text the importer cut up: their
# number is the source's own value, and the description beside it need not repeat it.
STRUCTURED_SOURCES = frozenset({"VoidKeishi__OpenGOV"})


def number_in_text(value: float, text: str) -> bool:
    """Whether the text writes this number ("01", "1.500.000", "1,5"), leading zeros and separators aside."""
    if value != int(value):
        return any(float(m.replace(",", ".")) == value for m in re.findall(r"\d+[.,]\d+", text))
    written = {re.sub(r"[.,]", "", m).lstrip("0") or "0" for m in re.findall(r"\d+(?:[.,]\d{3})*", text)}
    return str(int(value)) in written


def check(record: Procedure, source: str) -> tuple[Procedure, list[ParseWarning]]:
    """The record with what its own text contradicts corrected or emptied, and what was found."""
    warnings: list[ParseWarning] = []
    conflicts = list(record.conflicts)
    text = _record_text(record)
    # Amounts the record's fee texts state anywhere: "500 VNĐ" in one channel beside "500.000 đồng" in another.
    stated = {a for ch in record.channels for f in ch.fees for a in vnd_amounts(f.description)}
    channels = [_check_channel(record.code, ch, text, stated, source, warnings, conflicts) for ch in record.channels]
    update: dict[str, object] = {"channels": channels, "conflicts": conflicts}
    for field in ("executing_agency", "competent_agency"):
        value = getattr(record, field)
        if value and reads_like_step(value):
            warnings.append(ParseWarning("agency_reads_like_step", record.code, f"{field}: {value[:80]}"))
            update[field] = None
    for document in record.legal_basis:
        if not document.number:
            warnings.append(ParseWarning("legal_item_without_number", record.code, document.title[:80]))
    if _fee_only_in_steps(record, channels):
        warnings.append(ParseWarning("fee_only_in_steps", record.code, "trình tự nhắc phí, lệ phí"))
    return record.model_copy(update=update), warnings


def reads_like_step(value: str) -> bool:
    """ "chứng thực tiến hành chụp từ bản chính …" is no agency: it starts in lower case or reads as a step."""
    cleaned = normalize(value)
    return cleaned[:1].islower() or any(marker in cleaned.lower() for marker in _STEP_MARKERS)


def fee_in_steps(record: Procedure) -> str | None:
    """The first step that speaks of a fee, when the record states one nowhere else."""
    return next((step for step in record.steps if _FEE_WORDS.search(step)), None)


def _fee_only_in_steps(record: Procedure, channels: list[Channel]) -> bool:
    stated = any(f.amount_vnd or vnd_amounts(f.description) for ch in channels for f in ch.fees)
    return not stated and fee_in_steps(record) is not None


def _record_text(record: Procedure) -> str:
    parts = [record.conditions or "", *record.steps]
    for channel in record.channels:
        parts += [channel.note, *(t.text for t in channel.times), *(f.description for f in channel.fees)]
    return " ".join(parts)


def _check_channel(
    code: str,
    channel: Channel,
    text: str,
    stated: set[int],
    source: str,
    warnings: list[ParseWarning],
    conflicts: list[Conflict],
) -> Channel:
    parsed = source not in STRUCTURED_SOURCES
    fees = [_check_fee(code, fee, stated, source, parsed, warnings, conflicts) for fee in channel.fees]
    times = [_check_time(code, time, text, parsed, warnings) for time in channel.times]
    return channel.model_copy(update={"fees": fees, "times": times})


def _check_fee(
    code: str,
    fee: Fee,
    record_amounts: set[int],
    source: str,
    parsed: bool,
    warnings: list[ParseWarning],
    conflicts: list[Conflict],
) -> Fee:
    amount, description = fee.amount_vnd, normalize(fee.description)
    if amount is None:
        return fee
    # The cell's own amount comes first ("700 VNĐ (… 700.000 đồng/cơ sở)"); what follows describes it.
    stated = vnd_amounts(description)
    described = stated[1:] if stated and stated[0] == amount else stated
    if amount == 0:
        if any(described):
            warnings.append(ParseWarning("fee_conditional", code, description[:80]))
            return fee.model_copy(update={"amount_vnd": None})
        return fee
    if parsed and not number_in_text(amount, description):
        warnings.append(ParseWarning("fee_amount_not_in_text", code, description[:80]))
        return fee.model_copy(update={"amount_vnd": None})
    # No amount beside it, but the record's other channels write this one a thousand times larger.
    if not described and amount < 1000 and amount * 1000 in record_amounts:
        described = [amount * 1000]
    if not described or amount in described:
        return fee
    if amount * 1000 in described:
        corrected = amount * 1000
        warnings.append(ParseWarning("fee_amount_corrected", code, f"{amount} → {corrected}: {description[:60]}"))
        written = f"{corrected:,}".replace(",", ".")
        note = {"gia_tri_o_phi": amount, "ghi_chu": f"Ô phí ghi {amount}, mô tả ghi {written} đồng; lấy theo mô tả."}
        value = json.dumps(note, ensure_ascii=False)
        conflicts.append(Conflict(field="channels.fees.amount_vnd", source=source, value=value))
        return fee.model_copy(update={"amount_vnd": corrected})
    # "800,000 Việt Nam Đồng (áp dụng mức phí 400.000 đồng/hồ sơ kể từ …)": a second rate for a
    # period or a case, not a contradiction; the answer shows the description whole.
    warnings.append(ParseWarning("fee_other_amounts_in_text", code, f"{amount}: {description[:60]}"))
    return fee


def _check_time(
    code: str, time: ProcessingTime, text: str, parsed: bool, warnings: list[ParseWarning]
) -> ProcessingTime:
    if time.value is None:
        return time
    if parsed and time.text and not number_in_text(time.value, time.text):
        warnings.append(ParseWarning("time_value_not_in_text", code, time.text[:80]))
        return time.model_copy(update={"value": None, "unit": None})
    if time.unit:
        return time
    number = f"{int(time.value)}" if time.value == int(time.value) else str(time.value)
    # Only a duration phrase counts ("trong thời hạn 7 ngày làm việc"), not any "1 năm" of the conditions.
    found = re.search(
        rf"(?:trong|thời hạn|không quá|tối đa|vòng)\s+(?:thời hạn\s+)?{re.escape(number)}\s*({'|'.join(_UNITS)})"
        r"(?![^\W\d_])",
        fold_keep(text),
    )
    if found:
        warnings.append(ParseWarning("time_unit_from_text", code, found.group(0)))
        return time.model_copy(update={"unit": found.group(1)})
    warnings.append(ParseWarning("time_unit_not_stated", code, time.text[:40]))
    return time


def fold_keep(text: str) -> str:
    """Lower case only (the units are matched with their diacritics)."""
    return normalize(text).lower()


def count_kinds(warnings: list[ParseWarning]) -> dict[str, int]:
    return dict(sorted(Counter(w.kind for w in warnings).items()))


__all__ = ["ParseWarning", "check", "count_kinds", "fee_in_steps", "reads_like_step", "vnd_amounts"]
