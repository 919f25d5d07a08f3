"""Duty hours as an office posts them: who can take a conversation over, and when."""

from __future__ import annotations

from datetime import datetime

import pytest

from actions.duty import VIETNAM, BadDutyHours, duty_hours, parse


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 7 + day, hour, minute, tzinfo=VIETNAM)  # 2026-12-07 is a Monday


def test_office_hours_with_a_lunch_break() -> None:
    hours = parse("T2-T6 07:30-11:30,13:00-17:00")
    assert hours.on_duty(at(0, 7, 30)) and hours.on_duty(at(4, 16, 59))
    assert not hours.on_duty(at(0, 12, 0)) and not hours.on_duty(at(0, 17, 0))
    assert not hours.on_duty(at(5, 9, 0)) and not hours.on_duty(at(6, 9, 0))  # Saturday, Sunday
    assert hours.label() == "Thứ Hai – Thứ Sáu, 07:30–11:30 và 13:00–17:00"


def test_clock_in_vietnam_whatever_the_server_zone() -> None:
    from datetime import timezone

    hours = parse("T2-T6 08:00-17:00")
    assert hours.on_duty(datetime(2026, 12, 7, 1, 30, tzinfo=timezone.utc))  # 08:30 in Hà Nội
    assert not hours.on_duty(datetime(2026, 12, 7, 10, 30, tzinfo=timezone.utc))  # 17:30


def test_always_never_and_weekends() -> None:
    assert parse("always").on_duty(at(6, 3)) and parse("ALWAYS").label() == "tất cả các ngày, 00:00–24:00"
    assert not parse("never").on_duty(at(0, 9))
    assert parse("T7-CN 08:00-12:00").on_duty(at(6, 9))


@pytest.mark.parametrize("value", ["T6-T2 08:00-17:00", "T2-T6 17:00-08:00", "mon-fri 8-17", "T2-T6 25:00-26:00"])
def test_a_bad_value_means_nobody_on_duty(value: str, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises((BadDutyHours, ValueError)):
        parse(value)
    assert not duty_hours(value).on_duty(at(0, 9))
    assert "HANDOFF_HOURS" in caplog.text or "hour must be" in caplog.text
