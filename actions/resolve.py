"""Which procedure is the citizen asking about?

Order: a code in the message ("mã 1.001193", or a button payload) → a message naming a procedure
(`procedure` entity): the whole message looked up with /search, or the mention alone when the message
is too short to say more → the procedure already discussed (slot `procedure_code`, for follow-ups) →
the whole message, looked up with /search when it is long enough to name something.

Searching the whole message rather than the mention was measured (scripts/ambiguity_margin.py on
tests/data/questions.jsonl, docs/nlu.md): the mention drops the words that tell variants apart
("… cho con", "… có yếu tố nước ngoài"), and the search strips the question frame itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker

from actions.catalog_client import CatalogClient, SearchHit
from knowledge.normalize import fold, normalize

CODE_RE = re.compile(r"\b[0-9]\.[0-9]{6}(?:\.[0-9A-Za-z]+)?\b")
MIN_WORDS_FOR_MESSAGE_SEARCH = 4
MAX_CHOICES = 3


@dataclass
class Resolution:
    """Either one procedure (``code``), a short list to choose from, or nothing."""

    code: str | None = None
    name: str | None = None
    choices: list[SearchHit] = field(default_factory=list)
    searched: bool = False


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    values = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == entity]
    values = [normalize(str(v)) for v in values if v]
    return values[0] if values else None


def _bare_name(name: str) -> str:
    """The accent-folded name without the leading "thủ tục" ("Thủ tục đăng ký khai sinh" → "dang ky khai sinh")."""
    folded = " ".join(fold(name).split())
    return folded.removeprefix("thu tuc ").strip()


def pick(hits: list[SearchHit], margin: float, mention: str | None = None) -> Resolution:
    """One hit when it stands out or is exactly the procedure named; the hits within ``margin`` of the best one
    otherwise."""
    if not hits:
        return Resolution(searched=True)
    if mention:
        named = [h for h in hits[:MAX_CHOICES] if _bare_name(str(h.get("name") or "")) == _bare_name(mention)]
        if len(named) == 1:
            return Resolution(code=named[0]["code"], name=named[0]["name"], searched=True)
    best = float(hits[0].get("score") or 0.0)
    close = [h for h in hits[:MAX_CHOICES] if best - float(h.get("score") or 0.0) <= margin]
    if len(close) > 1:
        return Resolution(choices=close, searched=True)
    return Resolution(code=hits[0]["code"], name=hits[0]["name"], searched=True)


def choice_buttons(choices: list[SearchHit]) -> list[dict[str, Any]]:
    return [
        {
            "title": f"{hit['name']} (mã {hit['code']})",
            "payload": f'/choose_procedure{{"procedure_code": "{hit["code"]}"}}',
        }
        for hit in choices
    ]


def search_query(text: str, mention: str) -> str:
    """The whole message when it is long enough to say more than the mention, else the mention."""
    return text if len(text.split()) >= MIN_WORDS_FOR_MESSAGE_SEARCH else mention


async def resolve_procedure(catalog: CatalogClient, tracker: Tracker, margin: float) -> Resolution:
    text = normalize(tracker.latest_message.get("text") or "")
    code = latest_entity(tracker, "procedure_code")
    if not code:
        match = CODE_RE.search(text)
        code = match.group() if match else None
    if code:
        return Resolution(code=code)
    mention = latest_entity(tracker, "procedure")
    if mention:
        return pick(await catalog.search(search_query(text, mention)), margin, mention)
    current = tracker.get_slot("procedure_code")
    if current:
        return Resolution(code=current, name=tracker.get_slot("procedure_name"))
    if len(text.split()) >= MIN_WORDS_FOR_MESSAGE_SEARCH:
        return pick(await catalog.search(text), margin)
    return Resolution()
