"""Turn fields of a catalog record into short Vietnamese text for the reply templates.

Only facts from the record are shown; an empty field gives ``None`` and the caller answers with
``utter_field_missing`` instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from actions.catalog_client import Channel, Document, Fee, Procedure
from knowledge.normalize import fold

MAX_ITEMS = 8
MAX_STEPS = 6
MAX_ITEM_CHARS = 220
MAX_TEXT_CHARS = 600
# Documents: a record may group them by case (up to 14 groups); a chat reply shows the first few.
MAX_GROUPS = 3
MAX_DOCS_PER_GROUP = 5
MAX_DOC_CHARS = 180
# Fees: a short description is shown whole; a long one (a flattened tariff, up to 2,600 characters) is cut
# into clauses and only those with an amount, and the headings that say whom they apply to, are kept.
MAX_FEE_CHARS = 240
MAX_FEE_CLAUSES = 5
MAX_FEE_CLAUSE_CHARS = 160

# "150.000", "1.500.000 đồng", "50%", "10,000 Việt Nam Đồng": a figure a citizen pays.
AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?\s*(?:%|đồng|đ\b|vnđ|triệu|nghìn|ngàn)", re.IGNORECASE)
# Clause boundaries of a long fee text: after ". ", "; " or ": ", and before a "- " / "+ " / "* " bullet.
CLAUSE_BREAK = re.compile(r"(?<=[.;:])\s+|\s+(?=[-+*•]\s)")
# Record texts often carry their own list markers ("- Giấy chứng sinh", "* Giấy tờ phải nộp:").
LEADING_MARK = re.compile(r"^(?:[-+*•]+|\(?[a-zđ0-9]\)|[0-9]+\.)\s+", re.IGNORECASE)
LEADING_AMOUNT = re.compile(r"^[0-9][0-9.,]*\s*(?:việt nam đồng|vnđ|đồng|đ)?\s*", re.IGNORECASE)
# A fee description that itself says nothing is charged.
FREE_WORDS = ("mien phi", "mien le phi", "khong thu", "khong mat phi", "khong phai nop", "0 dong")

METHOD_LABELS = {"online": "Trực tuyến", "postal": "Qua bưu chính", "direct": "Trực tiếp"}


def shorten(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _clean(text: str) -> str:
    """Whitespace folded and the record's own list marker dropped (the reply adds its own)."""
    return LEADING_MARK.sub("", " ".join(text.split()))


def _bullets(items: Iterable[str], limit: int = MAX_ITEMS) -> str | None:
    unique: list[str] = []
    for item in items:
        item = shorten(_clean(item))
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


def _case_heading(case: str) -> str:
    """A group heading: "* Giấy tờ phải nộp:" → "Giấy tờ phải nộp:";
    "Đăng ký vào chỗ ở của mình" → "Trường hợp đăng ký vào chỗ ở của mình:"."""
    label = shorten(_clean(case), 160).rstrip(" :")
    folded = fold(label).lower()
    if not folded.startswith(("truong hop", "doi voi", "giay to", "cac giay to", "ho so", "thanh phan", "luu y")):
        if len(label) > 1 and label[1].islower():  # not an acronym
            label = label[0].lower() + label[1:]
        label = f"Trường hợp {label}"
    return f"{label}:"


def _group_order(group: tuple[str | None, list[Document]]) -> int:
    heading = fold(_clean(group[0] or "")).lower()
    return 0 if not heading else 2 if heading.startswith("luu y") else 1


