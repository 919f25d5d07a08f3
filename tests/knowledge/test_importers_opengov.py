from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.importers import opengov
from knowledge.importers.base import SourceFormatError
from knowledge.schema import Procedure

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def records() -> dict[str, Procedure]:
    return {r.code: r for r in opengov.load(RAW, [])}


def test_one_record_per_valid_code_in_order() -> None:
    codes = [r.code for r in opengov.load(RAW, [])]
    assert codes == sorted(set(codes))
    # " 1.014325" is kept once stripped; "1.014955-Xoa" and "1.0133611" are no valid codes.
    assert codes == ["1.000881", "1.001193", "1.014325", "1.115650", "2.000635", "3.000616"]


def test_birth_registration_detail(records: dict[str, Procedure]) -> None:
    record = records["1.001193"]
    assert record.name == "Thủ tục đăng ký khai sinh"
    assert record.field == "Hộ tịch"
    assert record.promulgating_agency == "Bộ Tư pháp"
    assert record.levels == ["Cấp xã"]
    assert record.decision == "163/QĐ-BTP"
    assert record.updated == "2026-04-15"
    url = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"
    assert record.portal_url == url
    assert record.sources[0].model_dump() == {
        "source": "VoidKeishi__OpenGOV",
        "url": url,
        "ref": "data/procedures/1.001193.json",
        "date": None,  # the build gives every reference its source's date
    }
    # isFullProcess is not the online level.
    assert record.online_level.level == "unknown"
    online = record.channels[0]
    assert [c.method for c in record.channels] == ["online", "postal", "direct"]
    assert [f.amount_vnd for f in online.fees] == [0]
    # The channel rows say "1 OTHER"; the per-case times say 1 working day.
    assert [(t.value, t.unit) for t in online.times] == [(1.0, "ngày làm việc")]
    groups = {g.case: g for g in record.documents}
    assert "* Giấy tờ phải nộp:" in groups
    assert any(d.originals == 1 and d.copies == 0 for d in groups["* Giấy tờ phải nộp:"].documents)
    assert any(doc.number == "123/2015/NĐ-CP" for doc in record.legal_basis)
    assert record.steps and record.steps[0].startswith("- Nếu lựa chọn hình thức nộp hồ sơ trực tiếp")


def test_fees_in_usd_are_not_vnd(records: dict[str, Procedure]) -> None:
    fee = records["1.000881"].channels[0].fees[0]
    assert fee.amount_vnd is None
    assert fee.description.startswith("30 USD: Đăng ký việc thay đổi")


def test_time_described_in_text_takes_the_single_case_value(records: dict[str, Procedure]) -> None:
    # "Theo mô tả" in the row, no raw detail file, one case of 15 working days.
    time = records["1.115650"].channels[0].times[0]
    assert (time.value, time.unit) == (15.0, "ngày làm việc")
    assert time.text.startswith("Không quá 15 ngày làm việc. Trong đó:")


def test_code_typed_with_a_slip_loses_to_the_exact_code(records: dict[str, Procedure]) -> None:
    # The catalog has " 1.014325" (Tuyên Quang) and "1.014325", two different procedures.
    assert records["1.014325"].name.startswith("Xây dựng chương trình công tác của Ủy ban nhân dân tỉnh")


def test_catalog_only_row(records: dict[str, Procedure]) -> None:
    record = records["3.000616"]
    assert record.name == "Thủ tục Hỗ trợ doanh nghiệp tham gia chuỗi cung ứng bán dẫn"
    assert record.promulgating_agency == "UBND Thành phố Huế"
    assert record.executing_agency == "Sở Khoa học và Công nghệ"
    assert record.subjects == ["Doanh nghiệp Việt Nam"]
    assert record.channels == []
    assert record.sources[0].ref == "backend/data/crawl/catalog.jsonl:1"
    page_id = "019f6f67-c3a8-7163-8167-02e782ebf1c2"
    assert record.portal_url == f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{page_id}"


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(RAW / opengov.SOURCE.name, tmp_path / opengov.SOURCE.name)
    return tmp_path


def test_malformed_catalog_raises(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    catalog = root / opengov.SOURCE.name / opengov.CATALOG
    catalog.write_text(catalog.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"catalog\.jsonl"):
        list(opengov.load(root, []))


def test_malformed_detail_file_is_skipped_and_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / opengov.SOURCE.name / opengov.PROCEDURES / "1.000881.json").write_text("{", encoding="utf-8")
    skipped: list[str] = []
    records = {r.code: r for r in opengov.load(root, skipped)}
    assert skipped and skipped[0].startswith("data/procedures/1.000881.json")
    # The catalog row still gives the code its name.
    assert records["1.000881"].channels == []
    assert records["1.000881"].sources[0].ref.startswith("backend/data/crawl/catalog.jsonl:")
