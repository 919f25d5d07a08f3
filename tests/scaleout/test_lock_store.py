"""The atomic Redis lock store against a real redis-server: two nodes never get the same ticket."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.processes import free_port
from deploy.services import redis_server

pytest.importorskip("rasa")


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    with redis_server(Path(tmp_path_factory.mktemp("redis")), port):
        yield port


def test_two_nodes_issuing_tickets_at_once_never_share_one(redis_port: int) -> None:
    from bot.lock_store import AtomicRedisLockStore

    nodes = [AtomicRedisLockStore(host="127.0.0.1", port=redis_port, db=1) for _ in range(2)]
    issued: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def take(index: int) -> None:
        start.wait()
        for _ in range(300):
            issued[index].append(nodes[index].issue_ticket("citizen-1"))

    threads = [threading.Thread(target=take, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tickets = issued[0] + issued[1]
    assert len(set(tickets)) == len(tickets) == 600
    assert sorted(tickets) == list(range(600))


def test_returning_the_last_ticket_removes_the_lock_but_keeps_a_waiting_one(redis_port: int) -> None:
    from bot.lock_store import AtomicRedisLockStore

    a, b = (AtomicRedisLockStore(host="127.0.0.1", port=redis_port, db=1) for _ in range(2))
    first, second = a.issue_ticket("citizen-2"), b.issue_ticket("citizen-2")
    a.cleanup("citizen-2", first)
    lock = b.get_lock("citizen-2")
    assert lock is not None and not lock.is_locked(second)  # the waiting node may go now
    b.cleanup("citizen-2", second)
    assert b.get_lock("citizen-2") is None
