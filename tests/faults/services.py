"""The assistant's three processes on fixed ports, each of which a test may kill -9 and start again.

``deploy/stack.py`` starts the stack for the length of a block; the fault tests need more: stop
one process the hard way mid-conversation and bring it back on the same port with the same state (the
catalog's SQLite file, Rasa's SQLite tracker), while the two others keep running. Every process logs
at DEBUG level, so that the logs show whatever a misconfigured production server would write.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deploy import processes
from deploy.processes import ROOT, api_python, free_port, wait_http
from deploy.stack import rasa_model, rasa_python
from deploy.stack import say as rest_say
from deploy.tokens import ACTION_TOKEN_VARIABLE, action_endpoint_yaml, new_token, sqlite_tracker_yaml, without_secrets


@dataclass
class Service:
    """One real server process: ``start()`` waits for its health URL, ``kill()`` is SIGKILL, no clean-up."""

    name: str
    command: Sequence[str | Path]
    health_url: str
    env: dict[str, str]
    log: Path
    timeout_s: float
    proc: subprocess.Popen | None = field(default=None, init=False)

    def start(self, **env_overrides: str) -> None:
        with open(self.log, "a") as out:  # appended: a restart keeps what the killed process wrote
            out.write(f"\n===== start {self.name} {time.strftime('%H:%M:%S')} =====\n")
            out.flush()
            self.proc = subprocess.Popen(
                [str(c) for c in self.command],
                cwd=ROOT,
                env={**self.env, **env_overrides},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        processes._RUNNING.append(self.proc)  # stopped at exit even if the test run is interrupted
        wait_http(self.health_url, self.timeout_s, self.proc, self.log)

    def kill(self) -> None:
        """kill -9 the whole process group, as a crash or the OOM killer would."""
        assert self.proc is not None, f"{self.name} is not running"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        if self.proc in processes._RUNNING:
            processes._RUNNING.remove(self.proc)

    def restart(self, **env_overrides: str) -> None:
        self.kill()
        self.start(**env_overrides)

    def stop(self) -> None:
        if self.proc is not None:
            processes.stop(self.proc)


@dataclass
class FaultStack:
    api: Service
    actions: Service
    rasa: Service
    workdir: Path

    @property
    def rasa_url(self) -> str:
        return self.rasa.health_url.split("/status")[0]

    @property
    def rasa_token(self) -> str:
        return self.rasa.health_url.split("token=")[1]

    def say(self, sender: str, text: str, timeout_s: float = 60) -> tuple[list[dict], float]:
        """The bot's replies over the REST channel, and how long they took in seconds."""
        started = time.perf_counter()
        replies = rest_say(self.rasa_url, sender, text, timeout_s)
        return replies, time.perf_counter() - started

    def logs(self) -> dict[str, str]:
        return {s.name: s.log.read_text(errors="replace") for s in (self.api, self.actions, self.rasa)}


@contextlib.contextmanager
def fault_stack(workdir: Path) -> Iterator[FaultStack]:
    """Catalog API, action server and Rasa on free ports, all at DEBUG level; stopped at the end."""
    rasa_bin, model = rasa_python().parent / "rasa", rasa_model()
    api_port, action_port, rasa_port = free_port(), free_port(), free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    credentials = workdir / "credentials.yml"
    credentials.write_text("rest:\n")  # the channel the tests talk to; the others need secrets
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        action_endpoint_yaml(f"http://127.0.0.1:{action_port}/webhook") + sqlite_tracker_yaml(workdir / "tracker.db")
    )
    token = new_token()
    base_env = {**without_secrets(os.environ), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "DEBUG"}
    api_env = {
        **base_env,
        "SEARCH_ENABLED": "true",
        "DATABASE_URL": f"sqlite:///{workdir / 'catalog.sqlite'}",
        "HF_HUB_OFFLINE": "1",
    }
    rasa_env = {**base_env, "CATALOG_API_URL": api_url, "RASA_TELEMETRY_ENABLED": "false"}
    rasa_env |= {ACTION_TOKEN_VARIABLE: new_token()}
    rasa_env.setdefault("RASA_CACHE_DIRECTORY", str(workdir / "rasa-cache"))
    api = Service(
        "catalog-api",
        [
            api_python(),
            "-m",
            "uvicorn",
            "api.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            api_port,
            "--log-level",
            "debug",
        ],
        f"{api_url}/health",
        api_env,
        workdir / "catalog-api.log",
        900,  # seconds; about 15 with the index built, minutes when the start-up has to build it
    )
    actions = Service(
        "actions",
        [rasa_bin, "run", "actions", "--actions", "actions", "--port", action_port, "--debug"],
        f"http://127.0.0.1:{action_port}/health",
        rasa_env,
        workdir / "actions.log",
        120,
    )
    rasa = Service(
        "rasa",
        [
            *(rasa_bin, "run", "--enable-api", "--model", model, "--interface", "127.0.0.1", "--port", rasa_port),
            *("--endpoints", endpoints, "--credentials", credentials, "--debug", f"--auth-token={token}"),
        ],
        f"http://127.0.0.1:{rasa_port}/status?token={token}",
        rasa_env,
        workdir / "rasa.log",
        float(os.environ.get("RASA_START_TIMEOUT_S", 900)),  # about a minute on an idle machine
    )
    started: list[Service] = []
    try:
        for service in (api, actions, rasa):
            service.start()
            started.append(service)
        yield FaultStack(api, actions, rasa, workdir)
    finally:
        for service in reversed(started):
            service.stop()
