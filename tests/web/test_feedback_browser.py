"""A citizen rates answers in the widget (real Chromium, real assistant) and staff read the ratings in the console.

The 👎 goes on the answer rated, even an older one rated after a newer: the widget sends the answer's id
(bot/channels/rest.py), and the console finds that answer in the tracker (api/staff/ratings.py).
"""

from __future__ import annotations

import json
import re
import urllib.parse

from tests.web import widget_page as widget
from tests.web.conftest import STAFF_PASSWORD, STAFF_USER, Site
from tests.web.widget_page import Locator, Page, expect

BIRTH = ("đăng ký khai sinh cần giấy tờ gì", "1.001193")
MARRIAGE = ("đăng ký kết hôn cần những giấy tờ gì", "1.000894")
COMMENT = "Thiếu giấy tờ của cha mẹ; gọi lại cho tôi số 0912345678"


def rateable(page: Page) -> Locator:
    """The answers that carry a rating row, in order (the greeting and error messages have none)."""
    return page.locator(".tldvc-item-bot:has(.tldvc-feedback)")


def stored_answers(page: Page) -> list[dict]:
    transcript = json.loads(page.evaluate(f"localStorage.getItem('{widget.STORAGE}:transcript')"))
    return [entry for entry in transcript if entry.get("rateable")]


def feedback_entities(site: Site, sender: str) -> list[dict[str, str]]:
    return [
        {e["entity"]: e["value"] for e in event["parse_data"]["entities"]}
        for event in widget.tracker_events(site, sender)
        if event["event"] == "user" and event["parse_data"]["intent"]["name"] == "feedback"
    ]


def console_turns(page: Page, site: Site, sender: str) -> list[str]:
    """The bot turns of the conversation as the console shows them, after logging in as staff."""
    target = f"/staff/conversations/{urllib.parse.quote(sender)}"
    page.goto(f"{site.api_url}/staff/login?next={urllib.parse.quote(target)}")
    page.get_by_label("Tên đăng nhập").fill(STAFF_USER)
    page.get_by_label("Mật khẩu").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(sender)
    return page.locator(".turn.bot").all_inner_texts()


def test_a_thumbs_down_with_a_reason_lands_on_the_older_answer_it_rates(page: Page, site: Site) -> None:
    widget.open_widget(page)
    for number, (question, code) in enumerate((BIRTH, MARRIAGE), 1):
        before = widget.bot_messages(page).count()
        widget.ask(page, question)
        widget.wait_for_bot_messages(page, more_than=before)
        expect(rateable(page)).to_have_count(number, timeout=widget.ANSWER_TIMEOUT_MS)
        expect(page.locator(".tldvc-log")).to_contain_text(f"(mã {code})")
    older, newer = rateable(page).nth(0), rateable(page).nth(1)
    ids = [entry["messageId"] for entry in stored_answers(page)]
    assert len(ids) == 2 and all(re.fullmatch(r"\d+\.\d+", i) for i in ids) and ids[0] != ids[1], ids
    bubbles, last_text = widget.bot_messages(page).count(), widget.bot_messages(page).last.inner_text()

    # 👎 on the older answer: its thumbs become the question "what was wrong?" with the four reasons.
    older.get_by_role("button", name="Câu trả lời chưa hữu ích").click()
    reasons = older.get_by_role("group", name="Lý do câu trả lời chưa đúng").get_by_role("button")
    expect(reasons).to_have_text(["Sai thủ tục", "Thiếu thông tin", "Khó hiểu", "Khác"])
    expect(older).to_contain_text("Câu trả lời chưa đúng ở điểm nào?")
    expect(reasons.first).to_be_focused()
    expect(older.get_by_role("button", name="Câu trả lời chưa hữu ích")).to_have_count(0)
    older.get_by_role("button", name="Thiếu thông tin").click()
    expect(older.get_by_role("button", name="Thiếu thông tin")).to_have_attribute("aria-pressed", "true")
    box = older.get_by_role("textbox", name="Góp ý thêm (không bắt buộc)")
    expect(box).to_have_attribute("maxlength", "500")
    box.fill(COMMENT)
    widget.shot(page, "feedback-reasons")
    older.get_by_role("button", name="Gửi góp ý").click()

    # The thank-you replaces the form in that answer; nothing new at the bottom; the newer answer's thumbs stay.
    expect(older.locator(".tldvc-thanks")).to_have_text(re.compile(r"^Cảm ơn bạn đã góp ý!"))
    expect(older.locator("form")).to_have_count(0)
    expect(widget.bot_messages(page)).to_have_count(bubbles)
    assert widget.bot_messages(page).last.inner_text() == last_text
    expect(newer.get_by_role("button", name="Câu trả lời hữu ích")).to_be_visible()
    sender = page.evaluate(f"localStorage.getItem('{widget.STORAGE}:sender')")
    assert feedback_entities(site, sender) == [
        {"rating": "down", "message_id": ids[0]},
        {"reason": "missing_info", "comment": COMMENT, "message_id": ids[0]},
    ]
    widget.shot(page, "feedback-thanked")

    # 👍 on the newer answer, then a reload: both answers keep their thank-you, no thumbs come back.
    newer.get_by_role("button", name="Câu trả lời hữu ích").click()
    expect(newer.locator(".tldvc-thanks")).to_have_text("Cảm ơn bạn đã đánh giá!")
    expect(widget.bot_messages(page)).to_have_count(bubbles)
    page.reload()
    expect(rateable(page).locator(".tldvc-thanks")).to_have_count(2)
    expect(page.locator(".tldvc-thumb")).to_have_count(0)
    answers = stored_answers(page)
    assert [(a["rating"], a.get("reasonSent")) for a in answers] == [("down", True), ("up", None)]

    # The console: the 👎, its reason and the (masked) comment on the older answer, the 👍 on the newer.
    turns = console_turns(page, site, sender)
    rated = [turn for turn in turns if "Người dân đánh giá" in turn]
    assert len(rated) == 2, turns
    birth = next(i for i, turn in enumerate(turns) if f"(mã {BIRTH[1]})" in turn)
    marriage = next(i for i, turn in enumerate(turns) if f"(mã {MARRIAGE[1]})" in turn)
    # Each on its own reply, shown on the reply's first message: the answer naming the procedure (the
    # thumbs sit under the reply's last message, which may be "other procedures that may fit").
    assert (turns.index(rated[0]), turns.index(rated[1])) == (birth, marriage), turns
    assert "Người dân đánh giá: Chưa đúng" in rated[0]
    assert "Lý do: Thiếu thông tin" in rated[0]
    assert "Góp ý: «Thiếu giấy tờ của cha mẹ; gọi lại cho tôi số [PHONE]»" in rated[0]
    assert "Người dân đánh giá: Hữu ích" in rated[1]
    assert "Lý do" not in rated[1] and "Góp ý" not in rated[1]
    assert "0912345678" not in page.content()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(widget.ARTIFACTS / f"console-transcript-feedback-{width}px.png"), full_page=True)

    # The satisfaction page counts both ratings under the procedures' lĩnh vực (Hộ tịch).
    page.goto(f"{site.api_url}/staff/satisfaction")
    row = page.locator("#fields tr").filter(has=page.get_by_role("rowheader", name="Hộ tịch", exact=True))
    cells = row.locator("td").all_inner_texts()
    assert int(cells[0]) >= 1 and int(cells[1]) >= 1, cells  # other tests of the session may rate more
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(widget.ARTIFACTS / f"console-satisfaction-{width}px.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
