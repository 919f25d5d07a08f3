"""Turn fields of a catalog record into short Vietnamese text for the reply templates.

Only facts from the record are shown, in whole items and whole sentences (a long list is shortened
or paged, never an item); an empty field gives ``None`` and the caller answers with
``utter_field_missing`` instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from actions.pages import Rendered, paginate, parse_view
from actions.records import Channel, Fee, FeeReading, Procedure
from actions.render_documents import documents
from actions.text import clean, whole_sentences
from vitext.normalize import fold

__all__ = ["documents"]

MAX_ITEMS = 6
MAX_TEXT_CHARS = 600
MAX_FEE_CHARS = 400
MAX_FEE_CLAUSES = 5
MAX_AGENCIES = 3

_FEE_WORD = re.compile(r"\b(?:lệ phí|phí)\b", re.IGNORECASE)

METHOD_LABELS = {"online": "Trực tuyến", "postal": "Qua bưu chính", "direct": "Trực tiếp"}


def _bullets(items: Iterable[str], limit: int = MAX_ITEMS, noun: str = "mục") -> str | None:
    unique: list[str] = []
    for item in items:
        item = clean(item)
        if item and item not in unique:
            unique.append(item)
    if not unique:
        return None
    lines = [f"- {item}" for item in unique[:limit]]
    if len(unique) > limit:
        lines.append(f"(còn {len(unique) - limit} {noun}: xem trên Cổng Dịch vụ công)")
    return "\n".join(lines)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def fee_text(reading: FeeReading) -> str:
    """A fee description fit for a chat reply: whole when short; a long tariff keeps its whole clauses
    with an amount (and the heading before each), up to ``MAX_FEE_CLAUSES``."""
    items = reading.get("items") or []
    if not items:
        return whole_sentences(reading.get("detail") or "", MAX_FEE_CHARS)[0]
    kept = [f"{clean(item.get('heading') or '')} {item.get('text') or ''}".strip() for item in items[:MAX_FEE_CLAUSES]]
    if len(items) > MAX_FEE_CLAUSES:
        kept.append(f"còn {len(items) - MAX_FEE_CLAUSES} mức thu: xem trên Cổng Dịch vụ công")
    return "; ".join(clean(k).rstrip(" .;") for k in kept)


def _note(reading: FeeReading) -> str:
    detail = reading.get("detail") or ""
    return f" ({whole_sentences(detail, 200)[0]})" if detail else ""


def _fee_part(fee: Fee) -> str | None:
    """One fee as the catalog read it (knowledge/parsing/fee_reading.py): the amount, and what the
    description adds or where the cell and the description disagree."""
    amount, reading = fee.get("amount_vnd"), fee.get("reading")
    if not reading:
        return None
    kind = reading.get("kind")
    if kind == "free":
        return "miễn phí" + _note(reading)
    if kind == "free_but_priced":
        # "Miễn phí(Nộp 150.000 đồng + …)": the cell says free, then states what is paid: say both.
        return f"ô phí ghi «Miễn phí» nhưng kèm mức thu: {fee_text(reading)}"
    if not amount:
        return fee_text(reading) if kind == "described" else None
    if kind == "stated":
        return _money(amount) + _note(reading)
    if kind == "corrected":
        # "700 VNĐ (… 700.000 đồng/cơ sở)": the cell's amount was corrected from its own description
        # (see the record's conflicts); the wrong figure is not repeated.
        return f"{_money(amount)} ({fee_text(reading)})"
    if kind == "written_otherwise":
        # "500 VNĐ" here, "500.000 đồng" in another channel's description of the same fee: both are said.
        said = f"{_money(amount)} (ô phí ghi «{reading.get('written')}», mô tả phí của thủ tục ghi {_money(amount)})"
        return said + (f": {fee_text(reading)}" if reading.get("detail") else "")
    return fee_text(reading) if kind == "described" else _money(amount)


def _fee_line(channel: Channel) -> str | None:
    parts = [part for fee in channel.get("fees") or [] if (part := _fee_part(fee))]
    if sum(len(part) for part in parts) > 200 or any("; " in part for part in parts):
        return "".join(f"\n  + {part}" for part in parts) or None  # one fee a line under its channel
    return "; ".join(parts) or None


def _per_channel(record: Procedure, line: Callable[[Channel], str | None]) -> str | None:
    by_text: dict[str, list[str]] = {}
    for channel in record.get("channels") or []:
        text = line(channel)
        if text:
            method = METHOD_LABELS.get(channel.get("method") or "", channel.get("method") or "")
            by_text.setdefault(text, []).append(method)
    if not by_text:
        return None
    return "\n".join(
        f"- {', '.join(methods)}:{'' if text.startswith(chr(10)) else ' '}{text}" for text, methods in by_text.items()
    )


def fee_step(record: Procedure) -> str | None:
    """The sentence of the steps that speaks of a fee ("… nộp lệ phí nếu thuộc trường hợp phải nộp …")."""
    for step in record.get("steps") or []:
        for sentence in re.split(r"(?<=[.;])\s+", " ".join(step.split())):
            if _FEE_WORD.search(sentence):
                return clean(sentence)
    return None


def fees(record: Procedure) -> str | None:
    table = _per_channel(record, _fee_line)
    stated = any(
        f.get("amount_vnd") or (f.get("reading") or {}).get("names_amount")
        for ch in record.get("channels") or []
        for f in ch.get("fees") or []
    )
    step = None if stated else fee_step(record)
    if step:
        # The fee table says nothing to pay (or nothing), but the steps speak of one: the citizen reads both.
        note = f"Trình tự thực hiện có ghi: «{step}»"
        return f"{table}\n{note}" if table else note
    return table


def _time_part(time: dict) -> str | None:
    value, unit, text = time.get("value"), time.get("unit"), " ".join((time.get("text") or "").split())
    if value is None:
        return whole_sentences(text, 300)[0] if text else None
    number = f"{value:g}" if isinstance(value, float) else str(value)
    if not unit:
        return f"{number} (nguồn không ghi đơn vị)"
    if text and fold(unit) not in fold(text):
        return f"{number} {unit} (đơn vị theo nội dung thủ tục; bảng thời hạn chỉ ghi {text})"
    return whole_sentences(text, 300)[0] if text else f"{number} {unit}"


def _time_line(channel: Channel) -> str | None:
    parts = [part for time in channel.get("times") or [] if (part := _time_part(dict(time)))]
    return "; ".join(parts) or None


def processing_times(record: Procedure) -> str | None:
    return _per_channel(record, _time_line)


def methods(record: Procedure) -> str | None:
    names = []
    for channel in record.get("channels") or []:
        method = METHOD_LABELS.get(channel.get("method") or "")
        if method and method.lower() not in names:
            names.append(method.lower())
    return ", ".join(names) or None


def online_level(record: Procedure) -> str:
    return (record.get("online_level") or {}).get("level") or "unknown"


ONLINE_SUMMARY = {
    "toan_trinh": "dịch vụ công trực tuyến toàn trình",
    "mot_phan": "dịch vụ công trực tuyến một phần",
    "none": "chưa hỗ trợ nộp trực tuyến",
    "unknown": "chưa rõ mức dịch vụ công trực tuyến",
}


def agencies(text: str | None) -> list[str]:
    """An agency field as a list: portals separate agencies with ";" (commas occur inside names)."""
    return [clean(a) for a in (text or "").split(";") if clean(a)]


def _agency_line(title: str, text: str) -> tuple[str, bool]:
    names = agencies(text)
    if len(names) <= MAX_AGENCIES:
        return f"- {title}: {'; '.join(names)}", False
    shown = "; ".join(names[:MAX_AGENCIES])
    return f"- {title}: có {len(names)} cơ quan, trong đó: {shown}", True


def where_to_submit(record: Procedure, view: str | None = None) -> Rendered | None:
    executing, competent = record.get("executing_agency"), record.get("competent_agency")
    name, page = parse_view(view)
    if name == "agencies" and (executing or competent):
        names = agencies(executing) + [a for a in agencies(competent) if a not in agencies(executing)]
        shown, has_next = paginate([f"- {n}" for n in names], page)
        more = [("Xem thêm cơ quan", f"agencies:{page + 1}")] if has_next else []
        return Rendered("\n".join(["Các cơ quan thực hiện:", *shown]), more)
    lines, long = [], False
    if executing:
        line, cut = _agency_line("Cơ quan thực hiện", executing)
        lines.append(line)
        long |= cut
    if competent and competent != executing:
        line, cut = _agency_line("Cơ quan có thẩm quyền", competent)
        lines.append(line)
        long |= cut
    if record.get("levels"):
        lines.append(f"- Cấp thực hiện: {', '.join(record.get('levels') or [])}")
    if not lines:
        return None
    how = methods(record)
    if how:
        lines.append(f"- Cách nộp: {how}")
    return Rendered("\n".join(lines), [("Tất cả cơ quan", "agencies:1")] if long else [])


def agency(record: Procedure) -> str:
    names = agencies(record.get("executing_agency") or record.get("competent_agency"))
    if not names:
        return "danh mục chưa ghi"
    return names[0] if len(names) == 1 else f"có {len(names)} cơ quan, trong đó: {'; '.join(names[:2])}"


def steps(record: Procedure, view: str | None = None) -> Rendered | None:
    items = [clean(s) for s in record.get("steps") or [] if s and s.strip()]
    if not items:
        return None
    _, page = parse_view(view)
    numbered = [f"{i}. {item}" for i, item in enumerate(items, start=1)]
    shown, has_next = paginate(numbered, page)
    return Rendered("\n".join(shown), [("Xem thêm bước", f"steps:{page + 1}")] if has_next else [])


def conditions(record: Procedure) -> str | None:
    text = record.get("conditions")
    if not text or not text.strip():
        return None
    kept, cut = whole_sentences(text, MAX_TEXT_CHARS)
    return f"{kept}\n(còn nữa: xem trên Cổng Dịch vụ công)" if cut else kept


def results(record: Procedure) -> str | None:
    return _bullets(record.get("results") or [], limit=5)


def legal_item(doc: dict) -> str:
    """ "Luật 43/2024/QH15: Luật số 43/2024/QH15 ngày 29/6/2024" → the title when it names the number, else
    kind and number before the title ("Thông tư 17/2026/TT-BNNMT: sửa đổi, bổ sung …")."""
    number, kind, title = doc.get("number"), doc.get("kind"), clean(doc.get("title") or "")
    if not number:
        return title
    if number in title:
        return title
    head = f"{kind} {number}" if kind else number
    return head if not title or fold(title) == fold(kind or "") else f"{head}: {title}"


def legal_basis(record: Procedure) -> str | None:
    items = [legal_item(dict(doc)) for doc in record.get("legal_basis") or []]
    return _bullets([i for i in items if i], limit=MAX_ITEMS, noun="văn bản")


def forms(record: Procedure) -> str | None:
    items = []
    for group in record.get("documents") or []:
        for doc in group.get("documents") or []:
            if doc.get("form"):
                items.append(f"{doc['form']} (cho: {clean(doc.get('name') or '')})")
    return _bullets(items)
