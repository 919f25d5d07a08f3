"""Start the project's real servers (tests, benchmarks, `make e2e`) and stop them, whatever happens.

Usable from either environment: the catalog API runs in its own Python 3.11 environment, named by
``API_PYTHON`` (the Makefile passes its keyed venv's interpreter). Standard library only.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
_RUNNING: list[subprocess.Popen] = []


def open_private(path: Path, *, append: bool = False) -> IO[str]:
    """``path`` opened for writing, created readable by its owner only (0600) whatever the umask: logs hold
    what citizens typed (masked, but conversations all the same), other files hold tokens."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    return os.fdopen(os.open(path, flags, 0o600), "a" if append else "w", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout_s: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Wait until ``url`` answers 2xx; fail early when ``proc`` exits first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise TimeoutError(f"{url} did not answer within {timeout_s:.0f} s\n{tail}")


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (a zombie too, until its parent reaps it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(proc: subprocess.Popen, timeout_s: float = 15) -> None:
    """SIGTERM the process group, then SIGKILL it if it lingers."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout_s)
    if proc in _RUNNING:
        _RUNNING.remove(proc)


@atexit.register
def _stop_all() -> None:  # a crashed or interrupted session still leaves no server behind
    for proc in list(_RUNNING):
        stop(proc, timeout_s=5)


def _stop_all_then_die(signum: int, frame: object) -> None:
    """SIGTERM (systemd, a container runtime, ``kill``) skips atexit: stop the servers, then die of it."""
    _stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


with contextlib.suppress(ValueError):  # only the main thread may set handlers; leave others' alone
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _stop_all_then_die)


@contextlib.contextmanager
def server(
    command: Sequence[str | Path], health_url: str, log: Path, env: dict[str, str], timeout_s: float
) -> Iterator[subprocess.Popen]:
    """Run ``command`` in its own process group until the block ends; yield once ``health_url`` answers."""
    with open_private(log) as out:
        proc = subprocess.Popen(
            [str(c) for c in command], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        _RUNNING.append(proc)
        try:
            wait_http(health_url, timeout_s, proc, log)
            yield proc
        finally:
            stop(proc)
