"""The simulated citizens of the REST-channel load (benchmarks/load.py): their conversations, each message
timed and judged, and the measured run over a stack's webhook."""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks import cpu
from benchmarks.load_report import Summary, percentile
from benchmarks.load_stack import Target

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


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    conversations: int = 0
    openings: int = 0
    openings_with_code: int = 0


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
