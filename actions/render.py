"""Turn fields of a catalog record into short Vietnamese text for the reply templates.

Only facts from the record are shown, in whole items and whole sentences (a long list is shortened
or paged, never an item); an empty field gives ``None`` and the caller answers with
``utter_field_missing`` instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from actions.pages import Rendered, paginate, parse_view
from actions.records import Channel, Fee, Procedure
from actions.render_documents import documents
from actions.text import clean, whole_sentences
from vitext.normalize import fold

__all__ = ["documents"]

MAX_ITEMS = 6
MAX_TEXT_CHARS = 600
MAX_FEE_CHARS = 400
MAX_FEE_CLAUSES = 5
MAX_AGENCIES = 3

# "150.000", "1.500.000 đồng", "50%", "10,000 Việt Nam Đồng": a figure a citizen pays.
AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?\s*(?:%|đồng|đ\b|vnđ|triệu|nghìn|ngàn)", re.IGNORECASE)
# Clause boundaries of a long fee text: after ". ", "; " or ": ", and before a "- " / "+ " / "* " bullet.
CLAUSE_BREAK = re.compile(r"(?<=[.;:])\s+|\s+(?=[-+*•]\s)")
LEADING_AMOUNT = re.compile(r"^[0-9][0-9.,]*\s*(?:việt nam đồng|vnđ|đồng|đ)?\s*", re.IGNORECASE)
FREE_WORDS = ("mien phi", "mien le phi", "khong thu", "khong mat phi", "khong phai nop", "0 dong")
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


def _amounts(text: str) -> set[int]:
    return {int(re.sub(r"\D", "", m.group()) or 0) for m in AMOUNT.finditer(text)}


def fee_text(description: str) -> str:
    """A fee description fit for a chat reply: whole when short; a long tariff keeps its whole clauses
    with an amount (and the heading before each), up to ``MAX_FEE_CLAUSES``."""
    text = " ".join(description.split())
    if len(text) <= MAX_FEE_CHARS:
        return text
    clauses = [c for c in CLAUSE_BREAK.split(text) if c.strip()]
    priced = [i for i, c in enumerate(clauses) if AMOUNT.search(c)]
    if not priced:
        return whole_sentences(text, MAX_FEE_CHARS)[0]
    kept: list[str] = []
    for i in priced[:MAX_FEE_CLAUSES]:
        # "Đối với đất ở:" + "150.000 đồng/hồ sơ": the heading says whom the amount applies to.
        heading = clauses[i - 1] if i > 0 and clauses[i - 1].endswith(":") and i - 1 not in priced else ""
        kept.append(f"{clean(heading)} {clauses[i]}".strip())
    if len(priced) > MAX_FEE_CLAUSES:
        kept.append(f"còn {len(priced) - MAX_FEE_CLAUSES} mức thu: xem trên Cổng Dịch vụ công")
    return "; ".join(clean(k).rstrip(" .;") for k in kept)


def _is_free(fee: Fee) -> bool:
    """Nothing to pay: amount 0 with no description, or one that says so and names no other amount."""
    if fee.get("amount_vnd") != 0:
        return False
    description = fold(fee.get("description") or "")
    if not description.strip():
        return True
    return any(word in description[:60] for word in FREE_WORDS) and not any(
        m.group() not in ("0 đồng", "0 đ") for m in AMOUNT.finditer(fee.get("description") or "")
    )


def unwrap(text: str) -> str:
    """ "(note)" → "note": one pair of parentheses around the whole text, no more."""
    text = text.strip()
    return text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text


def _fee_part(fee: Fee) -> str | None:
    amount, description = fee.get("amount_vnd"), " ".join((fee.get("description") or "").split())
    if _is_free(fee):
        note = unwrap(re.sub(r"^miễn phí\s*", "", description, flags=re.IGNORECASE))
        return "miễn phí" + (f" ({whole_sentences(note, 200)[0]})" if note else "")
    if amount is None and fold(description).startswith("mien phi") and _amounts(description) - {0}:
        # "Miễn phí(Nộp 150.000 đồng + …)": the cell says free, then states what is paid: say both.
        rest = unwrap(re.sub(r"^miễn phí\s*", "", description, flags=re.IGNORECASE))
        return f"ô phí ghi «Miễn phí» nhưng kèm mức thu: {fee_text(rest)}"
    rest = unwrap(LEADING_AMOUNT.sub("", description))
    if amount and _amounts(description) <= {amount}:
        return _money(amount) + (f" ({whole_sentences(rest, 200)[0]})" if rest else "")
    leading = LEADING_AMOUNT.match(description)
    if amount and leading and amount in _amounts(rest):
        # "700 VNĐ (… 700.000 đồng/cơ sở)": the cell's amount was corrected from its own description
        # (see the record's conflicts); the wrong figure is not repeated.
        return f"{_money(amount)} ({fee_text(rest)})"
    if amount and leading and leading.group().strip() and _amounts(leading.group()) != {amount}:
        # "500 VNĐ" here, "500.000 đồng" in another channel's description of the same fee: both are said.
        token = leading.group().strip()
        return f"{_money(amount)} (ô phí ghi «{token}», mô tả phí của thủ tục ghi {_money(amount)})" + (
            f": {fee_text(rest)}" if rest else ""
        )
    if description:
        return fee_text(description)
    return _money(amount) if amount else None


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
        f.get("amount_vnd") or _amounts(f.get("description") or "") - {0}
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
