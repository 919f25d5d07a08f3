"""What the console keeps per application: batch reports and the tracker store reader."""

from __future__ import annotations

from dataclasses import dataclass

from api.staff.report import ReportStore
from api.staff.transcripts import TrackerReader, tracker_engine


@dataclass
class ConsoleState:
    reports: ReportStore
    tracker: TrackerReader

    @classmethod
    def create(cls, tracker_database_url: str) -> ConsoleState:
        return cls(ReportStore(), TrackerReader(tracker_engine(tracker_database_url)))
