"""How close must two search candidates be before the bot asks which one? Measured on tests/data/questions.jsonl.

Each question is parsed by a trained Rasa model (its `procedure` entity, as in a conversation), searched on
the real catalog API and resolved with ``actions.resolve`` (``search_query`` and ``pick``) for each candidate
margin; the former resolution (search the mention first, the whole message only when the mention left close
candidates) is scored beside it. For each margin: how often the bot answers the right procedure, answers a
wrong one, or asks with buttons (and whether the right one is among them). Also the top-1 accuracy by score
gap between the first two hits. The last line is JSON.

Needs API_PYTHON (the catalog API's interpreter) and RASA_MODEL (a model trained from bot/data):

    API_PYTHON=… RASA_MODEL=… PYTHONPATH=. python scripts/ambiguity_margin.py
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from rasa.core.agent import Agent  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402

from actions.catalog_client import CatalogClient, SearchHit  # noqa: E402
from actions.resolve import MIN_WORDS_FOR_MESSAGE_SEARCH, Resolution, pick, search_query  # noqa: E402
from actions.settings import Settings  # noqa: E402
from knowledge.normalize import fold, normalize  # noqa: E402
from tests.support.processes import catalog_api  # noqa: E402

MARGINS = [0.0, 0.0002, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01, 0.03]
GAP_BINS = [0.0, 0.0005, 0.001, 0.002, 0.005, 1.0]


@dataclasses.dataclass
class Case:
    question: str
    gold: set[str]
    mention: str | None
    mention_hits: list[SearchHit]
    text_hits: list[SearchHit]


def resolve(case: Case, margin: float) -> Resolution:
    """``actions.resolve.resolve_procedure`` for a first question (no code, no procedure slot yet)."""
    if case.mention:
        query = search_query(case.question, case.mention)
        return pick(case.text_hits if query == case.question else case.mention_hits, margin, case.mention)
    if len(case.question.split()) >= MIN_WORDS_FOR_MESSAGE_SEARCH:
        return pick(case.text_hits, margin)
    return Resolution()


def resolve_mention_first(case: Case, margin: float) -> Resolution:
    """The former resolution, kept for comparison: the mention first, the whole message as a second try."""
    if case.mention:
        found = pick(case.mention_hits, margin, case.mention)
        if found.choices and fold(case.question) != fold(case.mention):
            whole = pick(case.text_hits, margin)
            if whole.code:
                return whole
        return found
    if len(case.question.split()) >= MIN_WORDS_FOR_MESSAGE_SEARCH:
        return pick(case.text_hits, margin)
    return Resolution()


async def collect(model: str, catalog_url: str, rows: list[dict[str, Any]]) -> list[Case]:
    agent = Agent.load(model)
    settings = dataclasses.replace(Settings.from_env(), catalog_url=catalog_url, request_timeout_s=30.0)
    cases = []
    async with CatalogClient(settings) as catalog:
        for row in rows:
            text = normalize(row["question"])
            parsed = await agent.parse_message(text)
            mentions = [str(e["value"]) for e in parsed.get("entities") or [] if e.get("entity") == "procedure"]
            mention = normalize(mentions[0]) if mentions else None
            mention_hits = await catalog.search(mention) if mention else []
            cases.append(Case(text, set(row["gold_codes"]), mention, mention_hits, await catalog.search(text)))
    return cases


def outcomes(cases: list[Case], margin: float, strategy: Callable[[Case, float], Resolution]) -> dict[str, Any]:
    right = wrong = asked = asked_with_gold = nothing = 0
    for case in cases:
        found = strategy(case, margin)
        if found.choices:
            asked += 1
            asked_with_gold += any(h["code"] in case.gold for h in found.choices)
        elif found.code:
            right += found.code in case.gold
            wrong += found.code not in case.gold
        else:
            nothing += 1
    answered = right + wrong
    return {
        "margin": margin,
        "answered_right": right,
        "answered_wrong": wrong,
        "asked": asked,
        "asked_with_gold": asked_with_gold,
        "no_candidate": nothing,
        "precision_answered": round(right / answered, 3) if answered else None,
        # The citizen reaches the right procedure at once, or with one tap on a button.
        "reached": round((right + asked_with_gold) / len(cases), 3),
    }


def by_gap(cases: list[Case]) -> list[dict[str, Any]]:
    """Top-1 accuracy of the search the bot uses, by the score gap between hits #1 and #2."""
    rows = []
    for low, high in itertools.pairwise(GAP_BINS):
        inside = []
        for case in cases:
            query = search_query(case.question, case.mention) if case.mention else case.question
            hits = case.text_hits if query == case.question else case.mention_hits
            if len(hits) < 2:
                continue
            gap = float(hits[0].get("score") or 0) - float(hits[1].get("score") or 0)
            if low <= gap < high:
                inside.append(hits[0]["code"] in case.gold)
        top1 = round(sum(inside) / len(inside), 3) if inside else None
        rows.append({"gap_from": low, "gap_to": high, "n": len(inside), "top1": top1})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT / "tests" / "data" / "questions.jsonl"))
    parser.add_argument("--model", default=os.environ.get("RASA_MODEL"))
    parser.add_argument(
        "--cases", type=Path, help="JSON file of parsed and searched questions: read if it exists, else written"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)
    if args.cases and args.cases.exists():
        cases = [Case(**{**c, "gold": set(c["gold"])}) for c in json.loads(args.cases.read_text(encoding="utf-8"))]
    else:
        if not args.model:
            parser.error("no Rasa model: pass --model or set RASA_MODEL (`make train` prints its path)")
        lines = Path(args.questions).read_text(encoding="utf-8").splitlines()
        rows = [row for row in (json.loads(line) for line in lines if line.strip()) if row.get("gold_codes")]
        with (
            tempfile.TemporaryDirectory(prefix="margin-") as tmp,
            catalog_api(Path(tmp), timeout_s=900) as url,
        ):  # may build the index first
            cases = asyncio.run(collect(args.model, url, rows))
        if args.cases:
            dumped = [{**dataclasses.asdict(c), "gold": sorted(c.gold)} for c in cases]
            args.cases.write_text(json.dumps(dumped, ensure_ascii=False), encoding="utf-8")
    table = [outcomes(cases, margin, resolve) for margin in MARGINS]
    former = [outcomes(cases, margin, resolve_mention_first) for margin in MARGINS]
    for row in table:
        print(row)
    print("former resolution (mention first):")
    for row in former:
        print(row)
    gaps = by_gap(cases)
    for row in gaps:
        print(row)
    with_mention = sum(1 for c in cases if c.mention)
    summary = {"questions": len(cases), "with_mention": with_mention, "margins": table, "by_gap": gaps}
    print(json.dumps(summary | {"former_margins": former}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
