"""Where an answer's facts come from and how current they are: the last line of every answer, the
provincial-list qualifier, and the one-line warning about the 1 July 2025 reorganisation."""

from __future__ import annotations

import re

from actions.records import Procedure, SourceRef
from knowledge.source_labels import PROVINCIAL_SOURCE
from knowledge.source_labels import source_label as label_of
from vitext.normalize import fold

# The record fields each answer states.
FIELDS = {
    "documents": ("documents",),
    "fee": ("channels", "steps"),
    "processing_time": ("channels",),
    "where_to_submit": ("executing_agency", "competent_agency", "levels", "channels"),
    "steps": ("steps",),
    "conditions": ("conditions",),
    "result": ("results",),
    "legal_basis": ("legal_basis",),
    "forms": ("documents",),
    "online": ("online_level", "channels"),
    "overview": ("online_level", "executing_agency", "competent_agency"),
}
# Local government has two tiers since 1 July 2025: bodies of the district tier no longer exist.
_DISTRICT = re.compile(
    r"\b(?:cap huyen|(?:ubnd|uy ban nhan dan|cong an|bao hiem xa hoi|toa an nhan dan|vien kiem sat nhan dan"
    r"|phong [a-z ,]{3,60}?|chi cuc [a-z ,]{3,60}?) (?:cap )?huyen|ubnd huyen|huyen/thanh pho)\b"
)
REORGANISATION_WARNING = (
    "Lưu ý: thông tin này có từ trước khi bỏ cấp huyện (sắp xếp chính quyền địa phương từ ngày 01/7/2025), "
    "thủ tục có thể đã thay đổi; bạn kiểm tra lại trên Cổng Dịch vụ công."
)
REORGANISATION_DATE = "2025-07"


def source_label(ref: SourceRef) -> str:
    return label_of(ref.get("source") or "", ref.get("ref"))


def month(date: str | None) -> str | None:
    """ "2026-07-15" or "2026-07" → "07/2026"."""
    match = re.match(r"^(\d{4})-(\d{2})", date or "")
    return f"{match[2]}/{match[1]}" if match else None


def field_origin(record: Procedure, field: str) -> tuple[str, str | None] | None:
    """(label, MM/YYYY) of the source that gave `field`; the record's own `updated` when the same source
    gave it, else the source's date."""
    source = (record.get("provenance") or {}).get(field)
    if not source:
        return None
    refs = [r for r in record.get("sources") or [] if r.get("source") == source]
    if not refs:
        return None
    same = (record.get("provenance") or {}).get("updated") == source
    date = record.get("updated") if same else refs[0].get("date")
    if field == "online_level":
        # Two provinces' lists share one source: the level names the list it was read from.
        listed = (record.get("online_level") or {}).get("source") or ""
        refs = [r for r in refs if (r.get("ref") or "").split(":")[0] in listed] or refs
    return source_label(refs[0]), month(date or refs[0].get("date"))


def is_provincial(record: Procedure, field: str) -> bool:
    return (record.get("provenance") or {}).get(field) == PROVINCIAL_SOURCE


def origin_phrase(record: Procedure, field: str) -> str:
    """ "theo danh mục tỉnh Lạng Sơn, 04/2025" for a field known only from a provincial list; "" otherwise."""
    origin = field_origin(record, field)
    if origin is None or not is_provincial(record, field):
        return ""
    label, when = origin
    return f"theo {label}" + (f", {when}" if when else "")


def footer(record: Procedure, attribute: str) -> str:
    """ "Nguồn: Cổng DVCQG, cập nhật 07/2026" for the fields the answer uses (several sources: each once)."""
    latest: dict[str, str] = {}
    for field in (*FIELDS.get(attribute, ()), "name"):
        origin = field_origin(record, field)
        if origin is None or (field == "name" and latest):
            continue
        label, when = origin
        # One date per source: the most recent of the fields it gave (MM/YYYY compared as YYYYMM).
        if label not in latest or _sortable(when) > _sortable(latest[label]):
            latest[label] = when or ""
    parts = [f"{label}, cập nhật {when}" if when else label for label, when in latest.items()]
    return f"Nguồn: {'; '.join(parts)}" if parts else ""


def _sortable(when: str | None) -> str:
    return f"{when[3:]}{when[:2]}" if when else ""


def names_district_body(record: Procedure) -> bool:
    texts = [record.get("name") or "", record.get("executing_agency") or "", record.get("competent_agency") or ""]
    texts += record.get("levels") or []
    return any(_DISTRICT.search(fold(text)) for text in texts)


def only_before_reorganisation(record: Procedure) -> bool:
    dates = [r.get("date") or "" for r in record.get("sources") or []]
    return bool(dates) and all(d and d < REORGANISATION_DATE for d in dates)


def reorganisation_warning(record: Procedure) -> str:
    """One line when the record names an abolished district body or comes only from pre-July-2025 lists."""
    return REORGANISATION_WARNING if names_district_body(record) or only_before_reorganisation(record) else ""
