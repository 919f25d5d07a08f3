"""Start the whole assistant (tests, benchmarks, `make e2e`): catalog API, action server and Rasa, real processes.

Usable from either environment: the catalog API runs with ``API_PYTHON`` (Python 3.11), the action
server and Rasa with ``RASA_PYTHON`` (Python 3.10; defaults to this interpreter when Rasa is importable
here) and the trained model ``RASA_MODEL``. The Makefile sets all three. Every process is stopped at
the end of the block, whatever happened.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import sys
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from deploy import commands
from deploy.processes import ROOT, free_port, server
from deploy.tokens import ACTION_TOKEN_VARIABLE, without_secrets


@contextlib.contextmanager
def catalog_api(
    workdir: Path, timeout_s: float = 600, *, port: int | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """The real catalog API app (``make api`` equivalent, search enabled) on ``port`` (default: a free one).

    Yields its URL. A caller that must know the URL before the API starts (Rasa's ``--cors`` origin)
    picks the port itself with ``free_port()``.
    """
    port = port or free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "ACTION_SERVER_TOKEN"},  # Rasa's and the actions' only
        "PYTHONPATH": str(ROOT),
        "SEARCH_ENABLED": "true",
        "DATABASE_URL": f"sqlite:///{workdir / 'catalog.sqlite'}",
        # The console's accounts and corrections: the run's own, never the checkout's var/staff.db.
        "STAFF_DATABASE_URL": f"sqlite:///{workdir / 'staff.db'}",
        "HF_HUB_OFFLINE": "1",
        **(extra_env or {}),
    }
    command = commands.catalog_api(port)
    url = f"http://127.0.0.1:{port}"
    with server(command, f"{url}/health", workdir / "catalog-api.log", env, timeout_s):
        yield url


def say(rasa_url: str, sender: str, text: str, timeout_s: float = 30) -> list[dict]:
    """The bot's replies to one message over Rasa's REST channel (``rasa_url`` may be nginx's)."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return json.loads(response.read())


class StackUnavailable(LookupError):
    """A variable the stack needs is missing; the message says which and how to set it."""


@dataclass(frozen=True)
class Stack:
    api_url: str
    actions_url: str
    rasa_url: str
    rasa_token: str
    tracker_db: Path
    workdir: Path

    @property
    def rest_webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"


def rasa_python() -> Path:
    value = os.environ.get("RASA_PYTHON")
    if value:
        return Path(value).expanduser()
    if importlib.util.find_spec("rasa") is not None:
        return Path(sys.executable)
    raise StackUnavailable("RASA_PYTHON must name the Rasa environment's Python 3.10 (`make test` sets it)")


def rasa_model() -> Path:
    value = os.environ.get("RASA_MODEL")
    if not value or not Path(value).expanduser().is_file():
        raise StackUnavailable(f"RASA_MODEL must name a trained model, got {value!r} (`make train` prints it)")
    return Path(value).expanduser()


def _rasa_start_timeout_s() -> float:
    return float(os.environ.get("RASA_START_TIMEOUT_S", "600"))


def rasa_processes(
    workdir: Path,
    api_url: str,
    *,
    credentials: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    cors: tuple[str, ...] = (),
    port: int | None = None,
) -> contextlib.AbstractContextManager[tuple[str, str, str]]:
    """The action server and Rasa (REST, socket.io and any channel in ``credentials``); yields their URLs.
    ``port``: Rasa's, for a caller that must know its URL before it starts (the staff console's RASA_URL)."""
    return _rasa_processes(workdir, api_url, credentials, dict(extra_env or {}), cors, port)


@contextlib.contextmanager
def _rasa_processes(
    workdir: Path,
    api_url: str,
    credentials: Path | None,
    extra_env: dict[str, str],
    cors: tuple[str, ...],
    port: int | None = None,
) -> Iterator[tuple[str, str, str]]:
    python, model = rasa_python(), rasa_model()
    rasa_bin = python.parent / "rasa"
    action_port, rasa_port = free_port(), port or free_port()
    token = extra_env.pop("RASA_AUTH_TOKEN", None) or secrets.token_urlsafe(16)
    endpoints = commands.sqlite_endpoints(workdir / "endpoints.yml", action_port, workdir / "tracker.db")
    env = {
        **without_secrets(os.environ),
        "PYTHONPATH": str(ROOT),
        "CATALOG_API_URL": api_url,
        "RASA_TELEMETRY_ENABLED": "false",
        **extra_env,
    }
    env.setdefault(ACTION_TOKEN_VARIABLE, secrets.token_urlsafe(24))
    env.setdefault("RASA_CACHE_DIRECTORY", str(workdir / "rasa-cache"))
    actions = commands.action_server(rasa_bin, action_port)
    rasa = commands.rasa_server(
        rasa_bin,
        model,
        rasa_port,
        endpoints=endpoints,
        credentials=credentials or ROOT / "credentials.yml",
        token=token,
        cors=cors,
    )
    actions_url, rasa_url = f"http://127.0.0.1:{action_port}", f"http://127.0.0.1:{rasa_port}"
    with (
        server(actions, f"{actions_url}/health", workdir / "actions.log", {**env, "SANIC_HOST": "127.0.0.1"}, 120),
        # Loading the model takes about 50 s on an idle machine, over 5 minutes on a crowded 2-core one.
        server(rasa, f"{rasa_url}/status?token={token}", workdir / "rasa.log", env, _rasa_start_timeout_s()),
    ):
        yield actions_url, rasa_url, token


@contextlib.contextmanager
def assistant(
    workdir: Path,
    *,
    credentials: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    cors: tuple[str, ...] = (),
) -> Iterator[Stack]:
    """Catalog API + action server + Rasa on free ports, state under ``workdir``."""
    rasa_python(), rasa_model()  # fail before starting anything
    with (
        catalog_api(workdir) as api_url,
        rasa_processes(workdir, api_url, credentials=credentials, extra_env=extra_env, cors=cors) as (
            actions_url,
            rasa_url,
            token,
        ),
    ):
        yield Stack(api_url, actions_url, rasa_url, token, workdir / "tracker.db", workdir)
