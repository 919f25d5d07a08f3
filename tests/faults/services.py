"""The assistant's three processes on fixed ports, each of which a test may kill -9 and start again.

``deploy/stack.py`` starts the stack for the length of a block; the fault tests need more: stop
one process the hard way mid-conversation and bring it back on the same port with the same state (the
catalog's SQLite file, Rasa's SQLite tracker), while the two others keep running. Every process logs
at DEBUG level, so that the logs show whatever a misconfigured production server would write.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy import commands
from deploy.processes import ROOT, free_port
from deploy.stack import rasa_model, rasa_python
from deploy.stack import say as rest_say
from deploy.supervisor import Program
from deploy.tokens import ACTION_TOKEN_VARIABLE, new_token, without_secrets


@dataclass
class FaultStack:
    api: Program
    actions: Program
    rasa: Program
    workdir: Path

    @property
    def rasa_url(self) -> str:
        return self.rasa.health_url.split("/status")[0]

    def say(self, sender: str, text: str, timeout_s: float = 60) -> tuple[list[dict], float]:
        """The bot's replies over the REST channel, and how long they took in seconds."""
        started = time.perf_counter()
        replies = rest_say(self.rasa_url, sender, text, timeout_s)
        return replies, time.perf_counter() - started

    def logs(self) -> dict[str, str]:
        return {s.name: s.log.read_text(errors="replace") for s in (self.api, self.actions, self.rasa) if s.log}


@contextlib.contextmanager
def fault_stack(workdir: Path) -> Iterator[FaultStack]:
    """Catalog API, action server and Rasa on free ports, all at DEBUG level; stopped at the end."""
    rasa_bin, model = rasa_python().parent / "rasa", rasa_model()
    api_port, action_port, rasa_port = free_port(), free_port(), free_port()
    token = new_token()
    api_url = f"http://127.0.0.1:{api_port}"
    credentials = workdir / "credentials.yml"
    credentials.write_text("rest:\n")  # the channel the tests talk to; the others need secrets
    endpoints = commands.sqlite_endpoints(workdir / "endpoints.yml", action_port, workdir / "tracker.db")
    base_env = {**without_secrets(os.environ), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "DEBUG"}
    api_env = {
        **base_env,
        "SEARCH_ENABLED": "true",
        "DATABASE_URL": f"sqlite:///{workdir / 'catalog.sqlite'}",
        "HF_HUB_OFFLINE": "1",
    }
    rasa_env = {**base_env, "CATALOG_API_URL": api_url, "RASA_TELEMETRY_ENABLED": "false"}
    rasa_env[ACTION_TOKEN_VARIABLE] = new_token()  # Rasa and the action server's shared secret
    rasa_env.setdefault("RASA_CACHE_DIRECTORY", str(workdir / "rasa-cache"))
    api = Program(
        "catalog-api",
        commands.catalog_api(api_port, debug=True),
        f"{api_url}/health",
        api_env,
        workdir / "catalog-api.log",
        900,  # seconds; about 15 with the index built, minutes when the start-up has to build it
    )
    actions = Program(
        "actions",
        commands.action_server(rasa_bin, action_port, debug=True),
        f"http://127.0.0.1:{action_port}/health",
        rasa_env,
        workdir / "actions.log",
        120,
    )
    rasa = Program(
        "rasa",
        commands.rasa_server(
            rasa_bin, model, rasa_port, endpoints=endpoints, credentials=credentials, token=token, debug=True
        ),
        f"http://127.0.0.1:{rasa_port}/status?token={token}",
        rasa_env,
        workdir / "rasa.log",
        float(os.environ.get("RASA_START_TIMEOUT_S", 900)),  # about a minute on an idle machine
    )
    started: list[Program] = []
    try:
        for service in (api, actions, rasa):
            service.start()
            started.append(service)
        yield FaultStack(api, actions, rasa, workdir)
    finally:
        for service in reversed(started):
            service.stop()
