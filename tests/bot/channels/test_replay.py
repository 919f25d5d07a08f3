"""Replay protection of the provider webhooks: the time window, and message ids that outlive the process."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from bot.channels.replay import SeenMessages, all_fresh, fresh
from deploy.processes import free_port
from deploy.services import RedisUnavailableError, redis_server


def test_time_window_both_ways() -> None:
    now = 1_765_000_000.0
    assert fresh(int(now * 1000), 600, now)
    assert fresh(int((now - 599) * 1000), 600, now)
    assert not fresh(int((now - 7 * 24 * 3600) * 1000), 600, now)
    assert not fresh(int((now + 3600) * 1000), 600, now)
    assert not fresh(10**5000, 600, now)  # thousands of digits: refused, not an OverflowError
    assert all_fresh([int(time.time() * 1000)], 600)
    assert not all_fresh([None], 600) and not all_fresh(["123"], 600) and not all_fresh([True], 600)


def _agent_with_sql(path: Path) -> SimpleNamespace:
    store = SimpleNamespace(engine=sa.create_engine(f"sqlite:///{path}"))
    return SimpleNamespace(tracker_store=SimpleNamespace(_tracker_store=store), lock_store=SimpleNamespace())


def test_ids_survive_a_restart_in_the_tracker_database(tmp_path: Path) -> None:
    before = SeenMessages("zalo", 600)
    before.bind(_agent_with_sql(tmp_path / "tracker.db"))
    assert before.first_time("m-1") and not before.first_time("m-1")
    after = SeenMessages("zalo", 600)  # a restarted process: empty memory, same database
    after.bind(_agent_with_sql(tmp_path / "tracker.db"))
    assert not after.first_time("m-1") and after.first_time("m-2")
    assert SeenMessages("facebook", 600).first_time("m-1")  # unbound: memory of its own


def test_ids_are_shared_through_the_redis_lock_store(tmp_path: Path) -> None:
    redis = pytest.importorskip("redis")
    try:
        with redis_server(tmp_path / "redis", free_port()) as url:
            nodes = []
            for _ in range(2):  # two Rasa nodes, one lock store
                seen = SeenMessages("zalo", 600)
                seen.bind(SimpleNamespace(lock_store=SimpleNamespace(red=redis.StrictRedis.from_url(url))))
                nodes.append(seen)
            assert nodes[0].first_time("m-1") and not nodes[1].first_time("m-1")
            assert 0 < nodes[0]._backend.client.ttl("webhook-seen:zalo:m-1") <= 1260
    except RedisUnavailableError as missing:
        pytest.skip(str(missing))
