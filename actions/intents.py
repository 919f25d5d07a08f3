"""What each question intent asks about, how an attribute is named in a reply, and the follow-up
buttons offered after an answer."""

from __future__ import annotations

from typing import Any

INTENT_ATTRIBUTES = {
    "ask_documents": "documents",
    "ask_fee": "fee",
    "ask_processing_time": "processing_time",
    "ask_online": "online",
    "ask_where_to_submit": "where_to_submit",
    "ask_steps": "steps",
    "ask_conditions": "conditions",
    "ask_result": "result",
    "ask_legal_basis": "legal_basis",
    "ask_forms": "forms",
}
# As in "Danh mục chưa có thông tin về …".
ATTRIBUTE_LABELS = {
    "documents": "thành phần hồ sơ",
    "fee": "phí, lệ phí",
    "processing_time": "thời hạn giải quyết",
    "online": "mức dịch vụ công trực tuyến",
    "where_to_submit": "nơi nộp hồ sơ",
    "steps": "trình tự thực hiện",
    "conditions": "điều kiện thực hiện",
    "result": "kết quả thực hiện",
    "legal_basis": "căn cứ pháp lý",
    "forms": "mẫu đơn, tờ khai",
    "overview": "thủ tục",
}
# The questions citizens ask most, as buttons under an answer (each keeps the procedure's code).
FOLLOW_UPS = (
    ("ask_documents", "Hồ sơ"),
    ("ask_fee", "Lệ phí"),
    ("ask_processing_time", "Thời hạn"),
    ("ask_where_to_submit", "Nơi nộp"),
    ("ask_online", "Nộp trực tuyến?"),
)
ATTRIBUTE_INTENTS = {attribute: intent for intent, attribute in INTENT_ATTRIBUTES.items()}
# A dialogue act NLU was not sure of reaches the search (bot/act_gate.py); when nothing in the catalog
# fits either, it gets its own reply rather than "not found" ("xin chào, cho mình hỏi chút").
ACT_REPLIES = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thanks": "utter_thanks",
    "bot_challenge": "utter_bot_challenge",
    "feedback": "utter_feedback",
    "out_of_scope": "utter_out_of_scope",
}
FALLBACK = "nlu_fallback"


def classified_intent(latest_message: dict[str, Any]) -> str | None:
    """The classifier's own first intent, before the fallback and the act gate replaced it."""
    intent = (latest_message.get("intent") or {}).get("name")
    if intent != FALLBACK:
        return intent
    ranking = [r.get("name") for r in latest_message.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    return ranking[0] if ranking else None


def follow_up_buttons(code: str, answered: str) -> list[dict[str, Any]]:
    """Buttons for the other common questions about the procedure just answered."""
    return [
        {"title": title, "payload": f'/{intent}{{"procedure_code": "{code}"}}'}
        for intent, title in FOLLOW_UPS
        if INTENT_ATTRIBUTES[intent] != answered
    ]
