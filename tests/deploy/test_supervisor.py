"""The supervisor starts a program that died again, waiting longer after each failure, while the others
keep serving. Real processes: Python's own HTTP server stands in for the assistant's servers."""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy.processes import free_port
from deploy.supervisor import Program, Supervisor


def _http_server(name: str, tmp_path: Path) -> Program:
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    return Program(name, command, f"http://127.0.0.1:{port}/", {}, tmp_path / f"{name}.log", 30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def lines() -> list[str]:
    return []


def test_a_killed_program_comes_back_while_the_other_keeps_serving(tmp_path: Path, lines: list[str]) -> None:
    first, second = _http_server("first", tmp_path), _http_server("second", tmp_path)
    supervisor = Supervisor([first, second], report=lines.append, backoff_s=(0.2,))
    try:
        supervisor.start()
        old = first.proc
        first.kill()
        deadline = time.monotonic() + 20
        while not (first.proc is not old and _answers(first.health_url)) and time.monotonic() < deadline:
            assert _answers(second.health_url), "the other program kept serving"
            supervisor.tick()
            time.sleep(0.1)
        assert first.proc is not old and _answers(first.health_url), lines
        assert supervisor.restarts == {"first": 1, "second": 0}
        assert any("khởi động lại first" in line for line in lines), lines
        assert (tmp_path / "first.log").read_text().count("===== start first") == 2  # one log, both runs
    finally:
        supervisor.stop()
    assert first.exit_code is not None and second.exit_code is not None


def test_back_off_grows_with_each_failure_and_resets_once_stable(tmp_path: Path, lines: list[str]) -> None:
    crashing = Program("crashing", [sys.executable, "-c", "raise SystemExit(3)"], "http://127.0.0.1:9/", {})
    supervisor = Supervisor([crashing], report=lines.append, backoff_s=(1, 2, 4), stable_s=100)
    crashing.spawn()
    crashing.proc.wait()  # type: ignore[union-attr]
    now, waits = 1000.0, []
    for _ in range(4):
        supervisor.tick(now)  # notices the exit, schedules the restart
        waits.append(supervisor.due["crashing"] - now)
        now = supervisor.due["crashing"]
        supervisor.tick(now)  # restarts it; it exits again at once
        crashing.proc.wait()  # type: ignore[union-attr]
    assert waits == [1, 2, 4, 4]
    assert "mã thoát 3" in lines[0]


def test_a_program_up_for_a_while_starts_its_back_off_over(lines: list[str]) -> None:
    sleeper = Program("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], "http://127.0.0.1:9/", {})
    supervisor = Supervisor([sleeper], report=lines.append, stable_s=100)
    sleeper.spawn()
    try:
        supervisor.failures["sleeper"] = 3
        supervisor.tick(sleeper.started_at + 50)
        assert supervisor.failures["sleeper"] == 3  # not up long enough yet
        supervisor.tick(sleeper.started_at + 100)
        assert supervisor.failures["sleeper"] == 0
    finally:
        supervisor.stop()
