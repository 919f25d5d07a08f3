"""What every importer shares: its source description and the contract of `load`."""

from __future__ import annotations

from collections.abc import Iterator
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

    def load(self, root: Path) -> Iterator[Procedure]:
        """Yield one partial record per procedure code found under `root / SOURCE.name`."""
        ...


class SourceFormatError(ValueError):
    """A raw source file could not be read; the build skips it and reports it."""
