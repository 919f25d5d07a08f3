"""Turn fields of a catalog record into short Vietnamese text for the reply templates.

Only facts from the record are shown; an empty field gives ``None`` and the caller answers with
``utter_field_missing`` instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from actions.catalog_client import Channel, Procedure

MAX_ITEMS = 8
MAX_STEPS = 6
MAX_ITEM_CHARS = 220
MAX_TEXT_CHARS = 600

METHOD_LABELS = {"online": "Trực tuyến", "postal": "Qua bưu chính", "direct": "Trực tiếp"}

# What each question intent asks about, and how it is named in "Danh mục chưa có thông tin về …".
INTENT_ATTRIBUTES = {
    "ask_documents": "documents",
    "ask_fee": "fee",
    "ask_processing_time": "processing_time",
    "ask_online": "online",
    "ask_where_to_submit": "where_to_submit",
    "ask_steps": "steps",
    "ask_conditions": "conditions",
    "ask_result": "result",
    "ask_legal_basis": "legal_basis",
    "ask_forms": "forms",
}
ATTRIBUTE_LABELS = {
    "documents": "thành phần hồ sơ",
    "fee": "phí, lệ phí",
    "processing_time": "thời hạn giải quyết",
    "online": "mức dịch vụ công trực tuyến",
    "where_to_submit": "nơi nộp hồ sơ",
    "steps": "trình tự thực hiện",
    "conditions": "điều kiện thực hiện",
    "result": "kết quả thực hiện",
    "legal_basis": "căn cứ pháp lý",
    "forms": "mẫu đơn, tờ khai",
    "overview": "thủ tục",
}


def shorten(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _bullets(items: Iterable[str], limit: int = MAX_ITEMS) -> str | None:
    unique: list[str] = []
    for item in items:
        item = shorten(item)
        if item and item not in unique:
            unique.append(item)
    if not unique:
        return None
    lines = [f"- {item}" for item in unique[:limit]]
    if len(unique) > limit:
        lines.append(f"- … và {len(unique) - limit} mục khác (xem trang thủ tục)")
    return "\n".join(lines)


def _copies(originals: int | None, copies: int | None) -> str:
    parts = []
    if originals:
        parts.append(f"bản chính: {originals}")
    if copies:
        parts.append(f"bản sao: {copies}")
    return f" ({', '.join(parts)})" if parts else ""


def documents(record: Procedure) -> str | None:
    lines: list[str] = []
    shown = total = 0
    for group in record.get("documents") or []:
        docs = [d for d in group.get("documents") or [] if d.get("name")]
        if not docs:
            continue
        if group.get("case"):
            lines.append(f"Trường hợp {shorten(group['case'] or '', 120)}:")
        for doc in docs:
            total += 1
            if shown < MAX_ITEMS:
                shown += 1
                lines.append(f"- {shorten(doc['name'])}{_copies(doc.get('originals'), doc.get('copies'))}")
    if not lines:
        return None
    if total > shown:
        lines.append(f"- … và {total - shown} giấy tờ khác (xem trang thủ tục)")
    return "\n".join(lines)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _fee_line(channel: Channel) -> str | None:
    parts = []
    for fee in channel.get("fees") or []:
        amount, description = fee.get("amount_vnd"), shorten(fee.get("description") or "", 160)
        if amount == 0:
            parts.append("miễn phí" + (f" ({description})" if description else ""))
        elif amount is not None:
            parts.append(_money(amount) + (f" ({description})" if description else ""))
        elif description:
            parts.append(description)
    return "; ".join(parts) or None


def _per_channel(record: Procedure, line: Callable[[Channel], str | None]) -> str | None:
    by_text: dict[str, list[str]] = {}
    for channel in record.get("channels") or []:
        text = line(channel)
        if text:
            label = METHOD_LABELS.get(channel.get("method") or "", channel.get("method") or "")
            by_text.setdefault(text, []).append(label)
    if not by_text:
        return None
    return "\n".join(f"- {', '.join(labels)}: {text}" for text, labels in by_text.items())


def fees(record: Procedure) -> str | None:
    return _per_channel(record, _fee_line)


def _time_line(channel: Channel) -> str | None:
    parts = []
    for time in channel.get("times") or []:
        if time.get("text"):
            parts.append(shorten(time["text"], 200))
        elif time.get("value") is not None:
            value = time["value"]
            number = f"{value:g}" if isinstance(value, float) else str(value)
            parts.append(f"{number} {time.get('unit') or ''}".strip())
    return "; ".join(parts) or None


def processing_times(record: Procedure) -> str | None:
    return _per_channel(record, _time_line)


def methods(record: Procedure) -> str | None:
    labels = []
    for channel in record.get("channels") or []:
        label = METHOD_LABELS.get(channel.get("method") or "")
        if label and label.lower() not in labels:
            labels.append(label.lower())
    return ", ".join(labels) or None


def online_level(record: Procedure) -> str:
    return (record.get("online_level") or {}).get("level") or "unknown"


ONLINE_SUMMARY = {
    "toan_trinh": "dịch vụ công trực tuyến toàn trình",
    "mot_phan": "dịch vụ công trực tuyến một phần",
    "none": "chưa hỗ trợ nộp trực tuyến",
    "unknown": "chưa rõ mức dịch vụ công trực tuyến",
}


def where_to_submit(record: Procedure) -> str | None:
    lines = []
    if record.get("executing_agency"):
        lines.append(f"- Cơ quan thực hiện: {shorten(record['executing_agency'] or '')}")
    if record.get("competent_agency") and record.get("competent_agency") != record.get("executing_agency"):
        lines.append(f"- Cơ quan có thẩm quyền: {shorten(record['competent_agency'] or '')}")
    if record.get("levels"):
        lines.append(f"- Cấp thực hiện: {', '.join(record.get('levels') or [])}")
    if not lines:
        return None
    how = methods(record)
    if how:
        lines.append(f"- Cách nộp: {how}")
    return "\n".join(lines)


def agency(record: Procedure) -> str:
    return record.get("executing_agency") or record.get("competent_agency") or "xem trang thủ tục"


def steps(record: Procedure) -> str | None:
    items = [shorten(s) for s in record.get("steps") or [] if s and s.strip()]
    if not items:
        return None
    lines = [f"{i}. {item}" for i, item in enumerate(items[:MAX_STEPS], start=1)]
    if len(items) > MAX_STEPS:
        lines.append(f"… và {len(items) - MAX_STEPS} bước nữa (xem trang thủ tục)")
    return "\n".join(lines)


def conditions(record: Procedure) -> str | None:
    text = record.get("conditions")
    return shorten(text, MAX_TEXT_CHARS) if text and text.strip() else None


def results(record: Procedure) -> str | None:
    return _bullets(record.get("results") or [], limit=5)


def legal_basis(record: Procedure) -> str | None:
    items = []
    for doc in record.get("legal_basis") or []:
        number, title = doc.get("number"), shorten(doc.get("title") or "", 160)
        items.append(f"{number}: {title}" if number and title else number or title)
    return _bullets([i for i in items if i], limit=6)


def forms(record: Procedure) -> str | None:
    items = []
    for group in record.get("documents") or []:
        for doc in group.get("documents") or []:
            if doc.get("form"):
                items.append(f"{shorten(doc['form'] or '', 120)} (cho: {shorten(doc.get('name') or '', 100)})")
    return _bullets(items)
