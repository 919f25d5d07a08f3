from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.importers import sevensins
from knowledge.importers.base import SourceFormatError

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_no_coded_records() -> None:
    assert list(sevensins.load(RAW, [])) == []


def test_uncoded_titles_and_channels() -> None:
    found = sevensins.load_uncoded(RAW)
    assert [f["title"] for f in found] == [
        "Đăng ký thường trú",
        "Thủ tục khám bệnh, chữa bệnh bảo hiểm y tế",
        "Thủ tục đăng ký khai sinh",
    ]
    residence = found[0]
    assert residence["ref"] == "databases/data.json#0"
    assert [c.method for c in residence["channels"]] == ["direct", "online"]
    time = residence["channels"][0].times[0]
    assert (time.value, time.unit, time.text) == (7.0, "ngày làm việc", "07 Ngày làm việc")
    # "Phí: ĐồngXem chi tiết" names a fee without an amount.
    assert [(f.amount_vnd, f.description) for f in residence["channels"][0].fees] == [(None, "Phí: Đồng")]


def test_malformed_file_raises(tmp_path: Path) -> None:
    path = tmp_path / sevensins.SOURCE.name / sevensins.DATA
    path.parent.mkdir(parents=True)
    path.write_text('{"title": "x"}', encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"data\.json"):
        list(sevensins.load(tmp_path, []))
