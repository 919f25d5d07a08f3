"""Citizens' wording for the diacritic restorer, read from the bot's NLU examples."""

from __future__ import annotations

from pathlib import Path

from knowledge.citizen_wording import accented_examples, wording_key

NLU = """version: "3.1"
nlu:
- intent: ask_fee
  examples: |
    - [đăng ký khai sinh](procedure) mất bao nhiêu tiền?
    - le phi [cccd](procedure) bao nhieu
    - còn [hộ chiếu]{"entity": "procedure"} thì sao
- lookup: procedure
  examples: |
    - sổ đỏ
"""


def test_accented_examples_without_annotations(tmp_path: Path) -> None:
    (tmp_path / "fee.yml").write_text(NLU, encoding="utf-8")
    assert list(accented_examples(tmp_path)) == [
        "đăng ký khai sinh mất bao nhiêu tiền?",
        "còn hộ chiếu thì sao",
        "sổ đỏ",
    ]


def test_key_changes_with_the_examples(tmp_path: Path) -> None:
    path = tmp_path / "fee.yml"
    path.write_text(NLU, encoding="utf-8")
    before = wording_key(tmp_path)
    path.write_text(NLU + "    - bao nhiêu tiền\n", encoding="utf-8")
    assert wording_key(tmp_path) != before


def test_the_bot_examples_are_read() -> None:
    examples = list(accented_examples())
    assert len(examples) > 500 and all("](" not in e for e in examples)
