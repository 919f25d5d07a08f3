"""Answers sized for a phone: a list shown in pages of whole items, the rest one button away.

A page holds whole items until a character budget (about one phone screen at 375 px with the
heading, link and source line); the list is shortened, never an item. Buttons carry the view and
page asked for (entity ``view``: "general:2", "cases:1", "notes:1", "agencies:1").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

PAGE_CHARS = 560
PAGE_ITEMS = 7


@dataclass
class Rendered:
    """A renderer's text and the further pages or views it offers as buttons (title, view)."""

    body: str
    more: list[tuple[str, str]] = field(default_factory=list)

    def buttons(self, code: str, intent: str) -> list[dict[str, Any]]:
        return [
            {"title": title, "payload": f"/{intent}{json.dumps({'procedure_code': code, 'view': view})}"}
            for title, view in self.more
        ]


def parse_view(view: str | None, default: str = "general") -> tuple[str, int]:
    """ "cases:2" → ("cases", 2); anything unreadable → (default, 1)."""
    name, _, page = (view or "").partition(":")
    return (name or default), (int(page) if page.isdigit() and int(page) > 0 else 1)


def paginate(items: list[str], page: int) -> tuple[list[str], bool]:
    """The whole items of page `page` (1-based) and whether a next page exists."""
    pages: list[list[str]] = [[]]
    used = 0
    for item in items:
        current = pages[-1]
        if current and (used + len(item) > PAGE_CHARS or len(current) >= PAGE_ITEMS):
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += len(item)
    # A heading ("Giấy tờ phải xuất trình:", "… các giấy tờ sau:") never ends a page: it goes with its items.
    for i in range(len(pages) - 1):
        while len(pages[i]) > 1 and pages[i][-1].endswith(":"):
            pages[i + 1].insert(0, pages[i].pop())
    index = min(page, len(pages)) - 1
    return pages[index], index + 1 < len(pages)


# Counts the answer itself makes ("Còn 7 trường hợp riêng và 19 lưu ý"): framing, not facts of the record;
# `make audit` leaves exactly these out of its number check.
COUNT_NOUNS = "trường hợp riêng|lưu ý|giấy tờ|mục|bước|cơ quan|mức thu|văn bản"
GENERATED_COUNT = __import__("re").compile(rf"\b(?:[Cc]òn|và|[Gg]ồm|[Cc]ó) (\d+) (?:{COUNT_NOUNS})\b")
