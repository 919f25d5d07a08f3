"""trannguyenhan/dichvucong_7sins: 87 citizen-facing procedures copied from the portal in 2021.

The records carry no procedure code, and the catalog is keyed by code, so `load` contributes nothing;
`load_uncoded` gives titles with their channels (time, fee) for cross-checking popular procedures.
The rules are from 2021 and partly outdated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

from pydantic import ValidationError

from knowledge.importers.base import SourceFormatError, SourceInfo
from knowledge.parsing.channels import channel_method
from knowledge.parsing.fees import parse_fees
from knowledge.parsing.times import processing_time
from knowledge.schema import Channel, Procedure
from vitext.normalize import normalize

SOURCE = SourceInfo(
    name="trannguyenhan__dichvucong_7sins",
    repo="trannguyenhan/dichvucong_7sins",
    commit="940c6f21",
    date="2021-08",
)

DATA = "databases/data.json"


class UncodedProcedure(TypedDict):
    title: str
    channels: list[Channel]
    ref: str  # "databases/data.json#<index>"


def load(root: Path, skipped: list[str]) -> Iterator[Procedure]:
    """Nothing: no record of this source has a code. Still reads the file, so a broken one is reported."""
    _read(root)
    return iter(())


def load_uncoded(root: Path) -> list[UncodedProcedure]:
    """Title and channels of every record, in file order."""
    result: list[UncodedProcedure] = []
    for index, item in enumerate(_read(root)):
        title = normalize(str(item.get("title") or ""))
        if not title:
            continue
        try:
            channels = _channels(item.get("Cách thức thực hiện") or [])
        except (AttributeError, TypeError, ValidationError) as error:
            raise SourceFormatError(f"{DATA}#{index}: {error}") from error
        result.append(UncodedProcedure(title=title, channels=channels, ref=f"{DATA}#{index}"))
    return result


def _read(root: Path) -> list[dict[str, Any]]:
    path = root / SOURCE.name / DATA
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SourceFormatError(f"{path}: {error}") from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceFormatError(f"{path}: expected a list of objects")
    return data


def _channels(rows: list[dict[str, Any]]) -> list[Channel]:
    channels: list[Channel] = []
    for row in rows:
        method = channel_method(str(row.get("Hình thức nộp") or ""))
        if method is None:
            continue
        time = processing_time(str(row.get("Thời hạn giải quyết") or ""))
        channels.append(
            Channel(
                method=method,
                times=[time] if time else [],
                fees=parse_fees(str(row.get("Phí, lệ phí") or "")),
                note=normalize(str(row.get("Mô tả") or "")),
            )
        )
    return channels
