"""The "Cách thức thực hiện" table: submission channel, processing time, fee, note.

Flattened, a row reads "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(fee note)row note" and
rows follow one another with nothing in between, after the header
"Hình thức nộpThời gianPhí, lệ phíMô tả".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.parsing._text import matching_paren_end, tidy
from knowledge.schema import Channel, ChannelMethod, Fee, ProcessingTime
from vitext.normalize import fold, normalize

_HEADER = re.compile(r"^\s*Hình thức nộp\s*Thời (?:gian|hạn giải quyết)\s*Phí,? lệ phí\s*(?:Mô tả)?\s*", re.IGNORECASE)

# Longest labels first so that "Dịch vụ bưu chính" is not read as "Bưu chính".
_LABELS: tuple[tuple[str, ChannelMethod], ...] = (
    ("Dịch vụ bưu chính công ích", "postal"),
    ("Dịch vụ bưu chính", "postal"),
    ("Bưu chính công ích", "postal"),
    ("Bưu chính", "postal"),
    ("Trực tuyến", "online"),
    ("Trực tiếp", "direct"),
)
_LABEL = re.compile("|".join(re.escape(label) for label, _ in _LABELS))

_UNITS = ("ngày làm việc", "ngày", "giờ", "tháng", "năm", "tuần", "phút")
_NUMBER = r"\d+(?:[.,]\d+)*"
_TIME_WITH_UNIT = re.compile(rf"^({_NUMBER})\s?({'|'.join(_UNITS)})", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^(\d+)(?![\d.,])")
_NO_INFO = "Không có thông tin"
_FREE = re.compile(r"^Miễn phí", re.IGNORECASE)
_CURRENCY = r"(?:Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD|EUR|đ(?![^\W\d_]))"
_AMOUNT = re.compile(rf"^({_NUMBER})\s?({_CURRENCY})(/(?:bản sao|bản chính|[^\s(]+))?")
_FEE_TOKEN = re.compile(rf"Miễn phí|{_NO_INFO}|\d[\d.,]*\s?{_CURRENCY}")
_VND_CURRENCIES = {"viet nam dong", "vnd", "dong", "d"}
# A textual processing time ("Không phải trả kết quả …") is accepted only when short and followed
# by a fee cell; longer runs are descriptions that happen to start with a channel word.
_MAX_TEXT_TIME = 200


def method_of(label: str) -> ChannelMethod | None:
    """Channel method for a label such as "Trực tuyến" or "Dịch vụ bưu chính"."""
    folded = fold(label)
    if "buu chinh" in folded:
        return "postal"
    if "truc tuyen" in folded:
        return "online"
    if "truc tiep" in folded:
        return "direct"
    return None


def parse_amount_vnd(text: str) -> int | None:
    """VND amount in a fee cell: "10,000 Việt Nam Đồng" → 10000, "Miễn phí"/"Phí : 0 Đồng" → 0.

    Both "," and "." are thousands separators on the portal ("10,000", "10.000 đồng").
    Amounts in other currencies give None.
    """
    text = normalize(text)
    if _FREE.match(text):
        return 0
    match = re.search(rf"(?<![\d.,])({_NUMBER})\s?({_CURRENCY})", text)
    if not match or fold(match.group(2)) not in _VND_CURRENCIES:
        return None
    return _to_int(match.group(1))


def _to_int(number: str) -> int | None:
    groups = re.split(r"[.,]", number)
    if len(groups) > 1 and not all(len(group) == 3 for group in groups[1:]):
        return None  # a decimal or a malformed amount: not something to guess at
    return int("".join(groups))


def parse_fee(text: str) -> Fee | None:
    """One fee cell on its own ("Lệ phí : 8,000 Đồng/bản sao", "Miễn phí"); None when empty."""
    text = normalize(text)
    if not text or fold(text) == fold(_NO_INFO):
        return None
    return Fee(amount_vnd=parse_amount_vnd(text), description=text)


def parse_processing_time(text: str) -> ProcessingTime | None:
    """One time cell on its own ("7 Ngày làm việc", "15 ngày kể từ …"); None when empty."""
    text = normalize(text)
    if not text or fold(text) == fold(_NO_INFO):
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


@dataclass
class _Row:
    method: ChannelMethod
    times: list[ProcessingTime] = field(default_factory=list)
    fees: list[Fee] = field(default_factory=list)
    note: str = ""


def parse_channels(text: str) -> list[Channel]:
    """Channels of a flattened "Cách thức thực hiện" table; [] when it cannot be read."""
    text = normalize(text)
    body = _HEADER.sub("", text, count=1)
    if body == text and not _LABEL.match(body):
        return []
    starts = [match for match in _LABEL.finditer(body) if _row_follows(body, match.end())]
    if not starts or starts[0].start() != 0:
        return []
    rows: list[_Row] = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        method = method_of(match.group(0))
        if method is not None:
            rows.append(_parse_row(method, body[match.end() : end]))
    return _merge(rows)


def _row_follows(body: str, position: int) -> bool:
    """Whether a channel label at `position` starts a table row rather than sitting in a note."""
    rest = body[position:]
    if not rest or not (rest[0].isdigit() or rest[0].isupper()):
        return False
    if rest[0].isdigit() or rest.startswith(_NO_INFO) or _FREE.match(rest):
        return True
    fee = _FEE_TOKEN.search(rest, 0, _MAX_TEXT_TIME)
    return fee is not None and not _LABEL.search(rest, 0, fee.start())


def _parse_row(method: ChannelMethod, cells: str) -> _Row:
    row = _Row(method)
    time, rest = _take_time(cells)
    if time is not None:
        row.times.append(time)
    fee, rest = _take_fee(rest)
    if fee is not None:
        row.fees.append(fee)
    row.note = tidy(rest)
    return row


def _take_time(cells: str) -> tuple[ProcessingTime | None, str]:
    if cells.startswith(_NO_INFO):
        return None, cells[len(_NO_INFO) :]
    match = _TIME_WITH_UNIT.match(cells)
    if match:
        unit = match.group(2).lower()
        return ProcessingTime(value=_to_float(match.group(1)), unit=unit, text=match.group(0)), cells[match.end() :]
    run_together = _AMOUNT.match(cells)
    if run_together:
        return _split_bare_time(cells, run_together)
    match = _BARE_NUMBER.match(cells)
    if match:
        return ProcessingTime(value=float(match.group(1)), text=match.group(1)), cells[match.end() :]
    fee = _FEE_TOKEN.search(cells, 0, _MAX_TEXT_TIME)
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
        if (tail[0] != "0" or tail == "0") and _to_int(tail) is not None:
            return ProcessingTime(value=float(head), text=head), cells[cut:]
    return None, cells


def _take_fee(cells: str) -> tuple[Fee | None, str]:
    token = ""
    amount: int | None = None
    if cells.startswith(_NO_INFO):
        cells = cells[len(_NO_INFO) :]
    elif match := _FREE.match(cells):
        token, amount, cells = match.group(0), 0, cells[match.end() :]
    elif match := _AMOUNT.match(cells):
        token, cells = match.group(0), cells[match.end() :]
        amount = _to_int(match.group(1)) if fold(match.group(2)) in _VND_CURRENCIES else None
    inner = ""
    if cells.startswith("("):
        end = matching_paren_end(cells, 0)
        inner, cells = normalize(cells[1:end].removesuffix(")")), cells[end:]
    if not token and not inner:
        return None, cells
    description = f"{token} ({inner})" if token and inner else token or inner
    return Fee(amount_vnd=amount, description=description), cells


def _merge(rows: list[_Row]) -> list[Channel]:
    """One Channel per method: a repeated method lists its alternative times and fees."""
    merged: dict[ChannelMethod, _Row] = {}
    for row in rows:
        target = merged.setdefault(row.method, _Row(row.method))
        target.times.extend(time for time in row.times if time not in target.times)
        target.fees.extend(fee for fee in row.fees if fee not in target.fees)
        if row.note and row.note not in target.note:
            target.note = f"{target.note} {row.note}".strip()
    return [Channel(method=row.method, times=row.times, fees=row.fees, note=row.note) for row in merged.values()]
