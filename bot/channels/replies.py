"""Shape the bot's replies for chat apps: size limits, quick replies, the feedback pair.

Pure functions shared by the Zalo and Messenger output channels; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypedDict

from common.replies import PROCEDURE_MARK

# Offered under an answer about a procedure; a click sends the payload as the user's message, which
# Rasa parses as intent ``feedback`` with entity ``rating`` (stored in the tracker, read by the console).


class QuickReply(TypedDict):
    title: str
    payload: str


FEEDBACK_UP = QuickReply(title="👍 Hữu ích", payload='/feedback{"rating": "up"}')
FEEDBACK_DOWN = QuickReply(title="👎 Chưa đúng", payload='/feedback{"rating": "down"}')


class LinkButton(TypedDict):
    title: str
    url: str  # https://… or tel:…


@dataclass(frozen=True)
class Shaped:
    """A reply ready for a chat app: text parts (each within the limit), the quick replies of the last, and
    the links of the text as buttons ("Xem trên Cổng Dịch vụ công", a hotline to call)."""

    parts: list[str]
    quick_replies: list[QuickReply]
    links: list[LinkButton] = field(default_factory=list)


# The answers' light markup (domain.yml): "**heading**" and "[label](https://…)" / "[1900 1234](tel:19001234)".
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|tel:)[^\s)]+)\)")


def plain_text(text: str) -> tuple[str, list[LinkButton]]:
    """Text without markup for apps that show plain text, and its links as buttons.

    A web link leaves the text (its button carries the label); a phone number stays readable in the text.
    """
    links: list[LinkButton] = []

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        if url.startswith("tel:"):
            links.append({"title": f"Gọi {label}", "url": url})
            return label
        links.append({"title": label, "url": url})
        return ""

    text = _LINK.sub(link, _BOLD.sub(r"\1", text))
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip()), links


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into parts of at most ``limit`` characters, at line breaks, else at spaces, else anywhere.

    No visible character is lost or reordered; whitespace at the cuts is dropped. Empty text gives [].
    """
    if limit < 1:
        raise ValueError(f"limit must be ≥ 1, got {limit}")
    parts: list[str] = []
    current = ""
    for line in text.strip().split("\n"):
        for piece in _fit(line.rstrip(), limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current.strip():
        parts.append(current)
    return [part.strip("\n") for part in parts if part.strip()]


def _fit(line: str, limit: int) -> list[str]:
    """One line as pieces of at most ``limit`` characters, cut at spaces where possible."""
    pieces: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    pieces.append(line)
    return [p for p in pieces if p] or [""]


def shorten(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: max(limit - 1, 0)].rstrip() + "…"


def as_quick_replies(
    buttons: list[dict[str, Any]], title_limit: int, max_replies: int
) -> tuple[list[str], list[QuickReply]]:
    """Rasa buttons as quick replies within the app's limits.

    When a title does not fit (Messenger allows 20 characters, a procedure name is often longer), every
    option is listed in full in the text, numbered, and the quick replies carry the number and the
    shortened title; the payload is unchanged, so a click still reaches Rasa as the button's payload.
    Returns (lines to add to the text, quick replies).
    """
    usable = [b for b in buttons if b.get("payload") and b.get("title")][:max_replies]
    if all(len(str(b["title"])) <= title_limit for b in usable):
        return [], [{"title": str(b["title"]), "payload": str(b["payload"])} for b in usable]
    lines = [f"{i}. {b['title']}" for i, b in enumerate(usable, 1)]
    replies: list[QuickReply] = [
        {"title": shorten(f"{i}. {b['title']}", title_limit), "payload": str(b["payload"])}
        for i, b in enumerate(usable, 1)
    ]
    return lines, replies


def wants_feedback(text: str, buttons: list[dict[str, Any]] | None) -> bool:
    """An answer about a procedure gets the 👍/👎 pair (after its own buttons); a list of choices does not."""
    choices = any("choose_procedure" in str(b.get("payload") or "") for b in buttons or [])
    return PROCEDURE_MARK in text and not choices


def shape(
    text: str,
    buttons: list[dict[str, Any]] | None,
    *,
    text_limit: int,
    title_limit: int,
    max_replies: int,
    links_share_replies: bool = False,
) -> Shaped:
    """Text and buttons of one bot message as parts within ``text_limit`` plus quick replies and link buttons
    on the last part."""
    text, links = plain_text(text)
    # Where links are buttons among the quick replies (Zalo), they take places from them.
    room = max_replies - (len(links) if links_share_replies else 0)
    feedback = wants_feedback(text, buttons)
    lines, replies = as_quick_replies(buttons or [], title_limit, room - (2 if feedback else 0))
    if feedback:
        replies = [*replies, FEEDBACK_UP.copy(), FEEDBACK_DOWN.copy()]
    full = "\n".join([text.strip(), *lines]) if lines else text
    return Shaped(split_text(full, text_limit), replies, links)
