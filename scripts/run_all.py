"""Start the catalog API, the action server and the Rasa server together (``make run``).

Ports come from API_PORT (8000), ACTIONS_PORT (5055) and RASA_PORT (5005); the catalog API runs in
its own Python 3.11 environment (API_PYTHON), Rasa and the actions in this one (Python 3.10), with
the model named by RASA_MODEL. The action server reaches the catalog at CATALOG_API_URL
(http://127.0.0.1:$API_PORT unless set). Ctrl-C (or SIGTERM) stops every process; so does the
exit of any one of them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from deploy.tokens import (
    ACTION_TOKEN_VARIABLE,
    RASA_ONLY,
    action_endpoint_yaml,
    new_token,
    without,
    without_secrets,
    write_private,
)

ROOT = Path(__file__).resolve().parents[1]
# State of this run (tracker database, generated staff token, endpoints file); tests point it elsewhere.
VAR = Path(os.environ.get("TRO_LY_VAR_DIR") or ROOT / "var")
START_TIMEOUT_S = 600  # the first start may build the catalog database; Rasa loads its model in about 50 s


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


def _endpoints(actions_port: int) -> Path:
    """endpoints.yml with the action server's port of this run (Rasa 3.6 has no ${VAR:-default}) and the
    header that carries ACTION_SERVER_TOKEN (expanded by Rasa from its environment, not written here)."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config.pop("action_endpoint", None)
    if VAR != ROOT / "var" and config.get("tracker_store", {}).get("dialect") == "sqlite":
        config["tracker_store"]["db"] = str(VAR / "tracker.db")
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


def _token_hint(generated: Path | None) -> str:
    # Never the token itself: this banner ends up in terminals' scrollback and shared logs.
    return f"in {generated}, readable by you only" if generated else "STAFF_TOKEN from your environment"


def main() -> int:
    api_port, actions_port, rasa_port = _port("API_PORT", 8000), _port("ACTIONS_PORT", 5055), _port("RASA_PORT", 5005)
    api_python = os.environ.get("API_PYTHON") or "python3.11"
    model = os.environ.get("RASA_MODEL")
    if not model or not Path(model).is_file():
        print(f"RASA_MODEL must name a trained model (got {model!r}): run `make run`", file=sys.stderr)
        return 2
    _private_var()
    catalog_url = os.environ.get("CATALOG_API_URL") or f"http://127.0.0.1:{api_port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env["CATALOG_API_URL"] = catalog_url
    # Rasa's HTTP API (POST /model/parse, trackers) always needs ?token=: RASA_AUTH_TOKEN, or one for this run.
    # The staff console and the action server's secret likewise (deploy/tokens.py says who gets which).
    rasa_token = env.get("RASA_AUTH_TOKEN") or new_token()
    env["RASA_AUTH_TOKEN"] = rasa_token
    env[ACTION_TOKEN_VARIABLE] = env.get(ACTION_TOKEN_VARIABLE) or new_token()
    env.setdefault("RASA_URL", f"http://127.0.0.1:{rasa_port}")
    staff_token_file = None
    if not env.get("STAFF_TOKEN"):
        env["STAFF_TOKEN"] = new_token()
        staff_token_file = VAR / "staff-token"
        write_private(staff_token_file, env["STAFF_TOKEN"] + "\n")
    env.setdefault("RASA_PUBLIC_URL", f"http://127.0.0.1:{rasa_port}")  # what the widget in the browser calls
    envs = {
        "catalog API": without(env, RASA_ONLY),
        "action server": {**without_secrets(env), "SANIC_HOST": env.get("ACTIONS_HOST") or "127.0.0.1"},
        "Rasa": without_secrets(env),
    }
    # The portal widget is served by the catalog API and talks to Rasa from the browser.
    cors = env.get("CORS_ORIGINS") or f"http://127.0.0.1:{api_port} http://localhost:{api_port}"
    rasa = str(Path(sys.executable).parent / "rasa")
    commands = {
        "catalog API": [api_python, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(api_port)],
        "action server": [rasa, "run", "actions", "--actions", "actions", "--port", str(actions_port)],
        "Rasa": [
            *(rasa, "run", "--enable-api", "--model", model, "--interface", "127.0.0.1", "--port", str(rasa_port)),
            *("--endpoints", str(_endpoints(actions_port)), "--credentials", "credentials.yml"),
            f"--auth-token={rasa_token}",
            *("--cors", *cors.split()),
        ],
    }
    checks = {
        "catalog API": f"http://127.0.0.1:{api_port}/health",
        "action server": f"http://127.0.0.1:{actions_port}/health",
        "Rasa": f"http://127.0.0.1:{rasa_port}/status?token={urllib.parse.quote(rasa_token)}",
    }
    procs: dict[str, subprocess.Popen] = {}

    def stop_all(*_: object) -> None:
        for name, proc in procs.items():
            if proc.poll() is None:
                print(f"stopping {name} …", flush=True)
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        for name, command in commands.items():
            shown = " ".join("--auth-token=…" if c.startswith("--auth-token=") else c for c in command)
            print(f"starting {name}: {shown}", flush=True)
            procs[name] = subprocess.Popen(command, cwd=ROOT, env=envs[name], start_new_session=True)
        pending = dict(checks)
        deadline = time.monotonic() + START_TIMEOUT_S
        while pending:
            for name in list(pending):
                if procs[name].poll() is not None:
                    print(f"{name} exited with {procs[name].returncode}", file=sys.stderr)
                    return 1
                if _answers(pending[name]):
                    print(f"{name} ready", flush=True)
                    del pending[name]
            if time.monotonic() > deadline:
                print(f"not ready after {START_TIMEOUT_S} s: {', '.join(pending)}", file=sys.stderr)
                return 1
            time.sleep(1)
        print(
            "\nTrợ lý Dịch vụ công is running:\n"
            f"  portal demo    http://127.0.0.1:{api_port}/  (the chat widget)\n"
            f"  staff console  http://127.0.0.1:{api_port}/staff  (token: {_token_hint(staff_token_file)})\n"
            f"  catalog API    http://127.0.0.1:{api_port}  (docs: /docs)\n"
            f"  action server  http://127.0.0.1:{actions_port}/webhook\n"
            f"  Rasa           http://127.0.0.1:{rasa_port}  (REST: POST /webhooks/rest/webhook, socket.io, "
            "POST /model/parse)\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while True:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(f"{name} exited with {proc.returncode}; stopping the others", file=sys.stderr)
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
