"""The project's own labelled questions: what the decision model learns from and what `make eval` reads.

A line: {"question": …, "gold_codes": [...], "answerable": true|false, "attribute": …, "has_diacritics": …}.
``answerable`` defaults to whether the line has gold codes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from knowledge.normalize import has_diacritics

ROOT = Path(__file__).resolve().parents[1]
# Trained on: our own citizens' questions, formal and situation questions for procedures across the
# catalog, and questions no catalog procedure answers (knowledge/questions/README.md).
TRAINING_FILES = (
    ROOT / "tests" / "data" / "questions.jsonl",
    ROOT / "knowledge" / "questions" / "answerable.jsonl",
    ROOT / "knowledge" / "questions" / "unanswerable.jsonl",
)
# Never trained on: written with the training questions, measured apart (procedures of their own).
HELD_OUT_FILE = ROOT / "tests" / "data" / "heldout.jsonl"


class QuestionFileError(ValueError):
    """The questions file is malformed; the message names the line."""


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    gold: frozenset[str]
    answerable: bool
    attribute: str
    accented: bool
    category: str  # the kind of unanswerable question ("legal_opinion", …), or "answerable"


def read_labelled(path: Path) -> list[LabelledQuestion]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            question, gold = str(row["question"]), frozenset(str(c) for c in row.get("gold_codes") or [])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise QuestionFileError(f"{path}:{number}: expected {{'question', 'gold_codes'}} ({error})") from error
        answerable = bool(row.get("answerable", bool(gold)))
        if answerable and not gold:
            raise QuestionFileError(f"{path}:{number}: an answerable question needs gold_codes")
        accented = row.get("has_diacritics")
        rows.append(
            LabelledQuestion(
                question,
                gold,
                answerable,
                str(row.get("attribute") or "general"),
                has_diacritics(question) if accented is None else bool(accented),
                "answerable" if answerable else str(row.get("category") or "other"),
            )
        )
    return rows
