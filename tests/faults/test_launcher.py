"""`make run`'s launcher (``python -m deploy.run``) as an operator meets it: a crashed process comes back by
itself while the others keep serving (the citizen gets the apology meanwhile, not a refused connection),
and SIGTERM to the launcher leaves no process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from deploy.processes import ROOT, free_port, pid_alive, wait_http
from deploy.stack import StackUnavailable, rasa_model, rasa_python, say

OPENING = "đăng ký khai sinh cần giấy tờ gì"
FOLLOW_UP = "còn lệ phí thì sao?"


def _children(pid: int) -> dict[int, str]:
    out = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid=,args="], capture_output=True, text=True).stdout
    return {int(line.split(None, 1)[0]): line.split(None, 1)[1] for line in out.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def launcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen, dict[str, int]]]:
    try:
        python, model = rasa_python(), rasa_model()
    except StackUnavailable as missing:
        if os.environ.get("TRO_LY_REQUIRE_E2E"):
            raise
        pytest.skip(str(missing))
    workdir = tmp_path_factory.mktemp("make-run")
    ports = {"API_PORT": free_port(), "ACTIONS_PORT": free_port(), "RASA_PORT": free_port()}
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "RASA_MODEL": str(model),
        "RUN_DIR": str(workdir / "var"),
        "DATABASE_URL": f"sqlite:///{workdir / 'catalog.sqlite'}",
        "SEARCH_ENABLED": "true",
        "PYTHONPATH": str(ROOT),
    }
    with open(workdir / "launcher.log", "w") as log:
        command = [python, "-m", "deploy.run"]
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{ports['API_PORT']}/health", 900, proc, workdir / "launcher.log")
        deadline = time.monotonic() + float(os.environ.get("RASA_START_TIMEOUT_S", 900))
        while "Ctrl-C" not in (workdir / "launcher.log").read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, (workdir / "launcher.log").read_text()[-3000:]
            time.sleep(1)
        yield proc, ports
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        for child in _children(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child, signal.SIGKILL)


def test_a_crashed_catalog_comes_back_by_itself(launcher: tuple[subprocess.Popen, dict[str, int]]) -> None:
    proc, ports = launcher
    rasa_url = f"http://127.0.0.1:{ports['RASA_PORT']}"
    assert "(mã 1.001193)" in str(say(rasa_url, "run-crash", OPENING, 120))
    api = next(pid for pid, args in _children(proc.pid).items() if "uvicorn" in args)
    os.killpg(api, signal.SIGKILL)
    apology = str(say(rasa_url, "run-crash", FOLLOW_UP, 60))
    assert "Xin lỗi" in apology and "gián đoạn" in apology, apology  # Rasa and the actions kept serving
    wait_http(f"http://127.0.0.1:{ports['API_PORT']}/health", 300)
    assert api not in _children(proc.pid)
    answer = str(say(rasa_url, "run-crash", FOLLOW_UP, 60))
    assert "(mã 1.001193)" in answer and "miễn phí" in answer, answer


def test_sigterm_to_the_launcher_stops_every_process(launcher: tuple[subprocess.Popen, dict[str, int]]) -> None:
    proc, _ = launcher
    children = list(_children(proc.pid))
    assert len(children) == 3, children
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while any(pid_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [c for c in children if pid_alive(c)], "a server outlived the launcher"
