from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.questions import QuestionFileError
from index.evaluate import read_questions, score
from index.searcher import Searcher
from vitext.normalize import has_diacritics


def test_has_diacritics() -> None:
    assert has_diacritics("đăng ký")
    assert has_diacritics("đi")
    assert not has_diacritics("dang ky khai sinh")


def test_reads_only_answerable_rows(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    rows = [{"question": "a", "gold_codes": ["1.001193"]}, {"question": "b", "gold_codes": []}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert [r["question"] for r in read_questions(path)] == ["a"]


def test_malformed_line_names_its_number(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "a", "gold_codes": ["1.001193"]}\n{oops\n', encoding="utf-8")
    with pytest.raises(QuestionFileError, match=":2:"):
        read_questions(path)


def test_metrics_on_known_answers(searcher: Searcher, tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    rows = [
        {"question": "đăng ký khai sinh", "gold_codes": ["1.001193"]},
        {"question": "dang ky khai sinh", "gold_codes": ["1.001193"]},
        {"question": "đăng ký khai sinh", "gold_codes": ["9.999999"]},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    figures, failures = score(searcher, read_questions(path))
    assert figures["n"] == 3
    assert figures["hit@1"] == round(2 / 3, 4)
    assert figures["hit@1_no_diacritics"] == 1.0
    assert figures["n_no_diacritics"] == 1
    assert len(failures) == 1
    assert figures["gold_rank"]["1"] == 2
    assert sum(figures["gold_rank"].values()) == 3
    assert figures["gold_rank"]["absent"] == 1  # no such procedure: never among the hits
