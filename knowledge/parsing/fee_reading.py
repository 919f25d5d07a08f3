"""What a fee's description says beside its amount, read once when the catalog is built.

A fee cell states an amount, a description, or both, and they do not always agree: "Miễn phí" followed
by what is paid, "700 VNĐ (… 700.000 đồng/cơ sở)" corrected from its own description, a long tariff of
rates by case. The bot words each kind of fee (actions/render.py) from this reading and never reads the
text for amounts itself.
"""

from __future__ import annotations

import re

from knowledge.schema import Fee, FeeItem, FeeReading, Procedure
from vitext.normalize import fold

# "150.000", "1.500.000 đồng", "50%", "10,000 Việt Nam Đồng": a figure a citizen pays.
AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?\s*(?:%|đồng|đ\b|vnđ|triệu|nghìn|ngàn)", re.IGNORECASE)
# Clause boundaries of a long fee text: after ". ", "; " or ": ", and before a "- " / "+ " / "* " bullet.
CLAUSE_BREAK = re.compile(r"(?<=[.;:])\s+|\s+(?=[-+*•]\s)")
LEADING_AMOUNT = re.compile(r"^[0-9][0-9.,]*\s*(?:việt nam đồng|vnđ|đồng|đ)?\s*", re.IGNORECASE)
FREE_WORDS = ("mien phi", "mien le phi", "khong thu", "khong mat phi", "khong phai nop", "0 dong")
_FREE_PREFIX = re.compile(r"^miễn phí\s*", re.IGNORECASE)
# A text longer than this is read as a tariff: its priced clauses are listed one by one.
TARIFF_CHARS = 400


def named_amounts(text: str) -> set[int]:
    return {int(re.sub(r"\D", "", m.group()) or 0) for m in AMOUNT.finditer(text)}


def unwrap(text: str) -> str:
    """ "(note)" → "note": one pair of parentheses around the whole text, no more."""
    text = text.strip()
    return text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text


def tariff(text: str) -> list[FeeItem]:
    """The clauses of a long fee text that state an amount, each with the heading it falls under."""
    text = " ".join(text.split())
    if len(text) <= TARIFF_CHARS:
        return []
    clauses = [c for c in CLAUSE_BREAK.split(text) if c.strip()]
    priced = [i for i, c in enumerate(clauses) if AMOUNT.search(c)]
    return [
        # "Đối với đất ở:" + "150.000 đồng/hồ sơ": the heading says whom the amount applies to.
        FeeItem(
            heading=clauses[i - 1] if i > 0 and clauses[i - 1].endswith(":") and i - 1 not in priced else "",
            text=clauses[i],
        )
        for i in priced
    ]


def _is_free(amount: int | None, raw: str) -> bool:
    """Nothing to pay: amount 0 with no description, or one that says so and names no other amount."""
    if amount != 0:
        return False
    description = fold(raw)
    if not description.strip():
        return True
    return any(word in description[:60] for word in FREE_WORDS) and not any(
        m.group() not in ("0 đồng", "0 đ") for m in AMOUNT.finditer(raw)
    )


def _kind(amount: int | None, raw: str) -> FeeReading | None:
    description = " ".join(raw.split())
    if _is_free(amount, raw):
        return FeeReading(kind="free", detail=unwrap(_FREE_PREFIX.sub("", description)))
    if amount is None and fold(description).startswith("mien phi") and named_amounts(description) - {0}:
        detail = unwrap(_FREE_PREFIX.sub("", description))
        return FeeReading(kind="free_but_priced", detail=detail, items=tariff(detail))
    rest = unwrap(LEADING_AMOUNT.sub("", description))
    if amount and named_amounts(description) <= {amount}:
        return FeeReading(kind="stated", detail=rest)
    leading = LEADING_AMOUNT.match(description)
    if amount and leading and amount in named_amounts(rest):
        return FeeReading(kind="corrected", detail=rest, items=tariff(rest))
    if amount and leading and leading.group().strip() and named_amounts(leading.group()) != {amount}:
        written = leading.group().strip()
        return FeeReading(kind="written_otherwise", written=written, detail=rest, items=tariff(rest))
    if description:
        return FeeReading(kind="described", detail=description, items=tariff(description))
    return FeeReading(kind="amount") if amount else None


def read_fee(fee: Fee) -> Fee:
    reading = _kind(fee.amount_vnd, fee.description)
    if reading is not None:
        reading.names_amount = bool(named_amounts(fee.description) - {0})
    return fee.model_copy(update={"reading": reading})


def with_fee_readings(record: Procedure) -> Procedure:
    channels = [ch.model_copy(update={"fees": [read_fee(f) for f in ch.fees]}) for ch in record.channels]
    return record.model_copy(update={"channels": channels})
