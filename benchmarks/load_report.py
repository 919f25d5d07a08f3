"""The figures of a load run (benchmarks/load.py): the JSON summary, percentiles and the lines printed."""

from __future__ import annotations

from typing import TypedDict


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


def percentile(sorted_ms: list[float], q: float) -> float:
    return round(sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))], 1) if sorted_ms else 0.0


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
