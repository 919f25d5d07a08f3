"""The build reads each fee once (knowledge/parsing/fee_reading.py); the bot words it from that reading."""

from __future__ import annotations

from knowledge.parsing.fee_reading import read_fee
from knowledge.schema import Fee, FeeItem


def reading_of(amount: int | None, description: str) -> dict:
    fee = read_fee(Fee(amount_vnd=amount, description=description))
    return fee.reading.model_dump() if fee.reading else {}


def test_free_keeps_its_note() -> None:
    reading = reading_of(0, "Miễn phí (Đối với người có công với cách mạng)")
    assert reading["kind"] == "free"
    assert reading["detail"] == "Đối với người có công với cách mạng"
    assert not reading["names_amount"]


def test_free_with_an_amount_in_its_text_is_not_free() -> None:
    reading = reading_of(None, "Miễn phí(Nộp 150.000 đồng lệ phí trước bạ)")
    assert reading["kind"] == "free_but_priced"
    assert reading["detail"] == "Nộp 150.000 đồng lệ phí trước bạ"
    assert reading["names_amount"]


def test_an_amount_its_description_repeats_is_stated() -> None:
    reading = reading_of(50000, "50.000 đồng (Lệ phí cấp bản sao)")
    assert (reading["kind"], reading["detail"]) == ("stated", "Lệ phí cấp bản sao")


def test_an_amount_corrected_from_its_own_description() -> None:
    reading = reading_of(700000, "700 VNĐ (Phí thẩm định: 700.000 đồng/cơ sở)")
    assert (reading["kind"], reading["detail"]) == ("corrected", "Phí thẩm định: 700.000 đồng/cơ sở")


def test_a_cell_written_otherwise_keeps_what_it_wrote() -> None:
    reading = reading_of(500000, "500 VNĐ")
    assert (reading["kind"], reading["written"]) == ("written_otherwise", "500 VNĐ")


def test_a_long_tariff_lists_its_priced_clauses_under_their_headings() -> None:
    clauses = [f"Đối với trường hợp thứ {n} theo quy định của pháp luật hiện hành:" for n in range(1, 8)]
    text = " ".join(f"{heading} {n}0.000 đồng/hồ sơ." for n, heading in enumerate(clauses, start=1))
    reading = reading_of(None, text)
    assert reading["kind"] == "described"
    assert len(reading["items"]) == 7
    assert FeeItem(**reading["items"][0]) == FeeItem(heading=clauses[0], text="10.000 đồng/hồ sơ.")


def test_a_short_text_is_no_tariff_and_no_fee_is_no_reading() -> None:
    assert reading_of(None, "Theo quy định")["items"] == []
    assert reading_of(None, "") == {}
