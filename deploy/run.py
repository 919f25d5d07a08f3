"""`make run`: the catalog API, the action server and Rasa on this machine, kept running.

Ports come from API_PORT (8000), ACTIONS_PORT (5055) and RASA_PORT (5005); the catalog API runs in its
own Python 3.11 environment (API_PYTHON), Rasa and the actions in this one (Python 3.10), with the
model named by RASA_MODEL, state under RUN_DIR (var/). A process that dies is started again with
back-off while the others keep serving; Ctrl-C or SIGTERM stops them all.

Rasa's HTTP API always needs a token: RASA_AUTH_TOKEN, or a fresh one for this run. The staff token
(STAFF_TOKEN, or a fresh one) goes only to the catalog API and is written to an owner-only file, never
printed. ACTION_SERVER_TOKEN (or a fresh one) goes to Rasa and the action server only, which listens on
127.0.0.1 (SANIC_HOST). var/ and every file the servers create in it are owner-only (deploy/tokens.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

from deploy import commands
from deploy.processes import ROOT
from deploy.supervisor import Program, Supervisor
from deploy.tokens import (
    ACTION_TOKEN_VARIABLE,
    API_ONLY,
    RASA_ONLY,
    action_endpoint_yaml,
    new_token,
    without,
    write_private,
)

VAR = Path(os.environ.get("RUN_DIR") or ROOT / "var")  # state of this run: tracker, staff token
START_TIMEOUT_S = 600  # the first start may build the catalog database; Rasa loads its model in about 50 s


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _endpoints(actions_port: int) -> Path:
    """endpoints.yml with the action server's port of this run (Rasa 3.6 has no ${VAR:-default}) and the header
    that carries ACTION_SERVER_TOKEN (expanded by Rasa from its environment: the token is in no file)."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config.pop("action_endpoint", None)
    store = config.get("tracker_store") or {}
    if store.get("dialect") == "sqlite":
        store["db"] = str(VAR / "tracker.db")
    stores = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    path = VAR / "endpoints.run.yml"
    write_private(path, action_endpoint_yaml(f"http://127.0.0.1:{actions_port}/webhook") + stores)
    return path


def _private_var() -> None:
    """var/ holds conversations (tracker.db) and the staff token: owner only, also when made by an older run."""
    os.umask(0o077)  # every file the three servers create from now on: 0600, folders 0700
    VAR.mkdir(parents=True, exist_ok=True)
    VAR.chmod(0o700)
    for path in VAR.iterdir():
        if path.is_file():
            path.chmod(0o600)


def programs(api_port: int, actions_port: int, rasa_port: int, model: Path) -> list[Program]:
    """The three processes of the default profile, each with only the settings it needs."""
    base = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    base = without(base, (*API_ONLY, *RASA_ONLY))  # each secret is added back only where it is needed
    rasa_token = os.environ.get("RASA_AUTH_TOKEN") or new_token()
    staff_token = os.environ.get("STAFF_TOKEN") or new_token()
    base["CATALOG_API_URL"] = os.environ.get("CATALOG_API_URL") or f"http://127.0.0.1:{api_port}"
    # Rasa and the action server share this one (actions/server_auth.py); the catalog API never sees it.
    rasa_side = {**base, ACTION_TOKEN_VARIABLE: os.environ.get(ACTION_TOKEN_VARIABLE) or new_token()}
    api_env = {
        **base,
        "STAFF_TOKEN": staff_token,
        "RASA_AUTH_TOKEN": rasa_token,
        "RASA_URL": os.environ.get("RASA_URL") or f"http://127.0.0.1:{rasa_port}",
        # what the widget in the browser calls
        "RASA_PUBLIC_URL": os.environ.get("RASA_PUBLIC_URL") or f"http://127.0.0.1:{rasa_port}",
    }
    # The portal widget is served by the catalog API and talks to Rasa from the browser.
    cors = (os.environ.get("CORS_ORIGINS") or f"http://127.0.0.1:{api_port} http://localhost:{api_port}").split()
    rasa_bin = Path(sys.executable).parent / "rasa"
    write_private(VAR / "staff-token", staff_token + "\n")
    return [
        Program(
            "catalog API",
            commands.catalog_api(api_port),
            f"http://127.0.0.1:{api_port}/health",
            api_env,
            start_timeout_s=START_TIMEOUT_S,
        ),
        Program(
            "action server",
            commands.action_server(rasa_bin, actions_port),
            f"http://127.0.0.1:{actions_port}/health",
            {**rasa_side, "SANIC_HOST": os.environ.get("SANIC_HOST") or "127.0.0.1"},
            start_timeout_s=START_TIMEOUT_S,
        ),
        Program(
            "Rasa",
            commands.rasa_server(
                rasa_bin,
                model,
                rasa_port,
                endpoints=_endpoints(actions_port),
                credentials=ROOT / "credentials.yml",
                token=rasa_token,
                cors=cors,
            ),
            f"http://127.0.0.1:{rasa_port}/status?token={rasa_token}",
            rasa_side,
            start_timeout_s=START_TIMEOUT_S,
        ),
    ]


def banner(api_port: int, actions_port: int, rasa_port: int) -> str:
    return (
        "\nTrợ lý Dịch vụ công đang chạy:\n"
        f"  trang cổng (widget)  http://127.0.0.1:{api_port}/\n"
        f"  bảng điều khiển      http://127.0.0.1:{api_port}/staff  (mã truy cập trong {VAR / 'staff-token'})\n"
        f"  API danh mục         http://127.0.0.1:{api_port}  (tài liệu: /docs)\n"
        f"  máy chủ hành động    http://127.0.0.1:{actions_port}/webhook\n"
        f"  Rasa                 http://127.0.0.1:{rasa_port}  (REST: POST /webhooks/rest/webhook, socket.io)\n"
        "Tiến trình nào dừng sẽ được khởi động lại. Nhấn Ctrl-C để dừng tất cả."
    )


def main() -> int:
    ports = _port("API_PORT", 8000), _port("ACTIONS_PORT", 5055), _port("RASA_PORT", 5005)
    model = os.environ.get("RASA_MODEL")
    if not model or not Path(model).is_file():
        print(f"RASA_MODEL phải là một mô hình đã huấn luyện (nhận {model!r}): hãy chạy `make run`", file=sys.stderr)
        return 2
    _private_var()
    supervisor = Supervisor(programs(*ports, Path(model)), report=lambda line: print(line, flush=True))
    try:
        supervisor.start()
        print(banner(*ports), flush=True)
        supervisor.run()
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError) as error:  # a first start that failed: its log tail is in the message
        print(error, file=sys.stderr)
        return 1
    finally:
        supervisor.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
