"""Question files (JSON Lines, one ``{"question", "gold_codes", …}`` a line), as `make eval`, `make e2e`
and the decision model's training read them."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class QuestionFileError(ValueError):
    """A questions file is malformed; the message names the file and the line."""


@dataclass(frozen=True)
class QuestionRow:
    line: int
    question: str
    gold: frozenset[str]
    data: dict[str, Any]  # the whole row: answerable, attribute, has_diacritics, category …

    @property
    def answerable(self) -> bool:
        return bool(self.data.get("answerable", bool(self.gold)))

    @property
    def attribute(self) -> str:
        return str(self.data.get("attribute") or "general")


def read_question_rows(path: Path) -> list[QuestionRow]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            gold = frozenset(str(c) for c in data.get("gold_codes") or [])
            rows.append(QuestionRow(number, str(data["question"]), gold, data))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise QuestionFileError(f"{path}:{number}: expected {{'question', 'gold_codes'}} ({error})") from error
    return rows


def read_or_report(read: Callable[[Path], T], path: Path) -> T | None:
    """``read(path)``, or None after saying on stderr, in Vietnamese, why the file could not be read."""
    try:
        return read(path)
    except (OSError, QuestionFileError) as error:
        print(f"Không đọc được tệp câu hỏi: {error}", file=sys.stderr)
        return None
