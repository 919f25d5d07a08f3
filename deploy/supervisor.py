"""Keep the assistant's servers running: one that dies is started again with back-off while the others
keep serving (the bot apologises while the catalog is away, instead of refusing connections).

Standard library only, usable from either environment. Every process runs in its own process group and
is registered with ``deploy.processes``, so an exit, an exception or SIGTERM stops them all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deploy import processes
from deploy.processes import ROOT, open_private, wait_http

BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
STABLE_S = 60.0  # up this long after a restart: the next failure starts the back-off over


@dataclass
class Program:
    """One server process: its command, where it says it is healthy, its environment and log."""

    name: str
    command: Sequence[str | Path]
    health_url: str
    env: Mapping[str, str]
    log: Path | None = None  # None: the launcher's own output
    start_timeout_s: float = 120
    proc: subprocess.Popen | None = field(default=None, init=False)
    started_at: float = field(default=0.0, init=False)

    def spawn(self, **env_overrides: str) -> subprocess.Popen:
        """Start the process without waiting for it; a log is appended to, so a restart keeps the past."""
        out = None
        if self.log is not None:
            out = open_private(self.log, append=True)
            out.write(f"\n===== start {self.name} {time.strftime('%H:%M:%S')} =====\n")
            out.flush()
        try:
            self.proc = subprocess.Popen(
                [str(c) for c in self.command],
                cwd=ROOT,
                env={**self.env, **env_overrides},
                stdout=out,
                stderr=subprocess.STDOUT if out else None,
                start_new_session=True,
            )
        finally:
            if out is not None:
                out.close()
        processes._RUNNING.append(self.proc)
        self.started_at = time.monotonic()
        return self.proc

    def start(self, **env_overrides: str) -> None:
        """Start the process and wait until its health URL answers (fails early if it exits)."""
        proc = self.spawn(**env_overrides)
        wait_http(self.health_url, self.start_timeout_s, proc, self.log)

    def kill(self) -> None:
        """kill -9 the whole process group, as a crash or the OOM killer would."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.forget()

    def restart(self, **env_overrides: str) -> None:
        self.kill()
        self.start(**env_overrides)

    def stop(self) -> None:
        if self.proc is not None:
            processes.stop(self.proc)

    def forget(self) -> None:
        if self.proc in processes._RUNNING:
            processes._RUNNING.remove(self.proc)

    @property
    def exit_code(self) -> int | None:
        return None if self.proc is None else self.proc.poll()


class Supervisor:
    """Starts the programs in order, then restarts any that exits, waiting longer after each failure."""

    def __init__(
        self,
        programs: Sequence[Program],
        *,
        report: Callable[[str], None] = print,
        backoff_s: Sequence[float] = BACKOFF_S,
        stable_s: float = STABLE_S,
    ) -> None:
        self.programs = list(programs)
        self.report = report
        self.backoff_s = tuple(backoff_s)
        self.stable_s = stable_s
        self.failures: dict[str, int] = {p.name: 0 for p in self.programs}
        self.due: dict[str, float] = {}  # program name → when to start it again
        self.restarts: dict[str, int] = {p.name: 0 for p in self.programs}

    def start(self) -> None:
        for program in self.programs:
            self.report(f"đang khởi động {program.name} …")
            program.start()
            self.report(f"{program.name} đã sẵn sàng")

    def tick(self, now: float | None = None) -> None:
        """One look at every program: schedule a restart for one that exited, start it when due."""
        now = time.monotonic() if now is None else now
        for program in self.programs:
            code = program.exit_code
            if code is None:
                if self.failures[program.name] and now - program.started_at >= self.stable_s:
                    self.failures[program.name] = 0
                continue
            if program.name not in self.due:
                program.forget()
                delay = self.backoff_s[min(self.failures[program.name], len(self.backoff_s) - 1)]
                self.due[program.name] = now + delay
                self.report(f"{program.name} đã dừng (mã thoát {code}); khởi động lại sau {delay:g} giây")
            elif now >= self.due[program.name]:
                del self.due[program.name]
                self.failures[program.name] += 1
                self.restarts[program.name] += 1
                program.spawn()
                self.report(f"đã khởi động lại {program.name} (lần {self.restarts[program.name]})")

    def run(self, poll_s: float = 0.5) -> None:
        """Watch until interrupted (Ctrl-C; SIGTERM goes through ``deploy.processes``)."""
        while True:
            self.tick()
            time.sleep(poll_s)

    def stop(self) -> None:
        for program in reversed(self.programs):
            program.stop()
