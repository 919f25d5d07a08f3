"""The project's own labelled questions: what the decision model learns from and what `make eval` reads.

A line: {"question": …, "gold_codes": [...], "answerable": true|false, "attribute": …, "has_diacritics": …}.
``answerable`` defaults to whether the line has gold codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.questions import QuestionFileError, read_question_rows
from vitext.normalize import has_diacritics

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
    for row in read_question_rows(path):
        if row.answerable and not row.gold:
            raise QuestionFileError(f"{path}:{row.line}: an answerable question needs gold_codes")
        accented = row.data.get("has_diacritics")
        rows.append(
            LabelledQuestion(
                row.question,
                row.gold,
                row.answerable,
                row.attribute,
                has_diacritics(row.question) if accented is None else bool(accented),
                "answerable" if row.answerable else str(row.data.get("category") or "other"),
            )
        )
    return rows
