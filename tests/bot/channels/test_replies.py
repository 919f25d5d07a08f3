"""Shaping replies for Zalo and Messenger: the size splitter, quick replies, the feedback pair."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.replies import FEEDBACK_DOWN, FEEDBACK_UP, as_quick_replies, plain_text, shape, split_text

CATALOG = Path(__file__).resolve().parents[3] / "knowledge" / "data" / "catalog.jsonl.gz"
ZALO_TEXT_LIMIT = 2000


def _visible(text: str) -> str:
    return "".join(text.split())


def _full_answer(code: str) -> str:
    """Every document and step of a real catalog record, unshortened: longer than one Zalo message."""
    with gzip.open(CATALOG, "rt", encoding="utf-8") as lines:
        record = next(r for r in map(json.loads, lines) if r["code"] == code)
    documents = [d["name"] for group in record["documents"] for d in group["documents"]]
    lines_ = [f"Hồ sơ {record['name']} (mã {code}):", *(f"- {d}" for d in documents), "Trình tự:"]
    lines_ += [f"{i}. {step}" for i, step in enumerate(record["steps"], 1)]
    return "\n".join(lines_)


def test_a_real_full_answer_is_split_at_line_breaks_within_the_zalo_limit() -> None:
    text = _full_answer("1.001193")
    assert len(text) > ZALO_TEXT_LIMIT, len(text)
    parts = split_text(text, ZALO_TEXT_LIMIT)
    assert len(parts) >= 2
    assert all(0 < len(part) <= ZALO_TEXT_LIMIT for part in parts)
    assert "\n".join(parts) == text  # every line is shorter than the limit: cuts fall between lines only
    assert parts[0].startswith("Hồ sơ") and "(mã 1.001193)" in parts[0]


def test_a_line_longer_than_the_limit_is_cut_at_spaces() -> None:
    sentence = "Người yêu cầu đăng ký khai sinh nộp tờ khai theo mẫu và giấy chứng sinh. " * 40
    parts = split_text(sentence, 300)
    assert all(len(p) <= 300 for p in parts)
    assert _visible("".join(parts)) == _visible(sentence)
    assert all(not p.startswith(" ") and not p.endswith(" ") for p in parts)
    assert all(sentence.find(p) >= 0 for p in parts)  # whole words: each part is a substring


@settings(deadline=None)  # a loaded 2-core CI machine must not turn slowness into failures
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000), st.integers(1, 2500))
def test_split_text_keeps_every_visible_character_in_order_within_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert _visible("".join(parts)) == _visible(text.strip().replace("\r", ""))


def test_procedure_answer_without_buttons_gets_the_feedback_pair() -> None:
    shaped = shape(
        "Lệ phí Đăng ký khai sinh (mã 1.001193): miễn phí.", None, text_limit=2000, title_limit=20, max_replies=13
    )
    assert shaped.quick_replies == [FEEDBACK_UP, FEEDBACK_DOWN]
    assert shape("Xin chào!", None, text_limit=2000, title_limit=20, max_replies=13).quick_replies == []


def test_procedure_answer_with_follow_up_questions_keeps_them_before_the_feedback_pair() -> None:
    follow_ups = [{"title": t, "payload": f"/{p}"} for t, p in [("Lệ phí", "ask_fee"), ("Nơi nộp", "ask_where")]]
    text = "Hồ sơ Đăng ký khai sinh (mã 1.001193): …"
    shaped = shape(text, follow_ups, text_limit=2000, title_limit=20, max_replies=13)
    assert [r["title"] for r in shaped.quick_replies] == [
        "Lệ phí",
        "Nơi nộp",
        FEEDBACK_UP["title"],
        FEEDBACK_DOWN["title"],
    ]
    tight = shape(text, follow_ups, text_limit=2000, title_limit=20, max_replies=3)  # the pair always fits
    assert [r["title"] for r in tight.quick_replies] == ["Lệ phí", FEEDBACK_UP["title"], FEEDBACK_DOWN["title"]]


def test_buttons_become_quick_replies_and_long_titles_move_into_the_text() -> None:
    buttons = [
        {"title": "Đăng ký khai sinh (mã 1.001193)", "payload": '/choose_procedure{"procedure_code": "1.001193"}'},
        {"title": "Đăng ký lại khai sinh (mã 1.004884)", "payload": '/choose_procedure{"procedure_code": "1.004884"}'},
    ]
    lines, replies = as_quick_replies(buttons, title_limit=100, max_replies=5)  # Zalo: titles fit
    assert lines == [] and [r["title"] for r in replies] == [b["title"] for b in buttons]
    lines, replies = as_quick_replies(buttons, title_limit=20, max_replies=13)  # Messenger: 20 characters
    assert lines == ["1. Đăng ký khai sinh (mã 1.001193)", "2. Đăng ký lại khai sinh (mã 1.004884)"]
    assert all(len(r["title"]) <= 20 for r in replies) and replies[1]["title"].startswith("2. ")
    assert [r["payload"] for r in replies] == [b["payload"] for b in buttons]
    shaped = shape("Bạn chọn thủ tục đúng nhé:", buttons, text_limit=2000, title_limit=20, max_replies=13)
    assert "(mã 1.004884)" in shaped.parts[-1] and FEEDBACK_UP not in shaped.quick_replies


def test_answer_markup_becomes_plain_text_and_link_buttons() -> None:
    text = (
        "**Hồ sơ** Thủ tục đăng ký khai sinh (mã 1.001193)\n- Giấy chứng sinh\n"
        "[Xem trên Cổng Dịch vụ công](https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x)\n"
        "Nguồn: Cổng DVCQG, cập nhật 07/2026"
    )
    shaped = shape(text, None, text_limit=2000, title_limit=20, max_replies=13)
    assert shaped.parts == [
        "Hồ sơ Thủ tục đăng ký khai sinh (mã 1.001193)\n- Giấy chứng sinh\nNguồn: Cổng DVCQG, cập nhật 07/2026"
    ]
    assert shaped.links == [
        {"title": "Xem trên Cổng Dịch vụ công", "url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x"}
    ]
    plain, links = plain_text("bạn gọi tổng đài [1900 1234](tel:19001234) nhé")
    assert plain == "bạn gọi tổng đài 1900 1234 nhé" and links == [{"title": "Gọi 1900 1234", "url": "tel:19001234"}]
