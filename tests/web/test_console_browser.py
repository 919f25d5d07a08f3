"""The staff console in real browsers: a live hand-off (a citizen in the widget, a civil servant in the
console), and every console page at desktop and phone widths.

The whole assistant runs (catalog API with the console, action server, Rasa with the hand-off channel);
the citizen asks for a person and accepts, a civil servant takes the conversation in «Chờ cán bộ»,
replies, sees the citizen's answer appear, hands back; the bot then answers the next question again.
Screenshots of both sides and of every page (1280 px and 375 px) are kept under ``var/artifacts/``.
"""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import STAFF_NAME, STAFF_PASSWORD, STAFF_TOKEN, STAFF_USER, Site
from tests.web.widget_page import ANSWER_TIMEOUT_MS, ARTIFACTS, Browser, Page, ask, bot_messages, expect, open_widget

STAFF_REPLY = "Chào bạn, tôi là cán bộ trực. Bạn cần hỏi về hồ sơ đất đai ở phường nào?"
POLL_TIMEOUT_MS = 30_000  # the widget polls every 3 s, the console refreshes every 4 s, on a busy machine


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def staff_login(page: Page, site: Site) -> None:
    page.goto(site.api_url + "/staff/login?next=/staff/handoffs")
    page.get_by_label("Tên đăng nhập").fill(STAFF_USER)
    page.get_by_label("Mật khẩu").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("heading", name="Chờ cán bộ")).to_be_visible()


def test_citizen_asks_for_a_person_staff_take_over_and_hand_back(browser: Browser, site: Site) -> None:
    citizen_context = browser.new_context(viewport={"width": 390, "height": 800}, locale="vi-VN")
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    citizen, staff = citizen_context.new_page(), staff_context.new_page()
    errors: list[str] = []
    for page in (citizen, staff):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        citizen.goto(site.api_url + "/")
        open_widget(citizen)
        ask(citizen, "tôi muốn nói chuyện với cán bộ")
        accept = citizen.get_by_role("button", name="Chat với cán bộ")
        expect(accept).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        accept.click()
        expect(citizen.locator(".tldvc-log")).to_contain_text(
            "chuyển cuộc trò chuyện tới cán bộ trực", timeout=ANSWER_TIMEOUT_MS
        )
        # The queued notice is no answer to rate.
        expect(citizen.locator(".tldvc-item-bot").last.locator(".tldvc-thumb")).to_have_count(0)
        status = citizen.locator(".tldvc-handoff")
        expect(status).to_contain_text("Đang chờ cán bộ")
        ask(citizen, "tôi cần hỏi về hồ sơ đất đai")
        expect(citizen.locator(".tldvc-item-user .tldvc-msg").last).to_contain_text("hồ sơ đất đai")
        # The paused bot says nothing, and the widget does not invent a "no answer" bubble either.
        citizen.wait_for_timeout(1500)
        expect(citizen.locator(".tldvc-empty")).to_have_count(0)
        shot(citizen, "handoff-citizen-waiting")

        staff_login(staff, site)
        waiting = staff.locator("section.handoff.waiting")
        expect(waiting).to_have_count(1, timeout=POLL_TIMEOUT_MS)
        expect(waiting).to_contain_text("Cổng (widget)")
        expect(waiting).to_contain_text("hồ sơ đất đai")  # the last turns, to judge before taking it
        shot(staff, "handoff-queue")
        waiting.get_by_role("link").click()
        staff.get_by_role("button", name="Nhận hỗ trợ").click()
        expect(staff.get_by_role("status")).to_contain_text("đang hỗ trợ")
        taken = citizen.locator(".tldvc-staff").last
        expect(taken).to_contain_text(f"Cán bộ {STAFF_NAME} đã tiếp nhận", timeout=POLL_TIMEOUT_MS)
        expect(status).to_contain_text("Bạn đang trò chuyện với cán bộ")

        staff.get_by_label(re.compile("Trả lời người dân")).fill(STAFF_REPLY)
        staff.get_by_role("button", name="Gửi trả lời").click()
        reply = citizen.locator(".tldvc-staff").filter(has_text="hồ sơ đất đai ở phường nào")
        expect(reply).to_have_count(1, timeout=POLL_TIMEOUT_MS)
        expect(reply.locator(".tldvc-caption")).to_contain_text("Cán bộ")

        ask(citizen, "phường Bến Nghé ạ")
        # The console refreshes the conversation in place (console.js): no reload, the next reply can be typed.
        expect(staff.locator("#transcript")).to_contain_text("phường Bến Nghé", timeout=POLL_TIMEOUT_MS)
        shot(citizen, "handoff-citizen-with-staff")
        shot(staff, "handoff-conversation")

        staff.get_by_role("button", name="Trả lại cho trợ lý ảo").click()
        expect(staff.get_by_text("Hiện không có cuộc trò chuyện nào chờ cán bộ.")).to_be_visible()
        expect(citizen.locator(".tldvc-staff").last).to_contain_text("Trợ lý ảo tiếp tục", timeout=POLL_TIMEOUT_MS)
        expect(status).to_be_hidden()

        # Who did what, in the console's audit log.
        staff.goto(site.api_url + "/staff/audit")
        for action in ("nhận hội thoại", "trả lời người dân", "trả lại cho trợ lý ảo"):
            expect(staff.locator("main")).to_contain_text(action)
        expect(staff.locator("main")).to_contain_text(STAFF_NAME)

        before = bot_messages(citizen).count()
        ask(citizen, "đăng ký khai sinh cần giấy tờ gì")
        expect(bot_messages(citizen)).not_to_have_count(before, timeout=ANSWER_TIMEOUT_MS)
        expect(citizen.locator(".tldvc-log")).to_contain_text("1.001193", timeout=ANSWER_TIMEOUT_MS)
        shot(citizen, "handoff-citizen-back-to-bot")
    finally:
        citizen_context.close()
        staff_context.close()
    assert not errors, f"JavaScript errors: {errors}"


