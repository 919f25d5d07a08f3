"""One real assistant for the browser tests of tests/web (catalog API, actions, Rasa), and one Chromium.

The catalog API serves the demo page at ``/``; the widget in it calls Rasa's REST channel straight from
the browser, across origins, so Rasa runs with ``--cors`` naming the API's origin, as ``make run`` does.
The same API serves the staff console, reading the stack's tracker store, so a test can follow a
conversation from the widget into the console. Needs ``API_PYTHON``, ``RASA_PYTHON``, ``RASA_MODEL``
(the Makefile sets them) and Debian's chromium (``CHROMIUM``, default ``/usr/bin/chromium``); without
them the tests are skipped, unless ``TRO_LY_REQUIRE_E2E`` is set.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from deploy.processes import ROOT, free_port
from deploy.stack import StackUnavailable, catalog_api, rasa_model, rasa_processes, rasa_python

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

STAFF_TOKEN = "widget-test-staff-token-0123456789"
# A named account with the «sửa» role (hand-offs, corrections), made as an administrator makes the first.
STAFF_USER, STAFF_NAME, STAFF_PASSWORD = "lan.nt", "Nguyễn Thị Lan", "mat-khau-can-bo-0123"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Site:
    api_url: str
    rasa_url: str
    rasa_token: str


def unavailable(reason: str) -> None:
    if os.environ.get("TRO_LY_REQUIRE_E2E"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    try:
        rasa_python(), rasa_model()
        if not os.environ.get("API_PYTHON"):
            raise StackUnavailable("API_PYTHON must name the catalog API's Python 3.11 (`make test` sets it)")
    except StackUnavailable as exc:
        unavailable(str(exc))
    workdir = tmp_path_factory.mktemp("widget")
    # Each side must know the other's address before it starts: Rasa the page's origin (CORS), the API
    # Rasa's URL (written into the page). So the API's port is chosen first and Rasa started before it.
    api_port = free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    # Staff on duty whatever the hour the tests run at (actions/duty.py).
    with rasa_processes(workdir, api_url, cors=(api_url,), extra_env={"HANDOFF_HOURS": "always"}) as (
        _,
        rasa_url,
        token,
    ):
        console = {
            "RASA_PUBLIC_URL": rasa_url,
            "RASA_URL": rasa_url,
            "RASA_AUTH_TOKEN": token,
            "STAFF_TOKEN": STAFF_TOKEN,
            "TRACKER_DATABASE_URL": f"sqlite:///{workdir / 'tracker.db'}",
            "STAFF_DATABASE_URL": f"sqlite:///{workdir / 'staff.db'}",
        }
        account = ["--username", STAFF_USER, "--name", STAFF_NAME, "--role", "sửa"]
        subprocess.run(
            [os.environ["API_PYTHON"], "-m", "api.staff.accounts", "create", *account],
            input=STAFF_PASSWORD + "\n",
            text=True,
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **console},
        )
        with catalog_api(workdir, port=api_port, extra_env=console):
            yield Site(api_url, rasa_url, token)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    playwright_sync = pytest.importorskip("playwright.sync_api")
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.is_file():
        unavailable(f"no Chromium at {chromium}: apt-get install chromium, or set CHROMIUM")
    with playwright_sync.sync_playwright() as p:
        # launch() gives every run a fresh, throw-away profile (user-data-dir).
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site.api_url + "/")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
