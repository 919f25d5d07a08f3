"""Start long-running processes of the scale-out profile and stop them, whatever happens."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from deploy.processes import ROOT, open_private, stop


class RedisUnavailableError(RuntimeError):
    """No redis-server binary: install Debian's `redis-server` package (`apt-get install redis-server`)."""


def launch(
    stack: contextlib.ExitStack, command: Sequence[str | Path], log: Path, env: Mapping[str, str]
) -> subprocess.Popen:
    """Start ``command`` in its own process group, logging to ``log``; ``stack`` stops it on exit."""
    out = stack.enter_context(open_private(log))
    proc = subprocess.Popen(
        [str(c) for c in command], cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    stack.callback(stop, proc)
    return proc


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server(workdir: Path, port: int, timeout_s: float = 20) -> Iterator[str]:
    """A throw-away Redis on loopback, nothing persisted; yields its ``redis://`` URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise RedisUnavailableError(RedisUnavailableError.__doc__)
    workdir.mkdir(parents=True, exist_ok=True)
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    command += ["--daemonize", "no", "--dir", str(workdir)]
    with contextlib.ExitStack() as stack:
        proc = launch(stack, command, workdir / "redis.log", {})
        deadline = time.monotonic() + timeout_s
        while not redis_ping(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (workdir / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"redis-server did not start on port {port}:\n{tail}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/1"
