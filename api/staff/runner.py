"""Run a batch in the background so the report page can show its progress while the bot answers."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from datetime import datetime

from api.staff.batch import BatchQuestion, ask_all
from api.staff.rasa_client import RasaClient
from api.staff.report import Report, ReportStore
from api.staff.transcripts import STAFF_SENDER_PREFIX, VIETNAM

log = logging.getLogger("api.staff")


def start_batch(
    reports: ReportStore,
    questions: list[BatchQuestion],
    fields: dict[str, str],
    source: str,
    *,
    rasa_url: str,
    rasa_token: str,
    timeout_s: float,
    concurrency: int,
) -> Report:
    report = Report(secrets.token_urlsafe(9), source, datetime.now(VIETNAM), questions, fields)

    async def run() -> None:
        started = time.perf_counter()
        try:
            async with RasaClient(rasa_url, rasa_token, timeout_s) as rasa:
                prefix = f"{STAFF_SENDER_PREFIX}batch-{report.id}"
                await ask_all(rasa, questions, prefix, concurrency, timeout_s, report.record)
        except Exception as exc:  # the report page must say the batch stopped, whatever stopped it
            log.exception("batch %s stopped", report.id)
            report.error = f"Lượt chạy dừng giữa chừng: {type(exc).__name__}: {exc}"
        report.seconds = time.perf_counter() - started

    report.task = asyncio.get_running_loop().create_task(run())
    reports.add(report)
    return report
