"""Personal data is masked in logs; codes, dates, amounts and hotlines are not."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from knowledge.privacy import EMAIL_MASK, ID_MASK, PHONE_MASK, install_log_masking, mask_pii


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("số CCCD 001099012345 nhé", f"số CCCD {ID_MASK} nhé"),
        ("CMND: 123456789.", f"CMND: {ID_MASK}."),
        ("sđt 0912 345 678, gọi giúp", f"sđt {PHONE_MASK}, gọi giúp"),
        ("0912.345.678", PHONE_MASK),
        ("0912-345-678", PHONE_MASK),
        ("0912345678", PHONE_MASK),
        ("+84 912 345 678", PHONE_MASK),
        ("+84912345678", PHONE_MASK),
        ("84912345678", PHONE_MASK),
        ("(+84) 912 345 678", PHONE_MASK),
        ("bàn: 024 3825 1234", f"bàn: {PHONE_MASK}"),
        ("liên hệ a.b@gmail.com hoặc nguyen_van.an+dvc@so-tp.hanoi.gov.vn", f"liên hệ {EMAIL_MASK} hoặc {EMAIL_MASK}"),
        ("(0912345678)", f"({PHONE_MASK})"),
        ("value: 912 345 678", f"value: {PHONE_MASK}"),
        ("SlotSet(key: online_level, value: 912.345.678)", f"SlotSet(key: online_level, value: {PHONE_MASK})"),
        ("9123456789", ID_MASK),
        ("/search?q=cccd+001099012345&k=5", f"/search?q=cccd+{ID_MASK}&k=5"),
        ("/search?q=s%C4%91t+0912+345+678,+a.b@gmail.com&k=5", f"/search?q=s%C4%91t+{PHONE_MASK},+{EMAIL_MASK}&k=5"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "thủ tục 1.001193 và 2.000635",
        "mã 1.001193.000.00.00.H12",
        "lệ phí 10.000 đ",
        "lệ phí 1.500.000 đồng",
        "phạt 500000000 đồng",
        "100000000 VNĐ",
        "ngày 12/03/2024, hạn 2024-03-12, hoặc 03.12.2024",
        "từ 01.01.2024 đến 31.12.2024",
        "phạt từ 1.000.000 đến 2.000.000 đồng",
        "bước 1, 2, 3",
        "gọi tổng đài 18001096 hoặc 1900 1234",
        "trong 15 ngày làm việc, 3 bản sao",
        "năm 2025 có 6731 thủ tục",
        "",
    ],
)
def test_what_is_not_personal_data_stays(text: str) -> None:
    assert mask_pii(text) == text


def test_masking_is_idempotent() -> None:
    text = "CCCD 001099012345, sđt 0912 345 678, email a.b@gmail.com"
    assert mask_pii(mask_pii(text)) == mask_pii(text)


@pytest.fixture
def masked_logging() -> Iterator[io.StringIO]:
    """Masking installed, then a handler added afterwards (as uvicorn and Rasa do), restored at the end."""
    factory = logging.getLogRecordFactory()
    early = logging.StreamHandler(io.StringIO())
    logging.getLogger("test.privacy.early").addHandler(early)
    install_log_masking()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.privacy.late")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logging.getLogger("test.privacy.early").removeHandler(early)
        logging.setLogRecordFactory(factory)


def test_records_of_handlers_added_later_are_masked(masked_logging: io.StringIO) -> None:
    logger = logging.getLogger("test.privacy.late")
    logger.debug("user said %r to %s", "CCCD 001099012345", {"phone": "0912345678"})
    logger.info(f"Received user message 'sđt 0912 345 678' with intent {3}")
    try:
        raise ValueError("bad input a.b@gmail.com 001099012345")
    except ValueError:
        logger.exception("failed for %s", "0912.345.678")
    logger.debug("uvicorn access %s %d", "/search?q=cccd+001099012345", 200)
    out = masked_logging.getvalue()
    for secret in ("001099012345", "0912345678", "0912 345 678", "0912.345.678", "a.b@gmail.com"):
        assert secret not in out, out
    assert out.count(ID_MASK) >= 3 and EMAIL_MASK in out and PHONE_MASK in out, out
    assert "ValueError" in out and "access /search?q=cccd+[ID-NUMBER] 200" in out, out


def test_extras_are_masked_on_handlers_present_at_install(masked_logging: io.StringIO) -> None:
    early = logging.getLogger("test.privacy.early")
    handler = early.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setFormatter(logging.Formatter("%(message)s from %(client)s"))
    early.warning("request from a client", extra={"client": "a.b@gmail.com 0912345678"})
    assert handler.stream.getvalue() == f"request from a client from {EMAIL_MASK} {PHONE_MASK}\n"


def test_install_twice_wraps_once() -> None:
    factory = logging.getLogRecordFactory()
    try:
        install_log_masking()
        once = logging.getLogRecordFactory()
        install_log_masking()
        assert logging.getLogRecordFactory() is once
    finally:
        logging.setLogRecordFactory(factory)
