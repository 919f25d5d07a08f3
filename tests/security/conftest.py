"""One real assistant for the security tests (deploy/stack.py, as `make run` starts it), probed as an attacker would.

The per-address limits are low here (``IP_RATE_LIMIT_*``); 127.0.0.1 is exempt by default (a reverse proxy
on the machine), so the tests that exhaust them call from other loopback addresses (127.0.0.2, 127.0.0.3, …),
each with buckets of its own. The Zalo channel is on, sending its replies to a local fake of the OA API.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from deploy.stack import Stack, StackUnavailable, assistant
from tests.bot.channels.fake_providers import fake_providers

STAFF_TOKEN = "security-staff-token-0123456789abcdef"
ZALO_APP_ID = "4306184418736952731"
ZALO_OA_SECRET_KEY = "security-oa-secret-key-9f8e7d6c5b4a"
FACEBOOK_APP_SECRET = "security-app-secret-0123456789abcdef"
IP_RATE_LIMIT_BURST = 30
MAX_MESSAGE_CHARS = 1000


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request(
    url: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    source: str = "127.0.0.1",
    timeout_s: float = 60,
) -> Reply:
    """One HTTP request from the loopback address ``source`` (each address has its own rate-limit bucket)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout_s, source_address=(source, 0))
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        data = answer.read()
        return Reply(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data, time.perf_counter() - started)
    finally:
        conn.close()


def post_json(url: str, payload: Any, **kwargs: Any) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return request(url, "POST", body, {"Content-Type": "application/json"}, **kwargs)


@dataclass(frozen=True)
class Secured:
    stack: Stack
    provider_url: str

    @property
    def rasa(self) -> str:
        return self.stack.rasa_url

    @property
    def api(self) -> str:
        return self.stack.api_url

    def say(self, sender: str, text: str, **kwargs: Any) -> Reply:
        return post_json(f"{self.rasa}/webhooks/rest/webhook", {"sender": sender, "message": text}, **kwargs)

    def authed(self, path: str) -> str:
        separator = "&" if "?" in path else "?"
        return f"{self.rasa}{path}{separator}token={urllib.parse.quote(self.stack.rasa_token)}"

    def logs(self) -> dict[str, str]:
        return {p.name: p.read_text(errors="replace") for p in self.stack.workdir.glob("*.log")}


def _env(provider_url: str) -> dict[str, str]:
    return {
        "IP_RATE_LIMIT_PER_MINUTE": "30",
        "IP_RATE_LIMIT_BURST": str(IP_RATE_LIMIT_BURST),
        "IP_RATE_LIMIT_EXEMPT": "127.0.0.1 ::1",  # the default: 127.0.0.2 and up are counted
        "MAX_MESSAGE_CHARS": str(MAX_MESSAGE_CHARS),
        "ZALO_APP_ID": ZALO_APP_ID,
        "ZALO_OA_SECRET_KEY": ZALO_OA_SECRET_KEY,
        "ZALO_ACCESS_TOKEN": "security-zalo-access-token-012345",
        "ZALO_API_URL": provider_url,
        "FACEBOOK_VERIFY_TOKEN": "security-verify-token-abcdef0123",
        "FACEBOOK_APP_SECRET": FACEBOOK_APP_SECRET,
        "FACEBOOK_PAGE_ACCESS_TOKEN": "security-page-access-token-012345",
        "FACEBOOK_GRAPH_URL": f"{provider_url}/v21.0",
        "WEBHOOK_MAX_AGE_MINUTES": "10",
    }


@pytest.fixture(scope="package")  # stopped once this folder's tests are done, not at the end of `make test`
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    """The stack, with STAFF_TOKEN in the launcher's environment: the catalog API gets it, Rasa and the
    action server must not."""
    saved = {k: os.environ.get(k) for k in ("STAFF_TOKEN", "API_RATE_LIMIT_EXEMPT")}
    os.environ["STAFF_TOKEN"] = STAFF_TOKEN
    os.environ["API_RATE_LIMIT_EXEMPT"] = "127.0.0.1 ::1 testclient"  # 127.0.0.3 and up are counted
    try:
        with (
            fake_providers() as providers,
            assistant(tmp_path_factory.mktemp("security"), extra_env=_env(providers.url)) as stack,
        ):
            yield Secured(stack, providers.url)
    except StackUnavailable as missing:
        if os.environ.get("TRO_LY_REQUIRE_E2E"):
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def pids_listening(port: int) -> list[int]:
    """Processes with a socket listening on ``port`` (read from /proc, no tool needed)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    found = []
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            links = {os.readlink(fd) for fd in fd_dir.iterdir()}
        except OSError:
            continue
        if any(link == f"socket:[{inode}]" for inode in inodes for link in links):
            found.append(int(fd_dir.parent.name))
    return found


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as /proc shows them) listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make run` (test_make_run.py) first among this folder's tests: it starts a whole stack of its own, which
    must stop before the shared one starts (never two at once on this machine). Other folders keep their order."""
    here = Path(__file__).parent
    slots = [i for i, item in enumerate(items) if here in item.path.parents]
    ours = sorted((items[i] for i in slots), key=lambda item: 0 if item.path.name == "test_make_run.py" else 1)
    for slot, item in zip(slots, ours, strict=True):
        items[slot] = item
