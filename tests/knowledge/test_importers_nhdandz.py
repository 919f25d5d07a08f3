from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.importers import nhdandz
from knowledge.importers.base import SourceFormatError
from knowledge.schema import Procedure

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def records() -> dict[str, Procedure]:
    return {r.code: r for r in nhdandz.load(RAW, [])}


def test_codes_in_order(records: dict[str, Procedure]) -> None:
    assert list(records) == ["1.013124", "1.013539", "1.013562"]


def test_oil_spill_plan(records: dict[str, Procedure]) -> None:
    record = records["1.013124"]
    assert record.decision == "6225/QĐ-BQP"
    assert record.promulgating_agency == "Bộ Quốc phòng"
    assert record.levels == ["Cấp bộ"]
    assert record.field == "Ứng phó sự cố tràn dầu"
    assert "Tổ chức (không bao gồm doanh nghiệp, HTX)" in record.subjects
    assert [c.method for c in record.channels] == ["online", "postal", "direct"]
    online = record.channels[0]
    assert [(t.value, t.unit, t.text) for t in online.times] == [(30.0, "ngày làm việc", "30 Ngày làm việc")]
    assert [(f.amount_vnd, f.description) for f in online.fees] == [(0, "Phí : 0 Đồng")]
    documents = record.documents[0].documents
    assert (documents[1].originals, documents[1].copies, documents[1].form) == (1, 0, "5-PHLCII.doc")
    assert record.legal_basis[0].number == "12/2021/QĐ-TTg"
    assert [s[:7] for s in record.steps] == ["Bước 1:", "Bước 2:", "Bước 3:"]
    assert record.conditions == "Không"
    assert record.sources[0].ref == "data/extracted_fixed/1.013124.json"


def test_several_fees_and_foreign_currency(records: dict[str, Procedure]) -> None:
    amounts = [f.amount_vnd for f in records["1.013539"].channels[0].fees]
    assert amounts == [2000000, 3500000, 4000000, 5000000]
    fee = records["1.013562"].channels[0].fees[0]
    assert fee.amount_vnd is None and fee.description.startswith("Lệ phí : 03 USD")


def test_malformed_file_is_skipped_and_reported(tmp_path: Path) -> None:
    shutil.copytree(RAW / nhdandz.SOURCE.name, tmp_path / nhdandz.SOURCE.name)
    broken = tmp_path / nhdandz.SOURCE.name / nhdandz.FOLDER / "1.013539.json"
    broken.write_text('{"metadata": {}}', encoding="utf-8")
    skipped: list[str] = []
    codes = [r.code for r in nhdandz.load(tmp_path, skipped)]
    assert codes == ["1.013124", "1.013562"]
    assert skipped == [
        "data/extracted_fixed/1.013539.json: SourceFormatError: "
        "data/extracted_fixed/1.013539.json: missing section 'content'"
    ]


def test_parse_file_rejects_a_file_without_sections() -> None:
    with pytest.raises(SourceFormatError, match=r"x\.json"):
        nhdandz.parse_file({"thu_tuc_id": "1.013124"}, "x.json")


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError):
        list(nhdandz.load(tmp_path, []))
