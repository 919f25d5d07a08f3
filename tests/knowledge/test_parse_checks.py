"""Parsing that checks itself, on the real records the issue names (verbatim copies under
tests/data/raw/chatbot_tthc/, from chatbot-tthc/chatbot_tthc @ 53229487)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.checks import ParseWarning, check, count_kinds, reads_like_step
from knowledge.importers import chatbot_tthc
from knowledge.parsing.legal import parse_legal_basis
from knowledge.parsing.legal_fields import occurs_verbatim
from knowledge.schema import Procedure

RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "chatbot_tthc"
SOURCE = chatbot_tthc.SOURCE.name


@pytest.fixture(scope="module")
def checked() -> dict[str, tuple[Procedure, list[ParseWarning]]]:
    return {p.code: check(p, SOURCE) for p in chatbot_tthc.load_raw_dir(RAW)}


def raw(code: str, field: str) -> str:
    path = next(RAW.glob(f"*/{code}.json"))
    return str(json.loads(path.read_text(encoding="utf-8"))[field])


def fees(record: Procedure) -> list[tuple[str, int | None]]:
    return [(ch.method, fee.amount_vnd) for ch in record.channels for fee in ch.fees]


def test_fee_a_thousand_times_too_small_is_corrected_from_its_description(checked) -> None:
    record, warnings = checked["2.001827"]  # "700 VNĐ(… 700.000 đồng/cơ sở.)"
    assert {amount for _, amount in fees(record)} == {700000}
    assert "700.000 đồng/cơ sở" in record.channels[0].fees[0].description
    note = next(c for c in record.conflicts if c.field == "channels.fees.amount_vnd")
    assert note.source == SOURCE and '"gia_tri_o_phi": 700' in note.value
    assert "fee_amount_corrected" in {w.kind for w in warnings}


def test_twenty_vnd_per_form_is_twenty_thousand(checked) -> None:
    record, _ = checked["1.000014"]  # "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)"
    assert {amount for _, amount in fees(record)} == {20000}
    # The "1" before it is a time without a unit: kept, and the unit stays unknown.
    assert {(t.value, t.unit) for ch in record.channels for t in ch.times} == {(1.0, None)}


def test_free_followed_by_an_amount_is_a_conditional_fee_not_zero(checked) -> None:
    record, warnings = checked["1.003593"]  # "Miễn phí(Nộp 150.000 đồng + (số tấn thủy sản x 15.000 đồng/tấn)…"
    assert {amount for _, amount in fees(record)} == {None}
    assert record.channels[0].fees[0].description.startswith("Miễn phí (Nộp 150.000 đồng")
    assert "fee_conditional" in {w.kind for w in warnings}


def test_fee_stated_only_in_the_steps_is_flagged(checked) -> None:
    _, warnings = checked["1.004179"]
    assert "fee_only_in_steps" in {w.kind for w in warnings}


def test_time_without_unit_takes_the_unit_its_own_steps_state(checked) -> None:
    record, warnings = checked["1.003590"]  # "Trực tiếp20Miễn phí…"; steps: "Trong thời hạn 20 ngày (…)"
    assert [(t.value, t.unit) for ch in record.channels for t in ch.times] == [(20.0, "ngày")]
    assert "time_unit_from_text" in {w.kind for w in warnings}


def test_time_without_unit_anywhere_stays_unit_not_stated(checked) -> None:
    _, warnings = checked["1.000014"]
    assert "time_unit_not_stated" in {w.kind for w in warnings}


def test_agency_that_reads_like_a_step_is_dropped(checked) -> None:
    record, warnings = checked["2.000942"]
    assert raw("2.000942", "co_quan_thuc_hien").startswith("chứng thực tiến hành chụp từ bản chính")
    assert record.executing_agency is None
    assert "agency_reads_like_step" in {w.kind for w in warnings}
    assert not reads_like_step("Ủy ban nhân dân cấp xã")


def test_legal_numbers_are_verbatim_and_one_document_per_item(checked) -> None:
    for code in ("1.003361", "1.012786"):
        record, _ = checked[code]
        source = raw(code, "can_cu_phap_ly")
        for document in record.legal_basis:
            assert document.number is None or occurs_verbatim(document.number, source), document
            assert "LuậtLuật" not in document.title
    numbers = [d.number for d in checked["1.003361"][0].legal_basis]
    assert "02443/2024/QH15" not in numbers and "43/2024/QH15" in numbers
    law = next(d for d in checked["1.003361"][0].legal_basis if d.number == "43/2024/QH15")
    assert (law.kind, law.date, law.title) == ("Luật", "29/6/2024", "Luật số 43/2024/QH15 ngày 29/6/2024")
    amending = next(d for d in checked["1.003361"][0].legal_basis if d.number == "146/2025/QH15")
    assert amending.title.startswith("sửa đổi bổ sung một số điều của 15 Luật")  # not glued to "LuậtLuật 18/2017"
    assert next(d for d in checked["1.003361"][0].legal_basis if d.number == "18/2017/QH14").kind == "Luật"
    # "…Luật Đầu tư côngLuật số 58Luật số 43/2024/QH15…": the Public Investment Law is its own item.
    titles = {d.number: d.title for d in checked["1.012786"][0].legal_basis}
    assert titles["58/2024/QH15"] == "Luật số 58/2024/QH15 của Quốc hội: Luật Đầu tư công"
    assert titles["43/2024/QH15"] == "Luật số 43/2024/QH15 ngày 29/6/2024"


def test_a_date_quoted_for_another_document_is_not_this_ones() -> None:
    text = (
        "Tên văn bản pháp lýMã văn bảnsửa đổi Thông tư số 25/2018/TT-BNNPTNT ngày 15 tháng 11 năm 201817/2026/TT-BNNMT"
    )
    [document] = parse_legal_basis(text)
    assert (document.number, document.kind, document.date) == ("17/2026/TT-BNNMT", "Thông tư", None)


def test_a_number_the_source_does_not_write_is_not_kept() -> None:
    assert not occurs_verbatim("02443/2024/QH15", "Luật số 43/2024/QH15 ngày 29/6/202443/2024/QH15")
    assert occurs_verbatim("43/2024/QH15", "Luật số 43/2024/QH15 ngày 29/6/202443/2024/QH15")


def test_warnings_are_counted_per_kind(checked) -> None:
    counts = count_kinds([w for _, found in checked.values() for w in found])
    assert counts["fee_amount_corrected"] >= 2 and counts["agency_reads_like_step"] == 1
    assert list(counts) == sorted(counts)


def test_a_tiny_amount_is_corrected_from_another_channel_of_the_same_record() -> None:
    from knowledge.schema import Channel, Fee

    record = Procedure(
        code="1.009096",
        name="Thủ tục hải quan đối với tàu biển xuất cảnh, nhập cảnh, quá cảnh, chuyển cảng",
        channels=[
            Channel(
                method="online",
                fees=[Fee(amount_vnd=None, description="Miễn phí (Lệ phí …: 500.000 đồng/phương tiện.)")],
            ),
            Channel(
                method="direct", fees=[Fee(amount_vnd=500, description="500 VNĐ (Lệ phí đối với phương tiện quá cảnh)")]
            ),
        ],
    )
    fixed, warnings = check(record, SOURCE)
    assert fixed.channels[1].fees[0].amount_vnd == 500000
    assert [w.kind for w in warnings] == ["fee_amount_corrected"]
