from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.importers import dvc_lamdong
from knowledge.importers.base import SourceFormatError
from knowledge.schema import Procedure

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def records() -> dict[str, Procedure]:
    return {r.code: r for r in dvc_lamdong.load(RAW, [])}


def test_codes_lose_the_agency_suffix(records: dict[str, Procedure]) -> None:
    assert list(records) == [
        "1.000894",
        "1.001029",
        "1.012275",
        "2.000063",
        "2.000635",
        "2.000843",
        "2.002516",
    ]


def test_old_and_new_vocabulary(records: dict[str, Procedure]) -> None:
    karaoke = records["1.001029"].online_level
    assert (karaoke.level, karaoke.original, karaoke.source) == (
        "toan_trinh",
        "Mức độ 4",
        "baobuiquang__DVC_SearchAssistant_V2/url/cache",
    )
    assert (records["2.000843"].online_level.level, records["2.000843"].online_level.original) == (
        "none",
        "Mức độ 2",
    )
    assert records["2.000635"].online_level.level == "toan_trinh"
    assert records["1.000894"].online_level.level == "mot_phan"


def test_repeated_code_takes_the_most_online_row(records: dict[str, Procedure]) -> None:
    record = records["2.000063"]  # "Còn lại" on line 7, "Một phần" on line 8
    assert (record.online_level.level, record.online_level.original) == ("mot_phan", "Một phần")
    assert [s.ref for s in record.sources] == ["url/cache:8", "url/cache:7"]


def test_record_fields(records: dict[str, Procedure]) -> None:
    record = records["1.012275"]
    assert (record.name, record.field) == ("Đăng ký hành nghề", "Khám bệnh, chữa bệnh")
    assert record.promulgating_agency == "UBND tỉnh Lâm Đồng"
    assert record.decision is None and record.channels == []


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="cache"):
        list(dvc_lamdong.load(tmp_path, []))


def test_wrong_header_raises(tmp_path: Path) -> None:
    shutil.copytree(RAW / dvc_lamdong.SOURCE.name, tmp_path / dvc_lamdong.SOURCE.name)
    (tmp_path / dvc_lamdong.SOURCE.name / dvc_lamdong.TABLE).write_text("STT\nMã chuẩn\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="missing columns"):
        list(dvc_lamdong.load(tmp_path, []))
