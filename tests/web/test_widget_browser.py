"""The portal widget in a real headless Chromium, against the real assistant (catalog API, actions, Rasa).

The catalog API serves the demo page at ``/``; the widget in it calls Rasa's REST channel straight from
the browser, across origins, so Rasa runs with ``--cors`` naming the API's origin, as ``make run`` does.
Needs ``API_PYTHON``, ``RASA_PYTHON``, ``RASA_MODEL`` (the Makefile sets them) and Debian's chromium
(``CHROMIUM``, default ``/usr/bin/chromium``); without them the tests are skipped, unless
``TRO_LY_REQUIRE_E2E`` is set.

Screenshots are written to ``var/artifacts/widget-*.png`` and deliberately kept after the run: they are
the artefacts a reviewer (or CI) looks at to see the widget as a citizen does.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.processes import ROOT, catalog_api, free_port
from deploy.stack import StackUnavailable, rasa_model, rasa_processes, rasa_python

playwright_sync = pytest.importorskip("playwright.sync_api")
Browser = playwright_sync.Browser
Page = playwright_sync.Page
Locator = playwright_sync.Locator
expect = playwright_sync.expect

ARTIFACTS = ROOT / "var" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "đăng ký khai sinh cần giấy tờ gì"
# A bare life situation matches several procedures about equally: the bot offers them as buttons.
VAGUE_QUESTION = "làm hộ chiếu"  # two to four distinct passport procedures to choose from
ANSWER_TIMEOUT_MS = 60_000  # Rasa, the action server and the catalog's search on a busy 2-core machine
STORAGE = "tro-ly-dvc"


@dataclass(frozen=True)
class Site:
    api_url: str
    rasa_url: str
    rasa_token: str


def _unavailable(reason: str) -> None:
    if os.environ.get("TRO_LY_REQUIRE_E2E"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    try:
        rasa_python(), rasa_model()
        if not os.environ.get("API_PYTHON"):
            raise StackUnavailable("API_PYTHON must name the catalog API's Python 3.11 (`make test` sets it)")
    except StackUnavailable as exc:
        _unavailable(str(exc))
    workdir = tmp_path_factory.mktemp("widget")
    # Each side must know the other's address before it starts: Rasa the page's origin (CORS), the API
    # Rasa's URL (written into the page). So the API's port is chosen first and Rasa started before it.
    api_port = free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    with (
        rasa_processes(workdir, api_url, cors=(api_url,)) as (_, rasa_url, token),
        catalog_api(workdir, port=api_port, extra_env={"RASA_PUBLIC_URL": rasa_url}),
    ):
        yield Site(api_url, rasa_url, token)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.is_file():
        _unavailable(f"no Chromium at {chromium}: apt-get install chromium, or set CHROMIUM")
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


def shot(page: Page, name: str) -> None:
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


def test_keyboard_opens_the_widget_and_escape_closes_it(page: Page) -> None:
    launcher = page.get_by_role("button", name="Mở Trợ lý Dịch vụ công")
    for _ in range(30):
        page.keyboard.press("Tab")
        if launcher.evaluate("node => node === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Trợ lý Dịch vụ công")).to_be_visible()
    expect(page.get_by_role("textbox", name="Câu hỏi của bạn")).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    # The greeting is there, in a live log a screen reader announces.
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log).to_contain_text("Xin chào")
    # The visible focus ring: the outline the stylesheet gives focused controls.
    outline = page.get_by_role("textbox", name="Câu hỏi của bạn").evaluate("n => getComputedStyle(n).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_conversation_buttons_feedback_and_reload(page: Page, site: Site) -> None:
    open_widget(page)
    ask(page, QUESTION)
    user = page.locator(".tldvc-item-user .tldvc-msg")
    expect(user.last).to_contain_text(QUESTION)
    wait_for_bot_messages(page, more_than=1)  # the greeting, then the answer (other fits may follow it)
    answer = bot_messages(page).filter(has_text="(mã 1.001193)").first
    expect(answer).to_contain_text("1.001193", timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("textbox", name="Câu hỏi của bạn")).to_have_value("")
    # The link to the procedure's page on the national portal is a real link, opening in a new tab.
    link = answer.locator("a").filter(has_text=re.compile(r"^https://dichvucong\.gov\.vn/"))
    expect(link.first).to_have_attribute("target", "_blank")
    expect(link.first).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    assert link.first.evaluate("a => a.tagName") == "A"
    shot(page, "answer")

    # Quick replies: a vague question gets buttons; clicking one sends it and shows its title as the user's.
    before = bot_messages(page).count()
    ask(page, VAGUE_QUESTION)
    wait_for_bot_messages(page, more_than=before)
    choices = page.get_by_role("group", name="Gợi ý trả lời").last.get_by_role("button")
    expect(choices.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    title = choices.first.inner_text()
    code = re.search(r"\d+\.\d{6}", title)
    assert code, f"a procedure button names its code: {title!r}"
    before = bot_messages(page).count()
    choices.first.click()
    expect(user.last).to_have_text(re.compile(re.escape(title)))
    wait_for_bot_messages(page, more_than=before)
    expect(bot_messages(page).last).to_contain_text(code.group())
    shot(page, "buttons")

    # Thumbs up on that answer: Rasa stores it in the conversation and thanks; the thumbs are then spent.
    thumbs_up = page.get_by_role("button", name="Câu trả lời hữu ích").last
    before, users_before = bot_messages(page).count(), user.count()
    thumbs_up.click()
    wait_for_bot_messages(page, more_than=before)
    expect(bot_messages(page).last).to_contain_text("Cảm ơn bạn đã góp ý")
    expect(user).to_have_count(users_before)  # the feedback is not shown as something the citizen typed
    expect(thumbs_up).to_be_disabled()
    expect(thumbs_up).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Câu trả lời chưa hữu ích").last).to_be_disabled()
    sender = page.evaluate(f"localStorage.getItem('{STORAGE}:sender')")
    feedback = [
        e
        for e in tracker_events(site, sender)
        if e["event"] == "user" and e["parse_data"]["intent"]["name"] == "feedback"
    ]
    assert feedback, "the tracker holds the feedback"
    ratings = [(e["entity"], e["value"]) for e in feedback[-1]["parse_data"]["entities"]]
    assert ratings == [("rating", "up")], feedback[-1]["parse_data"]
    shot(page, "feedback")

    # A reload keeps the conversation, its buttons and the spent thumbs.
    texts = bot_messages(page).all_inner_texts()
    page.reload()
    expect(page.get_by_role("dialog", name="Trợ lý Dịch vụ công")).to_be_visible()  # still open in this tab
    expect(bot_messages(page)).to_have_count(len(texts))
    assert bot_messages(page).all_inner_texts() == texts
    expect(page.get_by_role("button", name="Câu trả lời hữu ích").last).to_be_disabled()
    assert page.evaluate(f"localStorage.getItem('{STORAGE}:sender')") == sender
    shot(page, "reloaded")

    # "Cuộc trò chuyện mới" starts over with another sender id.
    page.get_by_role("button", name="Cuộc trò chuyện mới").click()
    expect(bot_messages(page)).to_have_count(1)
    assert page.evaluate(f"localStorage.getItem('{STORAGE}:sender')") != sender


def test_unreachable_rasa_keeps_the_question_and_says_so(page: Page, site: Site) -> None:
    # Rasa really is up: the browser's connection to it is refused for this page only.
    page.route(f"{site.rasa_url}/webhooks/rest/webhook", lambda route: route.abort("connectionrefused"))
    open_widget(page)
    ask(page, QUESTION)
    error = page.locator(".tldvc-error")
    expect(error).to_contain_text("không kết nối được", timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("textbox", name="Câu hỏi của bạn")).to_have_value(QUESTION)
    expect(page.locator(".tldvc-item-user")).to_have_count(0)
    shot(page, "unreachable")


def test_a_refusal_shows_rasas_vietnamese_message(page: Page, site: Site) -> None:
    # The per-address limit's 429 (bot/serving/http_guard.py), as Rasa sends it; faked for this page only,
    # since the browser calls from 127.0.0.1, which the limit exempts.
    message = "Địa chỉ mạng của bạn đang gửi quá nhiều yêu cầu. Bạn vui lòng chờ khoảng 7 giây rồi thử lại nhé."
    page.route(
        f"{site.rasa_url}/webhooks/rest/webhook",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "7", "Access-Control-Allow-Origin": site.api_url},
            json={"error": message},
        ),
    )
    open_widget(page)
    ask(page, QUESTION)
    expect(page.locator(".tldvc-error")).to_contain_text(message, timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("textbox", name="Câu hỏi của bạn")).to_have_value(QUESTION)


def test_mobile_width_panel_fills_the_screen(browser: Browser, site: Site) -> None:
    width, height = 375, 740
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(site.api_url + "/")
        open_widget(page)
        ask(page, QUESTION)
        wait_for_bot_messages(page, more_than=1)
        answer = bot_messages(page).filter(has_text="(mã 1.001193)").first
        expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        box = page.get_by_role("dialog", name="Trợ lý Dịch vụ công").bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["y"] >= 0, box
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
        assert box["width"] >= width - 1, f"the panel takes the whole width under 480 px: {box}"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"nothing sticks out sideways: scrollWidth {scroll_width}"
        for control in ("Câu hỏi của bạn", "Gửi câu hỏi", "Đóng cửa sổ trò chuyện"):
            target = page.get_by_label(control, exact=True).bounding_box()
            assert target is not None and target["x"] + target["width"] <= width, (control, target)
        shot(page, "mobile")
    finally:
        context.close()
