"""Start-up: with no channel variables the channels are off and refuse webhooks; production refuses weak secrets."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.processes import ROOT, free_port, server
from deploy.stack import rasa_model, rasa_python
from tests.bot.channels.conftest import require_stack

CHANNEL_VARIABLES = (
    "ZALO_APP_ID",
    "ZALO_OA_SECRET_KEY",
    "ZALO_ACCESS_TOKEN",
    "FACEBOOK_VERIFY_TOKEN",
    "FACEBOOK_APP_SECRET",
    "FACEBOOK_PAGE_ACCESS_TOKEN",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CHANNEL_VARIABLES and k != "APP_ENV"}
    return {**env, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", **extra}


@pytest.fixture(scope="module")
def bare_rasa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_stack()
    port, log = free_port(), tmp_path_factory.mktemp("bare-rasa") / "rasa.log"
    command = [rasa_python(), "-m", "tests.bot.channels.bare_rasa", str(port)]
    url = f"http://127.0.0.1:{port}"
    with server(command, f"{url}/webhooks/rest/", log, _env(), 180):
        yield url, log


def _status(url: str, data: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_unconfigured_channels_are_off_and_say_so(bare_rasa: tuple[str, Path]) -> None:
    url, log = bare_rasa
    assert _status(f"{url}/webhooks/zalo/") == (200, {"status": "ok", "configured": False})
    assert _status(f"{url}/webhooks/facebook/") == (200, {"status": "ok", "configured": False})
    status, body = _status(f"{url}/webhooks/zalo/webhook", b"{}")
    assert status == 503 and "ZALO_" in body["error"]
    status, body = _status(f"{url}/webhooks/facebook/webhook?hub.mode=subscribe&hub.verify_token=&hub.challenge=1")
    assert status == 503 and "FACEBOOK_" in body["error"]
    status, _ = _status(f"{url}/webhooks/facebook/webhook", b'{"object": "page", "entry": []}')
    assert status == 503
    text = log.read_text(errors="replace")
    assert "Zalo channel off: set ZALO_APP_ID" in text and "Facebook Messenger channel off" in text


def test_production_refuses_to_start_with_a_placeholder_secret() -> None:
    require_stack()
    rasa = rasa_python().parent / "rasa"
    weak = {
        "APP_ENV": "production",
        "FACEBOOK_VERIFY_TOKEN": "a-long-enough-verify-token-123",
        "FACEBOOK_APP_SECRET": "change-me",
        "FACEBOOK_PAGE_ACCESS_TOKEN": "a-long-enough-page-token-456",
    }
    command = [rasa, "run", "--credentials", ROOT / "credentials.yml", "--model", rasa_model()]
    command += ["--interface", "127.0.0.1", "--port", str(free_port())]
    done = subprocess.run(command, cwd=ROOT, env=_env(**weak), capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert (
        "APP_ENV=production refuses the Facebook Messenger channel's FACEBOOK_APP_SECRET" in done.stdout + done.stderr
    )
