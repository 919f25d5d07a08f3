"""Citizens' own wording: the accented examples the assistant's NLU is trained on (bot/data/nlu).

The catalog is written in administrative language; the diacritic restorer also needs the words
citizens use around it ("tôi muốn", "có được không", "mất bao lâu"), and the bot's examples are
the project's own collection of them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from vitext.normalize import has_diacritics, normalize

NLU_DIR = Path(__file__).resolve().parents[1] / "bot" / "data" / "nlu"
# Rasa's entity annotations: [text](entity) and [text]{"entity": …}; the text is kept.
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def nlu_files(nlu_dir: Path = NLU_DIR) -> list[Path]:
    return sorted(nlu_dir.glob("*.yml"))


def wording_key(nlu_dir: Path = NLU_DIR) -> str:
    """A short hash of the example files, so a table built from them is rebuilt when they change."""
    digest = hashlib.sha256()
    for path in nlu_files(nlu_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def accented_examples(nlu_dir: Path = NLU_DIR) -> Iterator[str]:
    """Each training example written with diacritics, annotations removed."""
    for path in nlu_files(nlu_dir):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                text = normalize(_ANNOTATION.sub(r"\1", line.strip().removeprefix("-")))
                if text and has_diacritics(text):
                    yield text
