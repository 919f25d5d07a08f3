"""`make run` itself (deploy/run.py): tokens generated, none printed, each where it is needed, var/ private.

Runs first in this folder (see conftest.py), before the shared stack starts: never two stacks at once.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy import processes
from deploy.processes import ROOT, free_port
from deploy.stack import rasa_model, rasa_python
from deploy.tokens import ACTION_TOKEN_VARIABLE
from tests.security.conftest import environ_of, pids_listening, post_json, request

START_TIMEOUT_S = 900


@dataclass(frozen=True)
class MadeRun:
    output: list[str]
    var: Path
    api: str
    rasa: str
    actions: str


def _wait_for_banner(proc: subprocess.Popen, output: list[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not any("Ctrl-C" in line for line in output):  # the last line of the banner
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("make run did not start:\n" + "".join(output)[-4000:])
        time.sleep(0.5)


@pytest.fixture(scope="module")
def made_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MadeRun]:
    if not os.environ.get("API_PYTHON"):
        pytest.fail("API_PYTHON must name the catalog API's Python (`make test` sets it)")
    work = tmp_path_factory.mktemp("make-run")
    ports = {"API_PORT": free_port(), "ACTIONS_PORT": free_port(), "RASA_PORT": free_port()}
    unset = {"STAFF_TOKEN", "RASA_AUTH_TOKEN", ACTION_TOKEN_VARIABLE, "RASA_URL", "RASA_PUBLIC_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {k: str(v) for k, v in ports.items()}
    env |= {
        "RUN_DIR": str(work / "var"),
        "DATABASE_URL": f"sqlite:///{work / 'catalog.sqlite'}",
        "TRACKER_DATABASE_URL": f"sqlite:///{work / 'var' / 'tracker.db'}",
        "RASA_MODEL": str(rasa_model()),
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
    }
    proc = subprocess.Popen(
        [str(rasa_python()), "-m", "deploy.run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    processes._RUNNING.append(proc)  # stopped at exit even if the session is interrupted
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(iter(proc.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        _wait_for_banner(proc, output)
        url = "http://127.0.0.1:{}".format
        yield MadeRun(output, work / "var", url(ports["API_PORT"]), url(ports["RASA_PORT"]), url(ports["ACTIONS_PORT"]))
    finally:
        processes.stop(proc, timeout_s=40)


def _port(url: str) -> int:
    return int(urllib.parse.urlsplit(url).port or 0)


def test_tokens_are_generated_and_never_printed(made_run: MadeRun) -> None:
    staff_file = made_run.var / "staff-token"
    assert staff_file.stat().st_mode & 0o777 == 0o600
    assert made_run.var.stat().st_mode & 0o777 == 0o700
    staff = staff_file.read_text().strip()
    rasa_pid = pids_listening(_port(made_run.rasa))[0]
    cmdline = Path(f"/proc/{rasa_pid}/cmdline").read_bytes().decode().split("\0")
    rasa_token = next(a.split("=", 1)[1] for a in cmdline if a.startswith("--auth-token="))
    action_token = environ_of(rasa_pid)[ACTION_TOKEN_VARIABLE]
    printed = "".join(made_run.output)
    assert len(staff) >= 16 and len(rasa_token) >= 16 and len(action_token) >= 16
    for secret in (staff, rasa_token, action_token):
        assert secret not in printed, "a token is in make run's output"
    assert str(staff_file) in printed  # the banner says where the staff token is
    # Each process has what it needs and nothing more.
    api_env = environ_of(pids_listening(_port(made_run.api))[0])
    assert api_env["STAFF_TOKEN"] == staff and api_env["RASA_AUTH_TOKEN"] == rasa_token
    assert ACTION_TOKEN_VARIABLE not in api_env
    for pid in (rasa_pid, pids_listening(_port(made_run.actions))[0]):
        assert not {"STAFF_TOKEN", "RASA_AUTH_TOKEN"} & set(environ_of(pid)), pid
    assert request(f"{made_run.rasa}/status").status in (401, 403)
    assert request(f"{made_run.rasa}/status?token={urllib.parse.quote(rasa_token)}").status == 200
    assert request(f"{made_run.actions}/actions").status == 401


def test_conversations_are_stored_owner_only_and_answered(made_run: MadeRun) -> None:
    reply = post_json(
        f"{made_run.rasa}/webhooks/rest/webhook",
        {"sender": "make-run-1", "message": "đăng ký khai sinh cần giấy tờ gì"},
    )
    assert reply.status == 200 and "1.001193" in reply.text, reply
    tracker = made_run.var / "tracker.db"
    assert tracker.stat().st_mode & 0o077 == 0, oct(tracker.stat().st_mode)
