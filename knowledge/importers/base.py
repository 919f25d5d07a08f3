"""What every importer shares: its source description and the contract of `load`."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from knowledge.schema import Procedure


@dataclass(frozen=True)
class SourceInfo:
    name: str  # folder under the sources root, e.g. "chatbot-tthc__chatbot_tthc"
    repo: str
    commit: str
    date: str  # YYYY-MM: newer sources win conflicts


class Importer(Protocol):
    SOURCE: SourceInfo

    def load(self, root: Path, skipped: list[str]) -> Iterator[Procedure]:
        """Yield one partial record per procedure code found under `root / SOURCE.name`; a file or row
        it cannot use is appended to `skipped` as "path: reason" (the build reports them)."""
        ...


class SourceFormatError(ValueError):
    """A raw source file could not be read; the build skips it and reports it."""


def read_csv(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV file with a header (line 1) holding at least `columns`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(columns) - set(reader.fieldnames or ())
            if missing:
                raise SourceFormatError(f"{path}: missing columns {sorted(missing)}")
            return [(reader.line_num, {k: v or "" for k, v in row.items() if k}) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SourceFormatError(f"{path}: {error}") from error
