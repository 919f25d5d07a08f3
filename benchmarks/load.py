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
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

import aiohttp

from benchmarks import cpu

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
# Short follow-ups that lean on the procedure already under discussion.
FOLLOW_UPS = (
    "còn lệ phí thì sao?",
    "mất bao lâu?",
    "nộp hồ sơ ở đâu?",
    "làm online được không?",
    "cần giấy tờ gì?",
    "trình tự thực hiện thế nào?",
    "bao lâu thì có kết quả?",
    "có mất phí không",
)
CATALOG_DOWN = "tạm thời gián đoạn"  # utter_catalog_unavailable: the action gave up on the catalog API
RATE_LIMITED = "nhanh hơn mức hệ thống cho phép"  # the channel's message guard refused the message
REQUEST_TIMEOUT_S = 30


class Summary(TypedDict):
    profile: str
    concurrency: int
    duration_s: float
    think_time_s: list[float]
    conversations: int
    messages: int  # sent and measured
    replies: int  # answered without error
    errors: int
    error_kinds: dict[str, int]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    throughput_rps: float
    opening_named_expected_code: float
    cpu_ms_per_message: dict[str, float]
    load_average: list[float]
    cpus: int


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    conversations: int = 0
    openings: int = 0
    openings_with_code: int = 0


@dataclass(frozen=True)
class Target:
    rest_url: str
    cpu_ports: dict[str, list[int]]  # component → ports of its servers, for CPU accounting


def load_questions() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["question"], row["gold_codes"][0]) for row in rows if row.get("gold_codes")]


def reply_text(replies: list[dict]) -> str:
    texts = [r.get("text") or "" for r in replies]
    texts += [b.get("title", "") for r in replies for b in r.get("buttons") or []]
    return "\n".join(texts)


async def say(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, tally: Tally, measuring: bool
) -> str | None:
    started = time.perf_counter()
    kind = None
    body = ""
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            if response.status != 200:
                kind = f"http_{response.status}"
            else:
                replies = await response.json()
                body = reply_text(replies) if isinstance(replies, list) else ""
                if not body.strip():
                    kind = "empty_reply"
                elif CATALOG_DOWN in body:
                    kind = "catalog_unavailable_reply"
                elif RATE_LIMITED in body:
                    kind = "rate_limited_reply"
    except asyncio.TimeoutError:
        kind = "timeout"
    except (aiohttp.ClientError, ValueError) as exc:
        kind = type(exc).__name__
    elapsed_ms = (time.perf_counter() - started) * 1000
    if measuring:
        tally.latencies_ms.append(elapsed_ms)
        if kind:
            tally.errors[kind] += 1
    return None if kind else body


async def citizen(
    number: int,
    url: str,
    session: aiohttp.ClientSession,
    questions: list[tuple[str, str]],
    think: tuple[float, float],
    stop_at: float,
    tally: Tally,
    rng: random.Random,
) -> None:
    conversation = 0

    async def pause() -> None:
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))

    await asyncio.sleep(rng.uniform(0, max(think[1], 0.05) * number / 50))  # citizens arrive spread out
    while time.monotonic() < stop_at:
        conversation += 1
        tally.conversations += 1
        sender = f"load-{os.getpid()}-{number}-{conversation}"
        # Three in ten conversations move on to a second procedure. At most 8 messages a conversation:
        # the channel's default rate limit (a burst of 8 per sender) must not refuse a closed-loop run.
        for topic in range(1 + (rng.random() < 0.3)):
            question, code = rng.choice(questions)
            body = await say(session, url, sender, question, tally, True)
            tally.openings += 1
            tally.openings_with_code += bool(body and f"(mã {code})" in body)
            for follow_up in rng.sample(FOLLOW_UPS, rng.randint(1, 3 - topic)):
                if time.monotonic() >= stop_at:
                    return
                await pause()
                await say(session, url, sender, follow_up, tally, True)
            await pause()
        if rng.random() < 0.5:
            await say(session, url, sender, "cảm ơn", tally, True)
            await pause()


def percentile(sorted_ms: list[float], q: float) -> float:
    return round(sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))], 1) if sorted_ms else 0.0


