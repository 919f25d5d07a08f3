"""Percentiles of repeated calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any


def measure(call: Callable[[], Any], repeat: int, warmup: int = 20) -> dict[str, float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return _summary(samples, repeat)


async def measure_async(call: Callable[[], Awaitable[Any]], repeat: int, warmup: int = 20) -> dict[str, float]:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return _summary(samples, repeat)


def _summary(samples: list[float], repeat: int) -> dict[str, float]:
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2),
        "max_ms": round(samples[-1], 2),
        "n": repeat,
    }
