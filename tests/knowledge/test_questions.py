"""The labelled questions the decision model and NLU learn from, and the held-out ones it is measured on."""

from __future__ import annotations

import subprocess
import sys

from index.labelled import HELD_OUT_FILE, TRAINING_FILES, read_labelled
from knowledge.catalog_file import DEFAULT_DIR, iter_records

ROOT = HELD_OUT_FILE.parents[2]


def test_every_gold_code_is_in_the_catalog() -> None:
    codes = {r.code for r in iter_records(DEFAULT_DIR / "catalog.jsonl.gz")}
    for path in (*TRAINING_FILES, HELD_OUT_FILE):
        for question in read_labelled(path):
            assert question.answerable == bool(question.gold), (path.name, question.question)
            assert question.gold <= codes, (path.name, question.question, sorted(question.gold - codes))


def test_held_out_questions_share_neither_text_nor_procedure_with_training() -> None:
    training = [q for path in TRAINING_FILES for q in read_labelled(path)]
    held = read_labelled(HELD_OUT_FILE)
    assert {q.question for q in held}.isdisjoint(q.question for q in training)
    trained_procedures = {code for q in training for code in q.gold}
    tests_only = {code for q in read_labelled(TRAINING_FILES[0]) for code in q.gold}
    # Written for the held-out set: procedures of their own (tests/data/questions.jsonl's common ones aside).
    for question in held:
        assert not (question.gold & (trained_procedures - tests_only)), question.question
    assert sum(q.answerable for q in held) > 100 and sum(not q.answerable for q in held) > 100


def test_the_nlu_examples_made_from_them_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "nlu_questions.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
