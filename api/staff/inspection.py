"""One question seen the way the assistant sees it: normalised text, NLU, search candidates, the exact reply."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool

from api.staff.batch import codes_in_reply
from api.staff.rasa_client import BotMessage, ParseResult, RasaClient, RasaUnavailable
from api.staff.transcripts import STAFF_SENDER_PREFIX
from index.decision import Decision
from index.search_service import SearchService
from index.searcher import Hit
from vitext.normalize import normalize

CANDIDATES = 5


@dataclass
class Inspection:
    question: str
    normalized: str
    sender: str
    parse: ParseResult | None = None
    reply: list[BotMessage] = field(default_factory=list)
    candidates: list[Hit] = field(default_factory=list)
    decision: Decision | None = None  # what the search tells the bot: the choices are the buttons it offers
    rasa_error: str | None = None
    search_error: str | None = None

    @property
    def tokens(self) -> list[str]:
        if not self.parse:
            return []
        text = self.parse.get("text") or ""
        return [text[start:end] for start, end in self.parse.get("text_tokens") or []]

    @property
    def reply_codes(self) -> tuple[str, ...]:
        return codes_in_reply(self.reply)

    @property
    def offered(self) -> set[str]:
        """Codes the search decided to give the bot (answer, or the procedures to choose from)."""
        if self.decision is None:
            return set()
        return {c.code for c in self.decision.choices} | {c.code for c in self.decision.alternatives}


async def inspect_question(question: str, rasa: RasaClient, searcher: SearchService | None) -> Inspection:
    """Everything at once; a part that fails (Rasa down, search off) leaves a message, not an error page."""
    normalized = normalize(question)
    # A fresh conversation each time: the reply depends on this question only, never on earlier tests.
    result = Inspection(question, normalized, f"{STAFF_SENDER_PREFIX}{secrets.token_hex(6)}")

    async def nlu_and_reply() -> None:
        try:
            result.parse, result.reply = await asyncio.gather(rasa.parse(question), rasa.say(result.sender, question))
        except RasaUnavailable as exc:
            result.rasa_error = str(exc)

    async def candidates() -> None:
        if searcher is None:
            result.search_error = "Tìm kiếm chưa được bật trên máy chủ này (SEARCH_ENABLED=false)."
            return
        # Exactly the call behind GET /search, which the bot's action makes with the same normalised text.
        result.candidates, result.decision = await run_in_threadpool(searcher.decide, normalized, CANDIDATES)

    await asyncio.gather(nlu_and_reply(), candidates())
    return result
