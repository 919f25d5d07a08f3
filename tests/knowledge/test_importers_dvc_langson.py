from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.importers import dvc_langson
from knowledge.importers.base import SourceFormatError
from knowledge.schema import Procedure

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
PAGE = "http://dichvucong.langson.gov.vn/dichvucong/bothutuc/chiTietThuTuc?maThuTuc="


@pytest.fixture(scope="module")
def records() -> dict[str, Procedure]:
    return {r.code: r for r in dvc_langson.load(RAW, [])}


def test_test_rows_and_local_codes_are_dropped(records: dict[str, Procedure]) -> None:
    # "Thủ tục test" (2.000815), TEST_MOT_CAP and CCCX_01 are gone; 2.000815 stays from its real rows.
    assert list(records) == sorted(records)
    assert "Thủ tục test" not in {r.name for r in records.values()}
    assert records["2.000815"].name.startswith("Chứng thực bản sao từ bản chính")
    assert len(records) == 8


def test_levels_keep_the_original_text(records: dict[str, Procedure]) -> None:
    birth = records["1.001193"]
    assert birth.online_level.model_dump() == {
        "level": "mot_phan",
        "source": "baobuiquang__DVC_SearchAssistant_V2/_derived/langson_1842_from_xlsx.csv",
        "original": "Một phần",
    }
    assert records["2.002285"].online_level.level == "toan_trinh"
    assert (records["1.005099"].online_level.level, records["1.005099"].online_level.original) == (
        "none",
        "Mức độ 2",
    )


def test_record_fields_and_sources(records: dict[str, Procedure]) -> None:
    birth = records["1.001193"]
    assert birth.name == "Đăng ký khai sinh"
    assert birth.field == "Hộ Tịch"
    assert birth.decision == "335/QĐ-UBND"
    assert birth.promulgating_agency == "UBND tỉnh Lạng Sơn"
    assert birth.portal_url is None
    assert birth.sources[0].url == f"{PAGE}22578"
    assert birth.sources[0].ref == "_derived/langson_1842_from_xlsx.csv:stt 273"
    # Row 18's QR code did not decode: no page.
    assert records["1.012752"].sources[0].url is None


def test_repeated_code_takes_the_most_online_row(records: dict[str, Procedure]) -> None:
    record = records["1.000045"]  # "Mức độ 1" at stt 29, "Một phần" at stt 281
    assert (record.online_level.level, record.online_level.original) == ("mot_phan", "Một phần")
    assert [s.ref for s in record.sources] == [
        "_derived/langson_1842_from_xlsx.csv:stt 281",
        "_derived/langson_1842_from_xlsx.csv:stt 29",
    ]
    # "2000027.000.00.00.H37" lost its dot; the agency suffix makes the reading unambiguous.
    assert records["2.000027"].online_level.original == "Mức độ 2"


def test_missing_column_raises(tmp_path: Path) -> None:
    shutil.copytree(RAW / dvc_langson.SOURCE.name, tmp_path / dvc_langson.SOURCE.name)
    table = tmp_path / dvc_langson.SOURCE.name / dvc_langson.TABLE
    table.write_text("stt,ma_tthc\n1,1.001193.000.00.00.H37\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"langson_1842_from_xlsx\.csv"):
        list(dvc_langson.load(tmp_path, []))


def test_links_that_do_not_line_up_are_not_used(tmp_path: Path) -> None:
    shutil.copytree(RAW / dvc_langson.SOURCE.name, tmp_path / dvc_langson.SOURCE.name)
    links = tmp_path / dvc_langson.SOURCE.name / dvc_langson.LINKS
    links.write_text(f"{PAGE}1\n", encoding="utf-8")
    skipped: list[str] = []
    records = list(dvc_langson.load(tmp_path, skipped))
    assert all(s.url is None for r in records for s in r.sources)
    assert skipped
