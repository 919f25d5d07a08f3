"""Refuse replayed provider webhooks: a time window on the signed timestamp, and message ids remembered
where they survive a restart.

A captured, correctly signed webhook stays correctly signed forever. Two checks make replaying it useless:

- ``fresh(timestamp_ms)``: the event's own time (Zalo's signed ``timestamp``, Messenger's ``entry[].time``
  inside the signed body) within ``WEBHOOK_MAX_AGE_MINUTES`` (default 10) of now, either way;
- ``SeenMessages.first_time(id)``: a message id accepted once is refused after, also after a restart
  and on another node. The ids live where Rasa keeps its own state: the Redis lock store when there is one
  (scale-out; ``SET NX`` with an expiry), else the SQL tracker store's database (a table of its own), else
  this process's memory. They are kept for the window, after which the timestamp check refuses the event.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from bot.channels.background import SeenIds
from bot.channels.config import positive_int

logger = logging.getLogger(__name__)

DEFAULT_MAX_AGE_MINUTES = 10
PRUNE_EVERY = 200  # inserts between deletions of expired ids


def max_age_s(environ: Mapping[str, str] | None = None) -> float:
    return 60.0 * positive_int("WEBHOOK_MAX_AGE_MINUTES", DEFAULT_MAX_AGE_MINUTES, environ)


def fresh(timestamp_ms: int, window_s: float, now: float | None = None) -> bool:
    """Whether an event stamped ``timestamp_ms`` (milliseconds since the epoch) is within the window."""
    current = time.time() if now is None else now
    try:
        return abs(current - timestamp_ms / 1000.0) <= window_s
    except OverflowError:  # thousands of digits: no time at all
        return False


def entry_times(payload: Any) -> list[Any]:
    """Messenger: the ``time`` (ms) of each entry of a ``page`` webhook body (parsed by messenger_messages)."""
    return [entry.get("time") if isinstance(entry, dict) else None for entry in payload.get("entry") or []]


def all_fresh(times: list[Any], window_s: float) -> bool:
    return all(isinstance(t, int) and not isinstance(t, bool) and fresh(t, window_s) for t in times)


class SeenMessages:
    """Message ids of one channel; ``bind(agent)`` picks the store once Rasa has loaded its agent."""

    def __init__(self, channel: str, window_s: float) -> None:
        self.channel = channel
        self.window_s = window_s
        self.memory = SeenIds()
        self._backend: Any = None
        self._bound = False

    def bind(self, agent: Any) -> None:
        if self._bound or agent is None:
            return
        self._bound = True
        redis_client = getattr(getattr(agent, "lock_store", None), "red", None)
        if redis_client is not None:
            self._backend = _RedisSeen(redis_client, self.channel, self.window_s)
            return
        store = getattr(agent, "tracker_store", None)
        store = getattr(store, "_tracker_store", store)  # Rasa wraps it in a FailSafeTrackerStore
        engine = getattr(store, "engine", None)
        if engine is not None:
            self._backend = _SqlSeen(engine, self.channel, self.window_s)
        else:
            logger.warning("%s: no SQL tracker store or Redis lock store, message ids kept in memory", self.channel)

    def first_time(self, message_id: str | None) -> bool:
        if message_id is None:
            return True
        if self._backend is None:
            return self.memory.first_time(message_id)
        try:
            return bool(self._backend.first_time(message_id))
        except Exception:  # the store is down: memory still stops the provider's immediate retries
            logger.exception("%s: the message id store failed; falling back to memory", self.channel)
            return self.memory.first_time(message_id)


class _RedisSeen:
    def __init__(self, client: Any, channel: str, window_s: float) -> None:
        self.client, self.prefix, self.ttl = client, f"webhook-seen:{channel}:", int(window_s * 2) + 60

    def first_time(self, message_id: str) -> bool:
        return bool(self.client.set(self.prefix + message_id, "1", nx=True, ex=self.ttl))


class _SqlSeen:
    def __init__(self, engine: Any, channel: str, window_s: float) -> None:
        import sqlalchemy as sa

        self.sa, self.engine, self.channel, self.keep_s = sa, engine, channel, window_s * 2 + 60
        self.table = sa.Table(
            "webhook_message_ids",
            sa.MetaData(),
            sa.Column("channel", sa.String(32), primary_key=True),
            sa.Column("message_id", sa.String(255), primary_key=True),
            sa.Column("seen_at", sa.Float, index=True),
        )
        self.table.metadata.create_all(engine)
        self.inserts = 0

    def first_time(self, message_id: str) -> bool:
        now = time.time()
        try:  # the insert alone in its transaction: PostgreSQL aborts a transaction on a duplicate key
            with self.engine.begin() as conn:
                conn.execute(self.table.insert().values(channel=self.channel, message_id=message_id[:255], seen_at=now))
        except self.sa.exc.IntegrityError:
            return False
        self.inserts += 1
        if self.inserts % PRUNE_EVERY == 0:
            with self.engine.begin() as conn:
                conn.execute(self.table.delete().where(self.table.c.seen_at < now - self.keep_s))
        return True
