"""The chatbot_tthc importer on real records: run-together portal tables read into fields.

The raw files under tests/data/raw/chatbot_tthc/ are verbatim copies from
chatbot-tthc/chatbot_tthc @ 53229487 (scripts/crawler/data/raw/).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from knowledge.importers import chatbot_tthc
from knowledge.importers.base import SourceFormatError
from knowledge.schema import Channel, Procedure

RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "chatbot_tthc"
HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


@pytest.fixture(scope="module")
def records() -> dict[str, Procedure]:
    return {procedure.code: procedure for procedure in chatbot_tthc.load_raw_dir(RAW)}


def channel(procedure: Procedure, method: str) -> Channel:
    return next(item for item in procedure.channels if item.method == method)


# --- real records -------------------------------------------------------------------------


def test_permanent_residence_fees_and_time(records: dict[str, Procedure]) -> None:
    procedure = records["1.004222"]
    assert procedure.name == "Đăng ký thường trú"
    online, direct = channel(procedure, "online"), channel(procedure, "direct")
    assert [fee.amount_vnd for fee in online.fees] == [10000]
    assert [fee.amount_vnd for fee in direct.fees] == [20000]
    assert "10.000 đồng/lần đăng ký" in online.fees[0].description
    for item in (online, direct):
        assert [(time.value, time.unit) for time in item.times] == [(7, "ngày làm việc")]
        assert item.times[0].text == "7 Ngày làm việc"


def test_permanent_residence_metadata(records: dict[str, Procedure]) -> None:
    procedure = records["1.004222"]
    assert procedure.promulgating_agency == "Bộ Công an"
    assert procedure.levels == ["Cấp xã"]
    assert procedure.subjects == ["Người Việt Nam định cư ở nước ngoài", "Công dân Việt Nam"]
    assert procedure.decision == "1523/QĐ-BCA-C06"
    assert procedure.online_level.level == "unknown"
    assert procedure.sources[0].ref == "bo-cong-an/1.004222.json"
    assert procedure.portal_url == procedure.sources[0].url
    assert procedure.portal_url and procedure.portal_url.startswith("https://dichvucong.gov.vn/")
    assert [step[:7] for step in procedure.steps] == [f"Bước {n}:" for n in range(1, 6)]
    assert "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)" in procedure.results
    assert not any("Từ khóa" in result or "Chọn" in result for result in procedure.results)
    numbers = [document.number for document in procedure.legal_basis]
    assert numbers[:2] == ["66.7/2025/NQ-CP", "53/2025/TT-BCA"]
    assert "68/2020/QH14" in numbers and "58/2026/NĐ-CP" in numbers
    law = next(document for document in procedure.legal_basis if document.number == "68/2020/QH14")
    assert law.title == "Luật Cư trú 2020"


def test_permanent_residence_documents_by_case(records: dict[str, Procedure]) -> None:
    groups = records["1.004222"].documents
    cases = [group.case for group in groups]
    assert "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ" in cases
    rented = next(
        group for group in groups if group.case == "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ"
    )
    assert rented.documents[0].name.startswith("Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ")
    assert rented.documents[0].originals == 1


def test_birth_registration(records: dict[str, Procedure]) -> None:
    procedure = records["1.001193"]
    assert procedure.name == "Thủ tục đăng ký khai sinh"
    online = channel(procedure, "online")
    assert [fee.amount_vnd for fee in online.fees] == [0]
    assert online.fees[0].description == "Miễn phí"
    assert {item.method for item in procedure.channels} == {"online", "postal", "direct"}
    to_submit = next(group for group in procedure.documents if group.case == "* Giấy tờ phải nộp:")
    names = [document.name for document in to_submit.documents]
    assert any(name.startswith("- Giấy chứng sinh; trường hợp không có Giấy chứng sinh") for name in names)
    assert any(name.startswith("- Văn bản ủy quyền (được chứng thực)") for name in names)
    to_show = next(group for group in procedure.documents if group.case == "* Giấy tờ phải xuất trình:")
    assert any(document.name.startswith("- Hộ chiếu/Thẻ căn cước công dân") for document in to_show.documents)


def test_birth_certificate_copy_costs_8000_a_copy(records: dict[str, Procedure]) -> None:
    procedure = records["2.000635"]
    assert procedure.promulgating_agency == "Bộ Tư pháp"
    assert procedure.levels == ["Cấp tỉnh", "Cấp xã"]
    assert procedure.competent_agency is None  # empty in the source
    for item in procedure.channels:
        assert [fee.amount_vnd for fee in item.fees] == [8000]
        assert item.times == []  # "Không có thông tin"
    assert procedure.results == ["Bản sao Trích lục hộ tịch, bản sao giấy khai sinh"]


def test_unit_less_time_run_into_fee(records: dict[str, Procedure]) -> None:
    online = channel(records["1.000014"], "online")
    assert [(time.value, time.unit, time.text) for time in online.times] == [(1, None, "1")]
    assert online.fees[0].amount_vnd == 20  # what the portal shows; the note says 20.000 vnđ
    assert "20.000 vnđ /tờ khai" in online.fees[0].description


def test_textual_time_and_notes(records: dict[str, Procedure]) -> None:
    online = channel(records["1.007689"], "online")
    assert online.times[0].value is None
    assert online.times[0].text == "Không phải trả kết quả cho người nộp thuế"
    assert online.fees[0].amount_vnd == 0
    assert online.note.startswith("Bằng phương thức điện tử qua Cổng dịch vụ công Quốc gia")


def test_foreign_currency_fee_has_no_vnd_amount(records: dict[str, Procedure]) -> None:
    direct = channel(records["1.001010"], "direct")
    assert [(time.value, time.unit) for time in direct.times] == [(6, "tháng")]
    assert direct.fees[0].amount_vnd is None
    assert direct.fees[0].description.startswith("100 USD")


def test_several_form_files(records: dict[str, Procedure]) -> None:
    documents = records["1.004179"].documents[0].documents
    first = documents[0]
    assert first.form == "Mau05.docx; Mau07.docx"
    assert first.name.endswith("Nghị định số 23/2026/NĐ-CP")


def test_law_quoting_its_own_number(records: dict[str, Procedure]) -> None:
    legal = records["1.007664"].legal_basis
    assert [(document.number, document.title) for document in legal[:2]] == [
        ("54/2014/QH13", "Luật 54/2014/QH13"),
        ("107/2016/QH13", "Thuế xuất khẩu, thuế nhập khẩu"),
    ]


def test_document_field_without_table_stays_empty(records: dict[str, Procedure]) -> None:
    assert records["1.001601"].documents == []


def test_order_is_by_path() -> None:
    refs = [procedure.sources[0].ref for procedure in chatbot_tthc.load_raw_dir(RAW)]
    assert refs == sorted(refs)
    assert len(refs) == 15


# --- importer edge cases --------------------------------------------------------------------


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / "bo-tu-phap" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_malformed_file_raises_with_its_name(tmp_path: Path) -> None:
    _write(tmp_path, "1.000001.json", "{not json")
    with pytest.raises(SourceFormatError, match=re.escape("bo-tu-phap/1.000001.json")):
        list(chatbot_tthc.load_raw_dir(tmp_path))


def test_missing_code_raises(tmp_path: Path) -> None:
    _write(tmp_path, "1.000002.json", json.dumps({"ten_thu_tuc": "X"}))
    with pytest.raises(SourceFormatError, match="ma_thu_tuc"):
        list(chatbot_tthc.load_raw_dir(tmp_path))


@pytest.mark.parametrize(
    ("code", "name"), [("TEST_MOT_CAP", "Thủ tục A"), ("1.000003", "Thủ tục test"), ("ABC", "Thủ tục B")]
)
def test_test_rows_and_bad_codes_are_skipped(tmp_path: Path, code: str, name: str) -> None:
    _write(tmp_path, "x.json", json.dumps({"ma_thu_tuc": code, "ten_thu_tuc": name}))
    assert list(chatbot_tthc.load_raw_dir(tmp_path)) == []


def test_load_reads_the_source_layout(tmp_path: Path) -> None:
    raw = tmp_path / chatbot_tthc.SOURCE.name / chatbot_tthc.RAW_DIR
    _write(raw, "1.000004.json", json.dumps({"ma_thu_tuc": "1.000004", "ten_thu_tuc": "Thủ tục  C"}))
    [procedure] = chatbot_tthc.load(tmp_path, [])
    assert procedure.name == "Thủ tục C"
    assert procedure.promulgating_agency == "Bộ Tư pháp"
    assert procedure.channels == [] and procedure.documents == [] and procedure.steps == []
