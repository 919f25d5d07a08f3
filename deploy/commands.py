"""The command line of each of the assistant's servers, in one place: `make run`, the tests, the fault
tests, the benchmarks and the scale-out profile all start them from here.

Everything listens on loopback; what a profile puts in front (nginx, a portal) is its own business.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from deploy.tokens import action_endpoint_yaml, sqlite_tracker_yaml, write_private


def api_python() -> Path:
    """The catalog API's interpreter: ``API_PYTHON`` (set by the Makefile)."""
    value = os.environ.get("API_PYTHON")
    if not value:
        raise LookupError("API_PYTHON must name the catalog API's Python 3.11 (`make bot-test` sets it)")
    return Path(value).expanduser()


def catalog_api(port: int, *, debug: bool = False) -> list[str | Path]:
    """The catalog API (FastAPI under uvicorn) in its own Python 3.11 environment."""
    command: list[str | Path] = [api_python(), "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    return command + (["--log-level", "debug"] if debug else [])


def action_server(rasa_bin: Path, port: int, *, debug: bool = False) -> list[str | Path]:
    """Rasa's action server, running the ``actions`` package."""
    command: list[str | Path] = [rasa_bin, "run", "actions", "--actions", "actions", "--port", str(port)]
    return command + (["--debug"] if debug else [])


def rasa_server(
    rasa_bin: Path,
    model: Path,
    port: int,
    *,
    endpoints: Path,
    credentials: Path,
    token: str,
    cors: Sequence[str] = (),
    debug: bool = False,
) -> list[str | Path]:
    """Rasa with its HTTP API behind ``token`` and the channels of ``credentials``."""
    command: list[str | Path] = [rasa_bin, "run", "--enable-api", f"--auth-token={token}", "--model", model]
    command += ["--interface", "127.0.0.1", "--port", str(port), "--endpoints", endpoints]
    command += ["--credentials", credentials]
    if cors:
        command += ["--cors", *cors]
    return command + (["--debug"] if debug else [])


def sqlite_endpoints(path: Path, action_port: int, tracker_db: Path) -> Path:
    """endpoints.yml for one machine: the action server on ``action_port`` (called with its token, which
    Rasa reads from its environment), trackers in SQLite."""
    url = f"http://127.0.0.1:{action_port}/webhook"
    write_private(path, action_endpoint_yaml(url) + sqlite_tracker_yaml(tracker_db))
    return path
