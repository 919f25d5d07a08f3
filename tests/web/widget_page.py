"""What the browser tests do on the portal page's widget, as a citizen would (roles and labels, not markup)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from deploy.processes import ROOT
from tests.web.conftest import Site

playwright_sync = pytest.importorskip("playwright.sync_api")
Browser = playwright_sync.Browser
Page = playwright_sync.Page
Locator = playwright_sync.Locator
expect = playwright_sync.expect

ARTIFACTS = ROOT / "var" / "artifacts"
ANSWER_TIMEOUT_MS = 60_000  # Rasa, the action server and the catalog's search on a busy 2-core machine
STORAGE = "tro-ly-dvc"


def shot(page: Page, name: str) -> None:
    """Screenshots are kept after the run: what a reviewer (or CI) looks at to see the widget as a citizen does."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"))


def open_widget(page: Page) -> None:
    page.get_by_role("button", name="Mở Trợ lý Dịch vụ công").click()
    expect(page.get_by_role("dialog", name="Trợ lý Dịch vụ công")).to_be_visible()


def ask(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Câu hỏi của bạn")
    box.fill(text)
    box.press("Enter")


def bot_messages(page: Page) -> Locator:
    return page.locator(".tldvc-item-bot .tldvc-msg")


def wait_for_bot_messages(page: Page, more_than: int) -> None:
    expect(bot_messages(page)).not_to_have_count(more_than, timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("status")).to_be_empty()  # the typing indicator is gone: the whole answer is in


def tracker_events(site: Site, sender: str) -> list[dict]:
    query = urllib.parse.urlencode({"token": site.rasa_token})
    url = f"{site.rasa_url}/conversations/{urllib.parse.quote(sender)}/tracker?{query}"
    with urllib.request.urlopen(url, timeout=30) as response:
        events: list[dict] = json.loads(response.read())["events"]
    return events
