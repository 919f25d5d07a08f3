"""Batch reports: kept in memory by id, scored by field (lĩnh vực), drawn as pass-rate bars, exported as CSV."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape

from api.staff.batch import BatchQuestion, BatchResult
from knowledge.privacy import mask_pii

NO_FIELD = "Không rõ lĩnh vực"
NO_CODE = "Ngoài phạm vi (không có mã mong đợi)"
KEPT_REPORTS = 50
CSV_COLUMNS = ("line", "question", "expected_codes", "got_code", "named_codes", "passed", "field", "error", "reply")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class FieldScore:
    name: str
    total: int
    passed: int

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 0.0


@dataclass
class Report:
    id: str
    source: str
    created: datetime
    questions: list[BatchQuestion]
    fields: dict[str, str]  # expected code -> its field in the catalog
    results: list[BatchResult | None] = field(default_factory=list)
    error: str | None = None
    seconds: float | None = None  # how long the whole batch took, once finished
    task: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self.results = [None] * len(self.questions)

    def record(self, index: int, result: BatchResult) -> None:
        self.results[index] = result

    @property
    def done(self) -> list[BatchResult]:
        return [r for r in self.results if r is not None]

    @property
    def finished(self) -> bool:
        return self.error is not None or len(self.done) == len(self.questions)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.done)

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / len(self.done) if self.done else 0.0

    @property
    def failures(self) -> list[BatchResult]:
        return [r for r in self.done if not r.passed]

    def field_of(self, item: BatchQuestion) -> str:
        if not item.expected:
            return NO_CODE
        return self.fields.get(item.expected[0]) or NO_FIELD

    def by_field(self) -> list[FieldScore]:
        totals: dict[str, list[int]] = {}
        for result in self.done:
            counts = totals.setdefault(self.field_of(result.item), [0, 0])
            counts[0] += 1
            counts[1] += result.passed
        scores = [FieldScore(name, n, ok) for name, (n, ok) in totals.items()]
        return sorted(scores, key=lambda s: (-s.total, s.name))


class ReportStore:
    """The latest reports of this process (lost on restart; the CSV download keeps a copy)."""

    def __init__(self, keep: int = KEPT_REPORTS) -> None:
        self._reports: OrderedDict[str, Report] = OrderedDict()
        self._keep = keep

    def add(self, report: Report) -> None:
        self._reports[report.id] = report
        while len(self._reports) > self._keep:
            self._reports.popitem(last=False)

    def get(self, report_id: str) -> Report | None:
        return self._reports.get(report_id)

    def latest(self) -> list[Report]:
        return list(reversed(self._reports.values()))


def chart_html(scores: list[FieldScore]) -> Markup:
    """Pass rate per field as native ``<progress>`` bars on a 0–100 % scale, one row each.

    HTML rather than SVG so the labels wrap and stay readable on a 375 px phone; no inline style is
    needed (the console's CSP forbids it), and screen readers announce each bar's value.
    """
    rows = []
    for score in scores:
        label = f"{score.passed}/{score.total} đạt ({score.percent:.0f}%)"
        rows.append(
            f'<li class="bar"><span class="name">{escape(score.name)}</span>'
            f'<progress max="100" value="{score.percent:.0f}" aria-label="{escape(score.name)}: {label}"></progress>'
            f'<span class="value">{label}</span></li>'
        )
    return Markup(f'<ul class="chart" aria-label="Tỉ lệ đạt theo lĩnh vực">{"".join(rows)}</ul>')


def _cell(value: str) -> str:
    # A cell starting like a formula would run in a spreadsheet: keep it text.
    return "'" + value if value.startswith(_FORMULA_START) else value


def report_csv(report: Report) -> bytes:
    """Every row of the report; UTF-8 with a BOM so spreadsheet programs read the diacritics right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for result in report.done:
        item = result.item
        writer.writerow(
            [
                str(item.line),
                _cell(mask_pii(item.question)),
                ";".join(item.expected),
                result.got or "",
                ";".join(result.codes),
                "1" if result.passed else "0",
                _cell(report.field_of(item)),
                _cell(result.error or ""),
                _cell(mask_pii(result.reply)),
            ]
        )
    return out.getvalue().encode("utf-8-sig")