def documents(record: Procedure) -> str | None:
    """One document a line; grouped under the record's own cases when it has them."""
    groups = [
        (group.get("case"), [d for d in group.get("documents") or [] if (d.get("name") or "").strip()])
        for group in record.get("documents") or []
    ]
    # A group without a heading (usually the main list) first; notes ("Lưu ý:") are not documents: last.
    groups = sorted(((c, d) for c, d in groups if d), key=_group_order)
    if not groups:
        return None
    lines: list[str] = []
    for case, docs in groups[:MAX_GROUPS]:
        if case and _clean(case):
            lines.append(_case_heading(case))
        for doc in docs[:MAX_DOCS_PER_GROUP]:
            name = shorten(_clean(doc.get("name") or ""), MAX_DOC_CHARS)
            lines.append(f"- {name}{_copies(doc.get('originals'), doc.get('copies'))}")
        if len(docs) > MAX_DOCS_PER_GROUP:
            lines.append(f"- … và {len(docs) - MAX_DOCS_PER_GROUP} giấy tờ khác (xem trang thủ tục)")
    if len(groups) > MAX_GROUPS:
        lines.append(f"… và {len(groups) - MAX_GROUPS} trường hợp khác (xem trang thủ tục)")
    return "\n".join(lines)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def fee_text(description: str) -> str:
    """A fee description fit for a chat reply; a long one keeps every clause with an amount (up to
    ``MAX_FEE_CLAUSES``, and says how many more there are) and the headings before them."""
    text = " ".join(description.split())
    if len(text) <= MAX_FEE_CHARS:
        return text
    clauses = [c for c in CLAUSE_BREAK.split(text) if c.strip()]
    priced = [i for i, c in enumerate(clauses) if AMOUNT.search(c)]
    if not priced:
        return shorten(text, MAX_FEE_CHARS)
    kept: list[str] = []
    for i in priced[:MAX_FEE_CLAUSES]:
        # "Đối với đất ở:" + "150.000 đồng/hồ sơ": the heading says whom the amount applies to.
        heading = clauses[i - 1] if i > 0 and clauses[i - 1].endswith(":") and i - 1 not in priced else ""
        kept.append(f"{shorten(_clean(heading), 120)} {_shorten_keeping_amounts(clauses[i])}".strip())
    if len(priced) > MAX_FEE_CLAUSES:
        kept.append(f"… và {len(priced) - MAX_FEE_CLAUSES} mức thu khác (xem trang thủ tục)")
    return "; ".join(_clean(k).rstrip(" .;") for k in kept)


def _shorten_keeping_amounts(clause: str) -> str:
    """Cut a long clause after its last amount rather than before it."""
    if len(clause) <= MAX_FEE_CLAUSE_CHARS:
        return clause
    last = max(m.end() for m in AMOUNT.finditer(clause))
    if last >= MAX_FEE_CLAUSE_CHARS:
        end = clause.find(" ", last)
        return clause if end < 0 else clause[:end].rstrip(" ,;:.") + "…"
    return shorten(clause, MAX_FEE_CLAUSE_CHARS)


def _is_free(fee: Fee) -> bool:
    """Nothing to pay: amount 0 with no description, or one that says so. An amount of 0 beside a description
    that does not say "free" (e.g. "theo quy định của HĐND tỉnh", or a tariff) is not shown as free."""
    if fee.get("amount_vnd") != 0:
        return False
    description = fold(fee.get("description") or "").lower()
    if not description.strip():
        return True
    return any(word in description[:60] for word in FREE_WORDS) and not any(
        m.group() not in ("0 đồng", "0 đ") for m in AMOUNT.finditer(fee.get("description") or "")
    )


def _amounts(text: str) -> set[int]:
    return {int(re.sub(r"\D", "", m.group()) or 0) for m in AMOUNT.finditer(text)}


def _fee_line(channel: Channel) -> str | None:
    parts = []
    for fee in channel.get("fees") or []:
        amount, description = fee.get("amount_vnd"), " ".join((fee.get("description") or "").split())
        if _is_free(fee):
            note = shorten(re.sub(r"^miễn phí\s*", "", description, flags=re.IGNORECASE).strip(" ()"), 160)
            parts.append("miễn phí" + (f" ({note})" if note else ""))
        elif amount and _amounts(description) <= {amount}:
            # The description only restates the amount ("10,000 Việt Nam Đồng (…)"): the amount, then the rest.
            rest = LEADING_AMOUNT.sub("", description).strip(" ()")
            parts.append(_money(amount) + (f" ({shorten(rest, 160)})" if rest else ""))
        elif description:
            # Several amounts, or none beside a text: the record's own words, shortened keeping the amounts.
            parts.append(fee_text(description))
        elif amount:
            parts.append(_money(amount))
    if sum(len(part) for part in parts) > MAX_FEE_CHARS or any("; " in part for part in parts):
        return "".join(f"\n  + {part}" for part in parts) or None  # one fee a line under its channel
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
    return "\n".join(
        f"- {', '.join(labels)}:{'' if text.startswith(chr(10)) else ' '}{text}" for text, labels in by_text.items()
    )


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
        if number and title and number not in title:
            items.append(f"{number}: {title}")
        else:
            items.append(title or number or "")
    return _bullets([i for i in items if i], limit=6)


def forms(record: Procedure) -> str | None:
    items = []
    for group in record.get("documents") or []:
        for doc in group.get("documents") or []:
            if doc.get("form"):
                items.append(f"{shorten(doc['form'] or '', 120)} (cho: {shorten(doc.get('name') or '', 100)})")
    return _bullets(items)