async def run_load(
    target: Target, profile: str, concurrency: int, duration_s: float, think: tuple[float, float], seed: int
) -> Summary:
    questions = load_questions()
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        # Warm-up, not measured: the first messages pay for lazy start-up work in every process.
        warm = Tally()
        for i, (question, _code) in enumerate(questions[:: max(1, len(questions) // 10)][:10]):
            await say(session, target.rest_url, f"load-warm-{i}", question, warm, False)
            await say(session, target.rest_url, f"load-warm-{i}", FOLLOW_UPS[i % len(FOLLOW_UPS)], warm, False)
        groups = cpu.by_ports(target.cpu_ports)
        cpu_before, own_before = cpu.snapshot(groups), time.process_time()
        started = time.monotonic()
        stop_at = started + duration_s
        rngs = [random.Random(seed * 1000 + i) for i in range(concurrency)]
        await asyncio.gather(
            *(
                citizen(i, target.rest_url, session, questions, think, stop_at, tally, rngs[i])
                for i in range(concurrency)
            )
        )
        elapsed = time.monotonic() - started
        cpu_after, own_cpu = cpu.snapshot(groups), time.process_time() - own_before
    latencies = sorted(tally.latencies_ms)
    messages = len(latencies)
    replies = messages - sum(tally.errors.values())
    per_reply = {name: round((cpu_after[name] - cpu_before[name]) * 1000 / max(messages, 1), 1) for name in cpu_after}
    per_reply["load generator"] = round(own_cpu * 1000 / max(messages, 1), 1)
    return Summary(
        profile=profile,
        concurrency=concurrency,
        duration_s=round(elapsed, 1),
        think_time_s=list(think),
        conversations=tally.conversations,
        messages=messages,
        replies=replies,
        errors=sum(tally.errors.values()),
        error_kinds=dict(tally.errors),
        p50_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
        p95_ms=percentile(latencies, 0.95),
        p99_ms=percentile(latencies, 0.99),
        max_ms=round(latencies[-1], 1) if latencies else 0.0,
        throughput_rps=round(replies / elapsed, 2) if elapsed else 0.0,
        opening_named_expected_code=round(tally.openings_with_code / max(tally.openings, 1), 3),
        cpu_ms_per_message=per_reply,
        load_average=[round(v, 2) for v in os.getloadavg()],
        cpus=os.cpu_count() or 0,
    )


def _port(url: str) -> int:
    return int(urlsplit(url).port or 80)


@contextlib.contextmanager
def started_target(profile: str, rasa_url: str | None, cpu_ports: dict[str, list[int]]) -> Iterator[Target]:
    """The REST webhook to load: a running stack's, or a stack of ``profile`` started here and stopped after."""
    if rasa_url:
        yield Target(f"{rasa_url.rstrip('/')}/webhooks/rest/webhook", cpu_ports or {"rasa": [_port(rasa_url)]})
        return
    ports: dict[str, list[int]]
    with tempfile.TemporaryDirectory(prefix=f"load-{profile}-") as tmp:
        if profile == "default":
            from deploy.stack import assistant

            with assistant(Path(tmp)) as stack:
                ports = {
                    "rasa": [_port(stack.rasa_url)],
                    "actions": [_port(stack.actions_url)],
                    "catalog API": [_port(stack.api_url)],
                }
                yield Target(stack.rest_webhook, ports)
        else:
            from deploy.scaleout import scale_out

            with scale_out(Path(tmp)) as so:
                ports = {
                    "rasa": [_port(u) for u in so.rasa_nodes],
                    "actions": [_port(u) for u in so.action_servers],
                    "catalog API": [_port(u) for u in so.api_replicas],
                    "nginx": [_port(so.rasa_url)],
                    "postgresql": [_port(so.tracker_dsn)],
                    "redis": [_port(so.redis_url)],
                }
                yield Target(so.rest_webhook, ports)


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


def describe(s: Summary) -> str:
    cpu_line = ", ".join(f"{name} {ms} ms" for name, ms in s["cpu_ms_per_message"].items())
    return (
        f"profile {s['profile']}: {s['concurrency']} citizens, think time {s['think_time_s'][0]}–"
        f"{s['think_time_s'][1]} s, {s['duration_s']} s\n"
        f"  {s['conversations']} conversations, {s['messages']} messages, {s['replies']} replies, {s['errors']} errors "
        f"{s['error_kinds'] or ''}\n"
        f"  reply latency p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms\n"
        f"  throughput {s['throughput_rps']} replies/s (errors excluded); opening questions answered with the "
        f"expected code: "
        f"{s['opening_named_expected_code']:.1%}\n"
        f"  CPU per message: {cpu_line}\n"
        f"  load average {s['load_average']} on {s['cpus']} CPUs"
    )


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
