"""The command line of each of the assistant's servers, in one place: `make run`, the tests, the fault
tests, the benchmarks and the scale-out profile all start them from here.

Everything listens on loopback; what a profile puts in front (nginx, a portal) is its own business.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from deploy.processes import api_python
from deploy.tokens import action_endpoint_yaml, sqlite_tracker_yaml


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
    """endpoints.yml for one machine: the action server on ``action_port`` (called with the header that carries
    ``ACTION_SERVER_TOKEN``, expanded by Rasa from its environment), trackers in SQLite."""
    path.write_text(action_endpoint_yaml(f"http://127.0.0.1:{action_port}/webhook") + sqlite_tracker_yaml(tracker_db))
    return path
