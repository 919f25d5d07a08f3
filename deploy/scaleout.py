"""The scale-out profile on one machine's loopback: every process a real, separately started server.

PostgreSQL (tracker store of every Rasa node and the catalog database), Redis (Rasa's lock store),
N catalog API replicas, one action server beside each Rasa node, N Rasa nodes, and nginx in front of
both tiers. Everything runs from Debian packages as the current user with its state in ``workdir``;
no systemd, no Docker.

    python -m deploy.scaleout        # in the Rasa environment; prints the URLs, Ctrl-C stops it all

``API_PYTHON`` (Python 3.11 of the catalog API), ``RASA_MODEL`` (trained model) and optionally
``RASA_PYTHON`` are read as in deploy/stack.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from deploy import commands, nginx
from deploy.commands import api_python
from deploy.postgres import postgres_server
from deploy.processes import ROOT, free_port, wait_http
from deploy.services import launch, redis_server
from deploy.stack import rasa_model, rasa_python
from deploy.tokens import ACTION_TOKEN_VARIABLE, new_token, without_secrets, write_private

ENDPOINTS = ROOT / "bot" / "endpoints.postgres.yml"
API_START_S = 300  # about 15 s alone; much longer while the Rasa nodes load on the same two cores
RASA_START_S = 600  # about 50 s alone; two nodes loading at once on two busy cores take longer


@dataclass(frozen=True)
class ScaleOut:
    """Where each part of a running profile answers."""

    rasa_url: str  # nginx in front of the Rasa nodes: channels, REST, socket.io, HTTP API
    api_url: str  # nginx in front of the catalog API replicas
    rasa_nodes: tuple[str, ...]
    api_replicas: tuple[str, ...]
    action_servers: tuple[str, ...]
    rasa_token: str
    tracker_dsn: str  # libpq URL of the tracker database (psql, psycopg2)
    catalog_database_url: str
    redis_url: str
    workdir: Path
    nginx_access_log: Path = field(repr=False)

    @property
    def rest_webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"


def _psql() -> str:
    found = shutil.which("psql")
    if not found:
        raise RuntimeError("psql is missing: install Debian's `postgresql` package (it brings postgresql-client)")
    return found


def _create_databases(host: str, port: int, names: Sequence[str]) -> None:
    psql = [_psql(), "-h", host, "-p", str(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
    for name in names:
        subprocess.run([*psql, "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)


@contextlib.contextmanager
def scale_out(
    workdir: Path,
    *,
    rasa_nodes: int = 2,
    api_replicas: int = 2,
    rasa_port: int | None = None,
    api_port: int | None = None,
    cors: Sequence[str] = (),
    token: str | None = None,
) -> Iterator[ScaleOut]:
    """Start the whole profile under ``workdir`` (fresh databases); stop every process when the block ends."""
    python, model = rasa_python(), rasa_model()
    api_python()  # fail before starting anything
    rasa_bin = python.parent / "rasa"
    token = token or secrets.token_urlsafe(18)
    workdir.mkdir(parents=True, exist_ok=True)
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    front_rasa, front_api = rasa_port or free_port(), api_port or free_port()
    api_ports = [free_port() for _ in range(api_replicas)]
    node_ports = [free_port() for _ in range(rasa_nodes)]
    action_ports = [free_port() for _ in range(rasa_nodes)]
    rasa_url, api_url = f"http://127.0.0.1:{front_rasa}", f"http://127.0.0.1:{front_api}"

    with contextlib.ExitStack() as stack:
        # As root the server runs as `postgres`, which cannot enter private folders such as pytest's
        # tmp_path: its data lives in a folder of its own under the system's temporary directory.
        pg_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scaleout-pg-")))
        pg_url = urlsplit(stack.enter_context(postgres_server(pg_dir)))
        pg_host, pg_port = pg_url.hostname or "127.0.0.1", int(pg_url.port or 5432)
        _create_databases(pg_host, pg_port, ["rasa", "catalog", "staff"])
        redis_port = free_port()
        redis_url = stack.enter_context(redis_server(workdir / "redis", redis_port))

        prefix = workdir / "nginx"
        config = nginx.render(
            prefix,
            front_rasa,
            front_api,
            [f"127.0.0.1:{p}" for p in node_ports],
            [f"127.0.0.1:{p}" for p in api_ports],
        )
        launch(stack, nginx.command(config, prefix), logs / "nginx.log", os.environ)

        base_env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
        catalog_db = f"postgresql://postgres@{pg_host}:{pg_port}/catalog"
        api_env = {
            **base_env,
            "SEARCH_ENABLED": "true",
            "DATABASE_URL": catalog_db,
            # The console's accounts, audit log and corrections: shared by every replica.
            "STAFF_DATABASE_URL": f"postgresql://postgres@{pg_host}:{pg_port}/staff",
            "RASA_URL": rasa_url,
            "RASA_AUTH_TOKEN": token,  # the staff console's; never in the Rasa nodes' or actions' environment
        }
        replicas = [f"http://127.0.0.1:{p}" for p in api_ports]

        def start_api(index: int) -> subprocess.Popen:
            command = commands.catalog_api(api_ports[index])
            return launch(stack, command, logs / f"catalog-api-{index + 1}.log", api_env)

        # The first replica loads the catalog into the empty database; the others find it loaded.
        first = start_api(0)
        wait_http(f"{replicas[0]}/health", API_START_S, first, logs / "catalog-api-1.log")
        waits = [(f"{url}/health", start_api(i + 1), f"catalog-api-{i + 2}.log") for i, url in enumerate(replicas[1:])]

        rasa_env = {**without_secrets(base_env), "RASA_TELEMETRY_ENABLED": "false", "CATALOG_API_URL": api_url}
        # Rasa and its action servers share a secret (actions/server_auth.py); nginx is the one proxy in front
        # of Rasa, so the client's address (per-address limits) is the last X-Forwarded-For entry.
        rasa_env |= {ACTION_TOKEN_VARIABLE: os.environ.get(ACTION_TOKEN_VARIABLE) or new_token()}
        rasa_env |= {"SANIC_PROXIES_COUNT": "1"}
        rasa_env |= {
            "TRACKER_DB_HOST": pg_host,
            "TRACKER_DB_PORT": str(pg_port),
            "TRACKER_DB": "rasa",
            "TRACKER_DB_USER": "postgres",
            "TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_port),
        }
        actions, nodes = [], []
        for i, (action_port, node_port) in enumerate(zip(action_ports, node_ports, strict=True)):
            actions_url, node_url = f"http://127.0.0.1:{action_port}", f"http://127.0.0.1:{node_port}"
            env = rasa_env | {
                "ACTION_ENDPOINT_URL": f"{actions_url}/webhook",
                "RASA_CACHE_DIRECTORY": str(workdir / f"rasa-cache-{i + 1}"),
            }
            proc = launch(stack, commands.action_server(rasa_bin, action_port), logs / f"actions-{i + 1}.log", env)
            waits.append((f"{actions_url}/health", proc, f"actions-{i + 1}.log"))
            command = commands.rasa_server(
                rasa_bin,
                model,
                node_port,
                endpoints=ENDPOINTS,
                credentials=ROOT / "credentials.yml",
                token=token,
                cors=cors,
            )
            proc = launch(stack, command, logs / f"rasa-{i + 1}.log", env)
            waits.append((f"{node_url}/status?token={token}", proc, f"rasa-{i + 1}.log"))
            actions.append(actions_url)
            nodes.append(node_url)
        for url, proc, log in waits:
            wait_http(url, RASA_START_S, proc, logs / log)
        wait_http(f"{api_url}/health", 30)
        wait_http(f"{rasa_url}/status?token={token}", 30)
        yield ScaleOut(
            rasa_url=rasa_url,
            api_url=api_url,
            rasa_nodes=tuple(nodes),
            api_replicas=tuple(replicas),
            action_servers=tuple(actions),
            rasa_token=token,
            tracker_dsn=f"postgresql://postgres@{pg_host}:{pg_port}/rasa",
            catalog_database_url=catalog_db,
            redis_url=redis_url,
            workdir=workdir,
            nginx_access_log=prefix / "access.log",
        )


def _describe(profile: ScaleOut) -> str:
    lines = [
        "Trợ lý Dịch vụ công — scale-out profile is running:",
        f"  Rasa via nginx     {profile.rasa_url}  (REST: POST /webhooks/rest/webhook, socket.io, channel webhooks)",
        f"  catalog via nginx  {profile.api_url}  (docs: /docs)",
        *(f"  Rasa node {i}        {url}" for i, url in enumerate(profile.rasa_nodes, 1)),
        *(f"  action server {i}    {url}/webhook" for i, url in enumerate(profile.action_servers, 1)),
        *(f"  catalog replica {i}  {url}" for i, url in enumerate(profile.api_replicas, 1)),
        f"  tracker store      {profile.tracker_dsn}",
        f"  catalog database   {profile.catalog_database_url}",
        f"  lock store         {profile.redis_url}",
        "  Rasa HTTP API token: RASA_AUTH_TOKEN from your environment, or the one in rasa-token in the state folder",
        f"  state and logs     {profile.workdir}",
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rasa-nodes", type=int, default=2)
    parser.add_argument("--api-replicas", type=int, default=2)
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT") or 5005))
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("API_PORT") or 8000))
    parser.add_argument("--workdir", type=Path, help="state and logs (default: a new temporary folder, removed)")
    args = parser.parse_args(argv)

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    token = os.environ.get("RASA_AUTH_TOKEN")
    cors = (f"http://127.0.0.1:{args.api_port}", f"http://localhost:{args.api_port}")
    with contextlib.ExitStack() as stack:
        workdir = args.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scaleout-")))
        started = time.monotonic()
        try:
            profile = stack.enter_context(
                scale_out(
                    workdir,
                    rasa_nodes=args.rasa_nodes,
                    api_replicas=args.api_replicas,
                    rasa_port=args.rasa_port,
                    api_port=args.api_port,
                    cors=cors,
                    token=token,
                )
            )
            write_private(workdir / "rasa-token", profile.rasa_token + "\n")
            print(f"{_describe(profile)}\n(started in {time.monotonic() - started:.0f} s)", flush=True)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopping …", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
