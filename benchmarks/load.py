"""Concurrent simulated citizens against the REST channel: reply latency, throughput and errors.

Each citizen holds one conversation at a time: an opening question from the project's own question
set (tests/data/questions.jsonl, citizens' wording), one to three follow-ups about the same procedure
("còn lệ phí thì sao?"), now and then a question about another procedure in the same conversation, then
a new conversation. Between two messages a citizen waits a think time (``--think-time``, default 1–3 s:
deliberately short, since reading an answer and typing the next question takes a person 10–30 s, so 50
such citizens weigh like several hundred real ones; 0 makes it a closed-loop throughput test).

    python -m benchmarks.load --profile default              # starts the make-run stack itself
    python -m benchmarks.load --profile scaleout             # starts the scale-out profile (nginx in front)
    python -m benchmarks.load --rasa-url http://127.0.0.1:5005 --profile default   # a running stack
    python -m benchmarks.load --concurrency 10 --think-time 0 --duration 60        # the REST benchmark

Run it in the Rasa environment (aiohttp); starting a stack needs API_PYTHON and RASA_MODEL as in
deploy/stack.py. A reply is an error when the request fails or times out, the HTTP status is
not 200, the bot says nothing, apologises that the catalog is unavailable, or refuses the message
as sent too fast (the channel's rate limit). Prints figures per
profile and a JSON object on the last line.

The simulated citizens and the measured run are in benchmarks/load_citizens.py, the stack under load in
benchmarks/load_stack.py, the figures and their report in benchmarks/load_report.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from benchmarks.load_citizens import run_load
from benchmarks.load_report import describe
from benchmarks.load_stack import started_target


def parse_think(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    think = (float(low), float(high or low))
    if think[0] < 0 or think[1] < think[0]:
        raise argparse.ArgumentTypeError("think time is SECONDS or MIN-MAX, e.g. 1-3 or 0")
    return think


def parse_cpu(value: str) -> tuple[str, list[int]]:
    name, _, ports = value.partition("=")
    try:
        return name, [int(p) for p in ports.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("--cpu takes NAME=PORT[,PORT…], e.g. rasa=5005") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="REST-channel load: concurrent simulated citizens")
    parser.add_argument("--profile", choices=("default", "scaleout"), default="default")
    parser.add_argument("--rasa-url", help="a running stack's Rasa (or nginx) URL; default: start the profile here")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of measured load")
    parser.add_argument("--think-time", type=parse_think, default=(1.0, 3.0), help="seconds, N or MIN-MAX")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cpu",
        action="append",
        type=parse_cpu,
        default=[],
        metavar="NAME=PORT[,PORT]",
        help="with --rasa-url: count the CPU of the servers listening on these ports as NAME (repeatable)",
    )
    args = parser.parse_args(argv)
    with started_target(args.profile, args.rasa_url, dict(args.cpu)) as target:
        summary = asyncio.run(
            run_load(target, args.profile, args.concurrency, args.duration, args.think_time, args.seed)
        )
    print(describe(summary), flush=True)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
