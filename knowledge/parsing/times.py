"""Processing times ("Thời hạn giải quyết"): a number and its unit where the cell states one duration,
always with its verbatim text.

A crawl's run-together row ("Trực tuyến7 Ngày làm việc10,000 Đồng…", `take_time`), a time cell on its
own (`parse_processing_time`), and a table cell or the portal API's number and unit (`processing_time`,
`API_UNITS`).
"""

from __future__ import annotations

import re

from knowledge.parsing.fees import AMOUNT, FEE_TOKEN, NO_INFO, NUMBER, to_int
from knowledge.schema import ProcessingTime
from vitext.normalize import fold, normalize

_UNITS = ("ngày làm việc", "ngày", "giờ", "tháng", "năm", "tuần", "phút")
_TIME_WITH_UNIT = re.compile(rf"^({NUMBER})\s?({'|'.join(_UNITS)})", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^(\d+)(?![\d.,])")
# A textual processing time ("Không phải trả kết quả …") is accepted only when short and followed
# by a fee cell; longer runs are descriptions that happen to start with a channel word.
MAX_TEXT_TIME = 200


def parse_processing_time(text: str) -> ProcessingTime | None:
    """One time cell on its own ("7 Ngày làm việc", "15 ngày kể từ …"); None when empty."""
    text = normalize(text)
    if not text or fold(text) == fold(NO_INFO):
        return None
    match = _TIME_WITH_UNIT.match(text)
    if match:
        return ProcessingTime(value=_to_float(match.group(1)), unit=match.group(2).lower(), text=text)
    if re.fullmatch(r"\d+", text):
        return ProcessingTime(value=float(text), text=text)
    return ProcessingTime(text=text)


def _to_float(number: str) -> float | None:
    try:
        return float(number.replace(",", "."))
    except ValueError:
        return None


def take_time(cells: str) -> tuple[ProcessingTime | None, str]:
    if cells.startswith(NO_INFO):
        return None, cells[len(NO_INFO) :]
    match = _TIME_WITH_UNIT.match(cells)
    if match:
        unit = match.group(2).lower()
        return ProcessingTime(value=_to_float(match.group(1)), unit=unit, text=match.group(0)), cells[match.end() :]
    run_together = AMOUNT.match(cells)
    if run_together:
        return _split_bare_time(cells, run_together)
    match = _BARE_NUMBER.match(cells)
    if match:
        return ProcessingTime(value=float(match.group(1)), text=match.group(1)), cells[match.end() :]
    fee = FEE_TOKEN.search(cells, 0, MAX_TEXT_TIME)
    if fee and fee.start() > 0:
        text = normalize(cells[: fee.start()])
        return ProcessingTime(text=text), cells[fee.start() :]
    return None, cells


def _split_bare_time(cells: str, amount: re.Match[str]) -> tuple[ProcessingTime | None, str]:
    """Split "120 VNĐ" (time cell "1" run into fee "20 VNĐ") at the shortest valid time prefix.

    A bare time and an amount that follows it cannot be told apart from the text alone; times
    without unit are overwhelmingly one digit ("1") on the portal, and an amount never starts
    with 0, so the shortest prefix that leaves a well-formed amount is taken.
    """
    digits = amount.group(1)
    for cut in range(1, len(digits)):
        head, tail = digits[:cut], digits[cut:]
        if not head.isdigit() or tail[0] in ".,":
            continue
        if (tail[0] != "0" or tail == "0") and to_int(tail) is not None:
            return ProcessingTime(value=float(head), text=head), cells[cut:]
    return None, cells


# Table cells and the portal API.
# The portal API's units; "OTHER" is deliberately absent (its number has no known unit).
API_UNITS: dict[str, str] = {
    "WORKING_DAY": "ngày làm việc",
    "DAY": "ngày",
    "HOUR": "giờ",
    "MONTH": "tháng",
    "YEAR": "năm",
}
_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("ngay lam viec", "ngày làm việc"),
    ("gio lam viec", "giờ làm việc"),
    ("ngay", "ngày"),
    ("gio", "giờ"),
    ("tuan", "tuần"),
    ("thang", "tháng"),
    ("nam", "năm"),
    ("phut", "phút"),
)
_UNIT_BY_WORD = dict(_UNIT_WORDS)
_DURATION = re.compile(
    r"^(?:(?:khong qua|toi da|trong vong|trong thoi han|trong)\s+)?"
    r"(\d+(?:[.,]\d+)?)\s*(" + "|".join(word for word, _ in _UNIT_WORDS) + r")"
    r"(?:\s*\([^()]*\))?(?:\s+(?:ke tu|tinh tu)\s[^.;]*)?\s*[.;]?$"
)
_SENTENCE_END = re.compile(r"(?<=[.;])\s+|\n")


def parse_duration(text: str) -> tuple[float | None, str | None]:
    """ "35 Ngày làm việc" → (35.0, "ngày làm việc"); (None, None) unless the text is one clear duration.

    A leading sentence such as "Không quá 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ." counts when what
    follows holds no other number; otherwise it may state exceptions and the value stays unknown.
    """
    parts = _SENTENCE_END.split(normalize(text).replace("\t", " "), maxsplit=1)
    head, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    match = _DURATION.match(fold(head))
    if not match or re.search(r"\d", rest):
        return None, None
    return float(match[1].replace(",", ".")), _UNIT_BY_WORD[match[2]]


def processing_time(text: str) -> ProcessingTime | None:
    """One ProcessingTime from a cell, keeping the verbatim text; None for an empty cell."""
    cleaned = normalize(text)
    if not cleaned:
        return None
    value, unit = parse_duration(cleaned)
    return ProcessingTime(value=value, unit=unit, text=cleaned)


def format_quantity(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
