"""The "Trình tự thực hiện" text: numbered steps ("Bước 1: …") or one step per line.

`parse_steps` reads a crawl's flattened text; `split_steps` a table cell.
"""

from __future__ import annotations

import re
from itertools import pairwise

from knowledge.parsing.cells import split_lines
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


_STEP_START = re.compile(r"(?=\bBước\s*\d+\s*[:.])")


def split_steps(text: str) -> list[str]:
    """Steps from a text block: one per line, or one per "Bước N:" when written on a single line."""
    lines = split_lines(text)
    if len(lines) > 1:
        return lines
    return [step for step in (normalize(s) for s in _STEP_START.split(text)) if re.search(r"\w", step)]
