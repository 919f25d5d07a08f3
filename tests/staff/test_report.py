"""Report scoring by field, the pass-rate chart and the CSV export (no server needed)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from api.staff.batch import BatchQuestion, BatchResult
from api.staff.report import NO_CODE, NO_FIELD, Report, ReportStore, chart_html, report_csv


def sample() -> Report:
    questions = [
        BatchQuestion(2, "đăng ký khai sinh cần gì", ("1.001193",)),
        BatchQuestion(3, "đăng ký kết hôn", ("1.000894",)),
        BatchQuestion(4, '=HYPERLINK("http://x")', ("1.001456",)),
        BatchQuestion(5, "thời tiết", ()),
        BatchQuestion(6, "mã lạ", ("9.999999",)),
    ]
    fields = {"1.001193": "Hộ tịch", "1.000894": "Hộ tịch", "1.001456": '<Xuất nhập cảnh & "lãnh sự">'}
    report = Report("r1", "dev.csv", datetime(2026, 11, 23, 15, 0), questions, fields)
    report.record(0, BatchResult(questions[0], ("1.001193",), "Hồ sơ … (mã 1.001193)"))
    report.record(1, BatchResult(questions[1], ("1.001193",), "… (mã 1.001193)"))
    report.record(3, BatchResult(questions[3], (), "Xin lỗi, tôi chỉ hỗ trợ …"))
    return report


def test_scores_by_field_count_only_finished_questions() -> None:
    report = sample()
    assert not report.finished
    assert (len(report.done), report.passed) == (3, 2)
    assert [(s.name, s.total, s.passed) for s in report.by_field()] == [("Hộ tịch", 2, 1), (NO_CODE, 1, 1)]
    questions = report.questions
    report.record(2, BatchResult(questions[2], (), "", error="Bot không trả lời trong 3 giây."))
    report.record(4, BatchResult(questions[4], ("9.999999",), "…"))
    assert report.finished
    assert round(report.percent, 1) == 60.0
    assert [r.item.line for r in report.failures] == [3, 4]
    names = {s.name for s in report.by_field()}
    assert NO_FIELD in names


def test_chart_draws_pass_rates_per_field_and_escapes_names() -> None:
    report = sample()
    report.record(2, BatchResult(report.questions[2], ("1.001456",), "…"))
    html = str(chart_html(report.by_field()))
    assert html.count('class="bar"') == 3
    assert "<Xuất" not in html
    assert "&lt;Xuất nhập cảnh &amp; &#34;lãnh sự&#34;&gt;" in html
    # The bars are pass rates on one 0–100 scale, not question counts.
    assert re.findall(r'<progress max="100" value="(\d+)"', html)[0] == "50"  # Hộ tịch: 1 of 2
    assert "1/2 đạt (50%)" in html


def test_csv_holds_every_finished_row_readable_by_spreadsheets() -> None:
    raw = report_csv(sample())
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["line"] for r in rows] == ["2", "3", "5"]
    assert rows[0]["passed"] == "1" and rows[1]["passed"] == "0"
    assert rows[1]["got_code"] == "1.001193" and rows[1]["expected_codes"] == "1.000894"
    assert rows[0]["field"] == "Hộ tịch"
    report = sample()
    report.record(2, BatchResult(report.questions[2], (), "-1 kết quả"))
    formula = next(r for r in csv.DictReader(io.StringIO(report_csv(report).decode("utf-8-sig"))) if r["line"] == "4")
    assert formula["question"].startswith("'=")
    assert formula["reply"] == "'-1 kết quả"


def test_the_store_keeps_the_latest_reports() -> None:
    store = ReportStore(keep=2)
    for name in ("a", "b", "c"):
        store.add(Report(name, "x", datetime(2026, 1, 1), [], {}))
    assert store.get("a") is None
    assert [r.id for r in store.latest()] == ["c", "b"]
