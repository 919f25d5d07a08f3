"""The portal widget in a real headless Chromium, against the real assistant (tests/web/conftest.py).

Screenshots are written to ``var/artifacts/widget-*.png`` and deliberately kept after the run: they are
the artefacts a reviewer (or CI) looks at to see the widget as a citizen does.
"""

from __future__ import annotations

import re

from tests.web.conftest import Site
from tests.web.widget_page import (
    ANSWER_TIMEOUT_MS,
    ARTIFACTS,
    STORAGE,
    Browser,
    Page,
    ask,
    bot_messages,
    expect,
    open_widget,
    shot,
    tracker_events,
    wait_for_bot_messages,
)

QUESTION = "đăng ký khai sinh cần giấy tờ gì"
# A bare life situation matches several procedures about equally: the bot offers them as buttons.
VAGUE_QUESTION = "làm hộ chiếu"  # two to four distinct passport procedures to choose from


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
    # The procedure's page on the national portal is a labelled link (no raw URL), opening in a new tab.
    link = answer.locator("a").filter(has_text="Xem trên Cổng Dịch vụ công")
    expect(link.first).to_have_attribute("href", re.compile(r"^https://dichvucong\.gov\.vn/"))
    expect(link.first).to_have_attribute("target", "_blank")
    assert "https://" not in answer.inner_text()
    # The heading is bold by a real <strong> element (safe DOM, never innerHTML), without its asterisks.
    expect(answer.locator("strong").first).to_have_text("Hồ sơ")
    assert "**" not in answer.inner_text()
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

    # Thumbs up on that answer: Rasa stores it in the conversation with the answer's id, and the thumbs
    # become a thank-you in their place (test_feedback_browser.py follows a 👎 into the console).
    item = page.locator(".tldvc-item-bot:has(.tldvc-feedback)").last  # the latest answer's rating row stays
    before, users_before = bot_messages(page).count(), user.count()
    item.get_by_role("button", name="Câu trả lời hữu ích").click()
    expect(item.locator(".tldvc-thanks")).to_have_text("Cảm ơn bạn đã đánh giá!")
    expect(item.get_by_role("button", name="Câu trả lời hữu ích")).to_have_count(0)
    expect(bot_messages(page)).to_have_count(before)  # no thank-you bubble at the bottom
    expect(user).to_have_count(users_before)  # the feedback is not shown as something the citizen typed
    sender = page.evaluate(f"localStorage.getItem('{STORAGE}:sender')")
    feedback = [
        e
        for e in tracker_events(site, sender)
        if e["event"] == "user" and e["parse_data"]["intent"]["name"] == "feedback"
    ]
    assert feedback, "the tracker holds the feedback"
    ratings = {e["entity"]: e["value"] for e in feedback[-1]["parse_data"]["entities"]}
    assert ratings["rating"] == "up" and float(ratings["message_id"]) > 0, feedback[-1]["parse_data"]
    shot(page, "feedback")

    # A reload keeps the conversation, its buttons and the spent thumbs.
    texts = bot_messages(page).all_inner_texts()
    page.reload()
    expect(page.get_by_role("dialog", name="Trợ lý Dịch vụ công")).to_be_visible()  # still open in this tab
    expect(bot_messages(page)).to_have_count(len(texts))
    assert bot_messages(page).all_inner_texts() == texts
    expect(page.locator(".tldvc-thanks").filter(has_text="Cảm ơn bạn đã đánh giá!")).to_have_count(1)
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
        expect(answer).to_contain_text("Giấy chứng sinh", timeout=ANSWER_TIMEOUT_MS)
        # The documents answer fits in about one phone screen: the general case, the cases a button away.
        item = answer.locator("xpath=ancestor::div[contains(@class, 'tldvc-item-bot')][1]")
        item.scroll_into_view_if_needed()
        top = answer.evaluate("n => n.closest('.tldvc-item-bot').offsetTop - 8")
        page.evaluate("(top) => { document.querySelector('.tldvc-log').scrollTop = top; }", top)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "khai-sinh-documents-375px.png"))
        answer_box = item.bounding_box()
        assert answer_box is not None and answer_box["height"] <= height, f"answer taller than the screen: {answer_box}"
        expect(item.get_by_role("button", name=re.compile(r"^Trường hợp riêng \(\d+\)$"))).to_be_visible()
        assert "bỏ rơi" not in answer.inner_text() and "…" not in answer.inner_text()
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
