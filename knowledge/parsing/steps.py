"""The "Trình tự thực hiện" text: numbered steps ("Bước 1: …") or one step per line."""

from __future__ import annotations

import re
from itertools import pairwise

from vitext.normalize import clean_field, normalize

# "Bước 1:", "- Bước 2.", "+ Bước 3 -", "a) Bước 1": each opens a step wherever it stands, since
# crawls often lose the line breaks between steps.
_STEP_MARK = re.compile(r"(?:(?<=\s)|^)(?:[-+*•]\s*|[a-zđ]\)\s*)?Bước\s*\d+\s*[:.\-–)]?", re.IGNORECASE)


def parse_steps(text: str) -> list[str]:
    """Steps of a procedure, in order; [] when the text is empty or a placeholder."""
    if clean_field(text) is None:
        return []
    text = text.replace("\r", "\n")
    marks = list(_STEP_MARK.finditer(text))
    if len(marks) >= 2:
        pieces = [text[: marks[0].start()]]
        pieces += [text[mark.start() : nxt.start()] for mark, nxt in pairwise(marks)]
        pieces.append(text[marks[-1].start() :])
    else:
        pieces = text.split("\n")
    return [step for piece in pieces if (step := _clean_step(piece))]


def _clean_step(piece: str) -> str:
    step = normalize(piece).lstrip("-+*• ").strip()
    return step if clean_field(step) is not None and any(char.isalnum() for char in step) else ""
