"""`make run`: the catalog API, the action server and Rasa on this machine, kept running.

Ports come from API_PORT (8000), ACTIONS_PORT (5055) and RASA_PORT (5005); the catalog API runs in its
own Python 3.11 environment (API_PYTHON), Rasa and the actions in this one (Python 3.10), with the
model named by RASA_MODEL, state under TRO_LY_VAR_DIR (var/). A process that dies is started again with
back-off while the others keep serving; Ctrl-C or SIGTERM stops them all.

Rasa's HTTP API always needs a token: RASA_AUTH_TOKEN, or a fresh one for this run; so does the action
server (ACTION_SERVER_TOKEN). The staff token (STAFF_TOKEN, or a fresh one) goes only to the catalog API
and, when generated, to an owner-only file. No token is ever printed; each process gets only the ones it
needs (deploy/tokens.py).
"""

from __future__ import annotations

import os
import sys
import urllib.parse
from pathlib import Path

import yaml

from deploy import commands
from deploy.processes import ROOT
from deploy.supervisor import Program, Supervisor
from deploy.tokens import (
    ACTION_TOKEN_VARIABLE,
    RASA_ONLY,
    action_endpoint_yaml,
    new_token,
    without,
    without_secrets,
    write_private,
)

# State of this run (tracker database, generated staff token, endpoints file); tests point it elsewhere.
VAR = Path(os.environ.get("TRO_LY_VAR_DIR") or ROOT / "var")
STAFF_TOKEN_FILE = VAR / "staff-token"
START_TIMEOUT_S = 600  # the first start may build the catalog database; Rasa loads its model in about 50 s


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _endpoints(actions_port: int) -> Path:
    """endpoints.yml with the action server's port of this run (Rasa 3.6 has no ${VAR:-default})."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config.pop("action_endpoint", None)  # written below with the header carrying ACTION_SERVER_TOKEN
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
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env["CATALOG_API_URL"] = env.get("CATALOG_API_URL") or f"http://127.0.0.1:{api_port}"
    env["RASA_AUTH_TOKEN"] = rasa_token = env.get("RASA_AUTH_TOKEN") or new_token()
    env[ACTION_TOKEN_VARIABLE] = env.get(ACTION_TOKEN_VARIABLE) or new_token()
    if not env.get("STAFF_TOKEN"):
        env["STAFF_TOKEN"] = new_token()
        write_private(STAFF_TOKEN_FILE, env["STAFF_TOKEN"] + "\n")
    env.setdefault("RASA_URL", f"http://127.0.0.1:{rasa_port}")
    env.setdefault("RASA_PUBLIC_URL", f"http://127.0.0.1:{rasa_port}")  # what the widget in the browser calls
    api_env = without(env, RASA_ONLY)
    actions_env = {**without_secrets(env), "SANIC_HOST": env.get("ACTIONS_HOST") or "127.0.0.1"}
    rasa_env = without_secrets(env)
    # The portal widget is served by the catalog API and talks to Rasa from the browser.
    cors = (os.environ.get("CORS_ORIGINS") or f"http://127.0.0.1:{api_port} http://localhost:{api_port}").split()
    rasa_bin = Path(sys.executable).parent / "rasa"
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
            actions_env,
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
            f"http://127.0.0.1:{rasa_port}/status?token={urllib.parse.quote(rasa_token)}",
            rasa_env,
            start_timeout_s=START_TIMEOUT_S,
        ),
    ]


def banner(api_port: int, actions_port: int, rasa_port: int, token_hint: str) -> str:
    return (
        "\nTrợ lý Dịch vụ công đang chạy:\n"
        f"  trang cổng (widget)  http://127.0.0.1:{api_port}/\n"
        f"  bảng điều khiển      http://127.0.0.1:{api_port}/staff  ({token_hint})\n"
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
    had_staff_token = bool(os.environ.get("STAFF_TOKEN"))
    supervisor = Supervisor(programs(*ports, Path(model)), report=lambda line: print(line, flush=True))
    try:
        supervisor.start()
        # Never the token itself: this banner ends up in terminals' scrollback and shared logs.
        hint = "STAFF_TOKEN của bạn" if had_staff_token else f"mã truy cập trong {STAFF_TOKEN_FILE}, chỉ bạn đọc được"
        print(banner(*ports, hint), flush=True)
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
