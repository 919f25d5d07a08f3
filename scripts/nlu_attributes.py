"""How often NLU reads the attribute a labelled question asks (documents, fee, …), with a trained model.

    RASA_MODEL=… python scripts/nlu_attributes.py tests/data/heldout.jsonl [more.jsonl …]

For each answerable line: the classifier's first intent (before the fallback and the act gate) against
the intent of its ``attribute`` ("general" is ``find_procedure``); also the share NLU gives to a dialogue
act (feedback, thanks …) and to ``nlu_fallback``. One line per file, then JSON on the last line.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from rasa.core.agent import Agent  # noqa: E402

from bot.act_gate import DialogueActGate  # noqa: E402
from scripts.nlu_questions import INTENTS  # noqa: E402

# The dialogue acts the gate keeps, and the two answers to a yes/no question.
ACTS = {*DialogueActGate.get_default_config()["acts"], "affirm", "deny"}


async def measure(agent: Agent, path: Path) -> dict[str, float | int | str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("answerable", bool(r.get("gold_codes")))]
    right = acts = fallbacks = 0
    for row in rows:
        parsed = await agent.parse_message(row["question"])
        final = parsed["intent"]["name"]
        ranking = [i["name"] for i in parsed.get("intent_ranking", []) if i["name"] != "nlu_fallback"]
        right += (ranking[0] if ranking else final) == INTENTS[row["attribute"]]
        acts += final in ACTS
        fallbacks += final == "nlu_fallback"
    n = max(1, len(rows))
    return {
        "file": path.name,
        "n": len(rows),
        "attribute": round(right / n, 3),
        "acts": round(acts / n, 3),
        "fallback": round(fallbacks / n, 3),
    }


async def main(paths: list[Path]) -> int:
    model = os.environ.get("RASA_MODEL")
    if not model:
        print("RASA_MODEL must name a trained model (make train prints it)", file=sys.stderr)
        return 2
    agent = Agent.load(model)
    results = [await measure(agent, path) for path in paths]
    for r in results:
        print(f"{r['file']:28s} n={r['n']} attribute {r['attribute']} → act {r['acts']} → fallback {r['fallback']}")
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main([Path(p) for p in sys.argv[1:]])))
