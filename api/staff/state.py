"""What the console keeps per application: batch reports, the tracker store reader and its own database."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.settings import Settings
from api.staff.db import StaffDatabase
from api.staff.report import ReportStore
from api.staff.transcripts import TrackerReader, tracker_engine


@dataclass
class ConsoleState:
    reports: ReportStore
    tracker: TrackerReader
    db: StaffDatabase
    session_key: bytes = field(repr=False, default=b"")

    @classmethod
    def create(cls, tracker_database_url: str, staff_database_url: str | None = None) -> ConsoleState:
        db = StaffDatabase.open(staff_database_url or Settings().staff_database_url)
        return cls(ReportStore(), TrackerReader(tracker_engine(tracker_database_url)), db, db.secret("session"))
