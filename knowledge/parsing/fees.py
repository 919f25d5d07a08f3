"""Fees and charges ("Phí, lệ phí"): the amount in đồng where the cell states one clearly, and its text.

Two shapes of the same portal cells: a crawl's run-together row ("…10,000 Việt Nam Đồng(ghi chú)…",
`take_fee`, `parse_fee`) and a table cell with "Phí :" / "Lệ phí :" items (`parse_fees`). A cell that
does not read as one clear amount keeps its text and no number: a wrong fee is worse than none.
"""

from __future__ import annotations

import re

from knowledge.parsing.cells import matching_paren_end
from knowledge.schema import Fee
from vitext.normalize import fold, normalize

NUMBER = r"\d+(?:[.,]\d+)*"
NO_INFO = "Không có thông tin"
FREE = re.compile(r"^Miễn phí", re.IGNORECASE)
_CURRENCY = r"(?:Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD|EUR|đ(?![^\W\d_]))"
AMOUNT = re.compile(rf"^({NUMBER})\s?({_CURRENCY})(/(?:bản sao|bản chính|[^\s(]+))?")
FEE_TOKEN = re.compile(rf"Miễn phí|{NO_INFO}|\d[\d.,]*\s?{_CURRENCY}")
_VND_CURRENCIES = {"viet nam dong", "vnd", "dong", "d"}


def parse_amount_vnd(text: str) -> int | None:
    """VND amount in a fee cell: "10,000 Việt Nam Đồng" → 10000, "Miễn phí"/"Phí : 0 Đồng" → 0.

    Both "," and "." are thousands separators on the portal ("10,000", "10.000 đồng").
    Amounts in other currencies give None.
    """
    text = normalize(text)
    if FREE.match(text):
        return 0
    match = re.search(rf"(?<![\d.,])({NUMBER})\s?({_CURRENCY})", text)
    if not match or fold(match.group(2)) not in _VND_CURRENCIES:
        return None
    return to_int(match.group(1))


def to_int(number: str) -> int | None:
    groups = re.split(r"[.,]", number)
    if len(groups) > 1 and not all(len(group) == 3 for group in groups[1:]):
        return None  # a decimal or a malformed amount: not something to guess at
    return int("".join(groups))


def parse_fee(text: str) -> Fee | None:
    """One fee cell on its own ("Lệ phí : 8,000 Đồng/bản sao", "Miễn phí"); None when empty."""
    text = normalize(text)
    if not text or fold(text) == fold(NO_INFO):
        return None
    return Fee(amount_vnd=parse_amount_vnd(text), description=text)


def take_fee(cells: str) -> tuple[Fee | None, str]:
    token = ""
    amount: int | None = None
    if cells.startswith(NO_INFO):
        cells = cells[len(NO_INFO) :]
    elif match := FREE.match(cells):
        token, amount, cells = match.group(0), 0, cells[match.end() :]
    elif match := AMOUNT.match(cells):
        token, cells = match.group(0), cells[match.end() :]
        amount = to_int(match.group(1)) if fold(match.group(2)) in _VND_CURRENCIES else None
    inner = ""
    if cells.startswith("("):
        end = matching_paren_end(cells, 0)
        inner, cells = normalize(cells[1:end].removesuffix(")")), cells[end:]
    if not token and not inner:
        return None, cells
    description = f"{token} ({inner})" if token and inner else token or inner
    return Fee(amount_vnd=amount, description=description), cells


# Table cells: one item per "Phí :" / "Lệ phí :" line.
_FEE_LABEL = re.compile(r"^(?:le phi|phi|gia)\s*:\s*")
_TRAILING_NOTE = re.compile(r"\s*\(.*\)\s*$")
_FREE_WORDS = {"mien phi", "mien le phi", "khong", "khong dong", "khong thu", "0"}
_FOLDED_AMOUNT = re.compile(r"^(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(dong|vnd|d)?\.?$")
_MORE = re.compile(r"\s*Xem chi tiết\s*", re.IGNORECASE)
_ITEM_START = re.compile(r"^(?:le phi|phi|gia|mien)\b")


def parse_fee_amount(text: str) -> int | None:
    """ "Phí : 0 Đồng" → 0, "Lệ phí: 50.000 đồng" → 50000, "Miễn phí" → 0; None when unclear or not VND."""
    body = _FEE_LABEL.sub("", fold(_MORE.sub(" ", text)))
    body = _TRAILING_NOTE.sub("", body).strip()
    if "usd" in body or "$" in body or "%" in body:
        return None
    if body in _FREE_WORDS or body.startswith(("mien phi", "mien le phi")):
        return 0
    match = _FOLDED_AMOUNT.match(body)
    if not match:
        return None
    amount = int(re.sub(r"[.,]", "", match[1]))
    # A bare number could be in any currency; only zero means the same in all of them.
    return amount if match[2] or amount == 0 else None


def parse_fees(cell: str) -> list[Fee]:
    """Every fee in a cell: one per "Phí :" / "Lệ phí :" item, or per "Xem chi tiết" link text."""
    items: list[str] = []
    for line in cell.replace("\r", "\n").split("\n"):
        for piece in _MORE.split(line):
            if not normalize(piece):
                continue
            # Lines such as "File đính kèm: …" belong to the fee above them.
            if items and not _ITEM_START.match(fold(piece)):
                items[-1] = f"{items[-1]} {piece}"
            else:
                items.append(piece)
    return [Fee(amount_vnd=parse_fee_amount(item), description=normalize(item)) for item in items]
