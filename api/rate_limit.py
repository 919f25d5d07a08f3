"""Token buckets keyed by client address: the API's per-address limit and the staff login throttle.

Each key holds ``burst`` tokens, refilled at ``per_minute``; a request takes one. The buckets live in this
process's memory: each API replica counts on its own (N replicas allow up to N times the rate).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

MAX_TRACKED_KEYS = 10_000


class TokenBuckets:
    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, updated)

    def _tokens(self, key: str, now: float) -> float:
        tokens, updated = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - updated) * self.rate)

    def wait_s(self, key: str) -> int:
        """0 when ``key`` may go on now; otherwise whole seconds until it may (without taking a token)."""
        tokens = self._tokens(key, self.clock())
        return 0 if tokens >= 1.0 else max(1, math.ceil((1.0 - tokens) / self.rate))

    def take(self, key: str) -> int:
        """Take a token; 0 when there was one, otherwise the seconds to wait (nothing is taken)."""
        now = self.clock()
        tokens = self._tokens(key, now)
        if tokens < 1.0:
            return max(1, math.ceil((1.0 - tokens) / self.rate))
        if key not in self._buckets and len(self._buckets) >= MAX_TRACKED_KEYS:
            self._forget_full(now)
        self._buckets[key] = (tokens - 1.0, now)
        return 0

    def _forget_full(self, now: float) -> None:
        # A bucket idle long enough to be full again carries no information.
        refill_s = self.burst / self.rate
        for key in [k for k, (_, updated) in self._buckets.items() if now - updated >= refill_s]:
            del self._buckets[key]