CONSOLE_PAGES = {
    "inspect": "/staff",
    "batch": "/staff/batch",
    "conversations": "/staff/conversations",
    "unanswered": "/staff/unanswered?days=3650",
    "handoffs": "/staff/handoffs",
    "callbacks": "/staff/callbacks",
    "corrections": "/staff/corrections",
    "satisfaction": "/staff/satisfaction",
    "audit": "/staff/audit",
    "accounts": "/staff/accounts",
}
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}


def token_login(page: Page, site: Site) -> None:
    page.goto(site.api_url + "/staff/login?next=/staff")
    page.get_by_text("Đăng nhập bằng mã truy cập hệ thống").click()
    page.get_by_label("Mã truy cập").fill(STAFF_TOKEN)
    page.get_by_role("button", name="Đăng nhập bằng mã").click()
    expect(page.get_by_role("heading", name="Kiểm tra một câu hỏi")).to_be_visible()


def fits(page: Page, width: int) -> None:
    """Nothing makes the page scroll sideways: wide tables scroll inside themselves instead."""
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width + 1, f"{page.url} is {overflow} px wide at {width} px"


@pytest.mark.parametrize("size", list(WIDTHS))
def test_console_pages_at_desktop_and_phone_widths(browser: Browser, site: Site, size: str) -> None:
    width, height = WIDTHS[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    try:
        token_login(page, site)
        page.get_by_label("Câu hỏi của người dân").fill("đăng ký khai sinh cần giấy tờ gì")
        page.get_by_role("button", name="Kiểm tra").click()
        expect(page.locator("#reply")).to_contain_text("1.001193", timeout=ANSWER_TIMEOUT_MS)
        expect(page.locator("#reply strong").first).to_be_visible()  # the heading in bold, not "**…**"
        assert "**" not in page.locator("#reply").inner_text()
        fits(page, width)
        shot(page, f"console-inspect-result-{size}")
        page.goto(site.api_url + "/staff/batch")
        page.get_by_label(re.compile("dán")).fill("question,expected_codes\nđăng ký khai sinh cần gì,1.001193\n")
        page.get_by_role("button", name="Chạy", exact=True).click()
        expect(page.locator("#accuracy")).to_have_text("100,0%", timeout=ANSWER_TIMEOUT_MS)
        expect(page.locator("ul.chart progress")).to_have_count(1)
        fits(page, width)
        shot(page, f"console-report-{size}")
        for name, path in CONSOLE_PAGES.items():
            page.goto(site.api_url + path)
            expect(page.locator("h1")).to_be_visible()
            fits(page, width)
            shot(page, f"console-{name}-{size}")
        page.goto(site.api_url + "/staff/conversations")
        page.locator("main table a").first.click()
        expect(page.locator("#transcript")).to_be_visible()
        fits(page, width)
        shot(page, f"console-transcript-{size}")
    finally:
        context.close()
