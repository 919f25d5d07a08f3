"""One real assistant (catalog API, action server, Rasa with this repository's credentials.yml) for all
channel tests, with the Zalo and Messenger channels configured against a local fake of their send APIs.

Needs ``API_PYTHON`` and ``RASA_MODEL`` (``make bot-test`` sets them); without them the end-to-end tests
are skipped, unless ``TRO_LY_REQUIRE_E2E`` is set.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.channels.signatures import messenger_signature, zalo_signature
from deploy.stack import Stack, StackUnavailable, assistant, rasa_model, rasa_python
from tests.bot.channels.fake_providers import FakeProviders, fake_providers

ZALO_APP_ID = "4306184418736952731"
ZALO_OA_SECRET_KEY = "test-oa-secret-key-9f8e7d6c5b4a"
ZALO_ACCESS_TOKEN = "test-zalo-access-token-0123456789"
FACEBOOK_VERIFY_TOKEN = "test-verify-token-abcdef012345"
FACEBOOK_APP_SECRET = "test-app-secret-0123456789abcdef"
FACEBOOK_PAGE_ACCESS_TOKEN = "test-page-access-token-0123456789"
RATE_LIMIT_BURST = 4
MAX_MESSAGE_CHARS = 1000


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Channels:
    stack: Stack
    providers: FakeProviders

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Reply:
        request = urllib.request.Request(
            f"{self.stack.rasa_url}{path}", data=body, headers={"Content-Type": "application/json", **headers}
        )
        return _send(request)

    def get(self, path: str) -> Reply:
        return _send(urllib.request.Request(f"{self.stack.rasa_url}{path}"))

    def zalo(self, event: dict[str, Any], *, signature: str | None = "valid") -> Reply:
        body = json.dumps(event, ensure_ascii=False).encode()
        headers = {}
        if signature == "valid":
            headers["X-ZEvent-Signature"] = zalo_signature(
                ZALO_APP_ID, body, str(event["timestamp"]), ZALO_OA_SECRET_KEY
            )
        elif signature is not None:
            headers["X-ZEvent-Signature"] = signature
        return self.post("/webhooks/zalo/webhook", body, headers)

    def messenger(self, payload: dict[str, Any], *, signature: str | None = "valid") -> Reply:
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {}
        if signature == "valid":
            headers["X-Hub-Signature-256"] = messenger_signature(FACEBOOK_APP_SECRET, body)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return self.post("/webhooks/facebook/webhook", body, headers)

    def rest(self, sender: str, text: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        reply = self.post("/webhooks/rest/webhook", body, {})
        assert reply.status == 200, reply
        return reply.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        reply = self.get(f"/conversations/{sender}/tracker?token={self.stack.rasa_token}")
        assert reply.status == 200, reply
        return reply.json()

    def user_events(self, sender: str) -> list[dict[str, Any]]:
        return [e for e in self.tracker(sender).get("events", []) if e.get("event") == "user"]

    def wait_user_events(self, sender: str, count: int, timeout_s: float = 60) -> list[dict[str, Any]]:
        """The sender's user events once there are ``count``; then a pause shows no more arrive."""
        deadline = time.monotonic() + timeout_s
        while len(events := self.user_events(sender)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{sender} has {len(events)} user events, expected {count}: {events}")
            time.sleep(0.3)
        time.sleep(2)
        return self.user_events(sender)

    def wait_log(self, needle: str, timeout_s: float = 30) -> None:
        """Until Rasa's log (the stack's rasa.log) has a line containing ``needle``."""
        deadline = time.monotonic() + timeout_s
        log = self.stack.workdir / "rasa.log"
        while needle not in log.read_text(encoding="utf-8", errors="replace"):
            if time.monotonic() > deadline:
                raise AssertionError(f"no log line with {needle!r} in {log}")
            time.sleep(0.3)

    def send_as_staff(self, sender: str, text: str, channel: str) -> None:
        """A message outside any webhook request, as a hand-off sends one: a bot event appended through
        Rasa's HTTP API with ``output_channel``, which Rasa delivers through the channel's get_output_channel()."""
        query = f"output_channel={channel}&execute_side_effects=true&token={self.stack.rasa_token}"
        body = json.dumps([{"event": "bot", "text": text}], ensure_ascii=False).encode()
        reply = self.post(f"/conversations/{sender}/tracker/events?{query}", body, {})
        assert reply.status == 200, reply

    def wait_user_event(self, sender: str, intent: str, timeout_s: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            for event in self.user_events(sender):
                if event.get("parse_data", {}).get("intent", {}).get("name") == intent:
                    return event
            if time.monotonic() > deadline:
                raise AssertionError(f"no {intent!r} user event for {sender}: {self.user_events(sender)}")
            time.sleep(0.3)


def _send(request: urllib.request.Request) -> Reply:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Reply(response.status, response.read(), time.perf_counter() - start)
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), time.perf_counter() - start)


def channel_env(api_base: str) -> dict[str, str]:
    return {
        "ZALO_APP_ID": ZALO_APP_ID,
        "ZALO_OA_SECRET_KEY": ZALO_OA_SECRET_KEY,
        "ZALO_ACCESS_TOKEN": ZALO_ACCESS_TOKEN,
        "ZALO_API_URL": api_base,
        "FACEBOOK_VERIFY_TOKEN": FACEBOOK_VERIFY_TOKEN,
        "FACEBOOK_APP_SECRET": FACEBOOK_APP_SECRET,
        "FACEBOOK_PAGE_ACCESS_TOKEN": FACEBOOK_PAGE_ACCESS_TOKEN,
        "FACEBOOK_GRAPH_URL": f"{api_base}/v21.0",
        "RATE_LIMIT_BURST": str(RATE_LIMIT_BURST),
        "RATE_LIMIT_PER_MINUTE": "1",  # one token a minute: a slow machine cannot refill a bucket mid-test
        "MAX_MESSAGE_CHARS": str(MAX_MESSAGE_CHARS),
        "HANDOFF_HOURS": "always",  # staff on duty whatever the hour the tests run at
    }


def require_stack() -> None:
    try:
        rasa_python(), rasa_model()
        if not os.environ.get("API_PYTHON"):
            raise StackUnavailable("API_PYTHON must name the catalog API's Python 3.11 (`make bot-test` sets it)")
    except StackUnavailable as missing:
        if os.environ.get("TRO_LY_REQUIRE_E2E"):
            pytest.fail(str(missing))
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Channels]:
    require_stack()
    with (
        fake_providers() as providers,
        assistant(tmp_path_factory.mktemp("channels"), extra_env=channel_env(providers.url)) as stack,
    ):
        yield Channels(stack, providers)
