"""The "Cách thức thực hiện" table: submission channel, processing time, fee, note.

Flattened, a row reads "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(fee note)row note" and
rows follow one another with nothing in between, after the header
"Hình thức nộpThời gianPhí, lệ phíMô tả". A table's channel cell ("Trực tuyến", "ONLINE") is read by
`channel_method`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.parsing.cells import tidy
from knowledge.parsing.fees import FEE_TOKEN, FREE, NO_INFO, take_fee
from knowledge.parsing.times import MAX_TEXT_TIME, take_time
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
    if rest[0].isdigit() or rest.startswith(NO_INFO) or FREE.match(rest):
        return True
    fee = FEE_TOKEN.search(rest, 0, MAX_TEXT_TIME)
    return fee is not None and not _LABEL.search(rest, 0, fee.start())


def _parse_row(method: ChannelMethod, cells: str) -> _Row:
    row = _Row(method)
    time, rest = take_time(cells)
    if time is not None:
        row.times.append(time)
    fee, rest = take_fee(rest)
    if fee is not None:
        row.fees.append(fee)
    row.note = tidy(rest)
    return row


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


# Table cells and the portal API.
_METHODS: dict[str, ChannelMethod] = {
    "online": "online",
    "truc tuyen": "online",
    "postal": "postal",
    "buu chinh": "postal",
    "dich vu buu chinh": "postal",
    "dich vu buu chinh cong ich": "postal",
    "buu chinh cong ich": "postal",
    "direct": "direct",
    "truc tiep": "direct",
}


def channel_method(raw: str) -> ChannelMethod | None:
    """ "Trực tuyến" / "ONLINE" → "online"; None for anything else."""
    return _METHODS.get(fold(raw))
