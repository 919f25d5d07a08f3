"""Cutting and tidying the text of portal cells: lists, lines, parentheses, leftover separators."""

from __future__ import annotations

import re

from vitext.normalize import clean_field, normalize


def matching_paren_end(text: str, start: int) -> int:
    """Index just past the parenthesis that closes the one at `start`.

    Portal cells nest parentheses ("(Phí : Đồng (Từ ngày …))") and crawls cut some of them
    off; an unclosed group runs to the end of the text.
    """
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split on `separator` outside parentheses ("Tổ chức (không bao gồm doanh nghiệp, HTX), …")."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [cleaned for part in parts if (cleaned := clean_field(part))]


_LEADING_PUNCT = re.compile(r"^[\s;,.:]+")


def tidy(text: str) -> str:
    """Normalise a cut-out cell and drop separators left over from the cut."""
    return _LEADING_PUNCT.sub("", normalize(text)).strip()


def split_list(text: str) -> list[str]:
    """Split on commas and semicolons outside parentheses ("Tổ chức (không bao gồm DN, HTX)")."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        depth += char == "("
        depth -= char == ")" and depth > 0
        if char in ",;" and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item for item in (normalize(i) for i in items) if item]


def split_lines(text: str) -> list[str]:
    """Non-empty normalised lines; lines without a letter or digit are dropped."""
    lines = (normalize(line) for line in text.replace("\r", "\n").split("\n"))
    return [line for line in lines if re.search(r"\w", line)]
