"""Vietnamese names of the bot's intents, for staff who do not read the domain file (raw name as a hint)."""

from __future__ import annotations

INTENT_LABELS = {
    "greet": "chào hỏi",
    "goodbye": "chào tạm biệt",
    "thanks": "cảm ơn",
    "affirm": "đồng ý",
    "deny": "từ chối",
    "bot_challenge": "hỏi có phải người máy",
    "out_of_scope": "ngoài phạm vi",
    "ask_human": "muốn gặp cán bộ",
    "handoff_accept": "đồng ý chat với cán bộ",
    "callback_request": "đề nghị cán bộ gọi lại",
    "feedback": "đánh giá, góp ý",
    "find_procedure": "tìm thủ tục",
    "ask_stats": "hỏi thống kê thủ tục",
    "ask_data_date": "hỏi ngày cập nhật dữ liệu",
    "choose_procedure": "chọn thủ tục",
    "ask_documents": "hỏi hồ sơ, giấy tờ",
    "ask_fee": "hỏi phí, lệ phí",
    "ask_processing_time": "hỏi thời hạn giải quyết",
    "ask_online": "hỏi làm trực tuyến",
    "ask_where_to_submit": "hỏi nơi nộp",
    "ask_steps": "hỏi trình tự thực hiện",
    "ask_conditions": "hỏi điều kiện",
    "ask_result": "hỏi kết quả nhận được",
    "ask_legal_basis": "hỏi căn cứ pháp lý",
    "ask_forms": "hỏi mẫu đơn, tờ khai",
    "nlu_fallback": "chưa rõ ý định",
}


def intent_label(name: str | None) -> str:
    """ "hỏi phí, lệ phí (ask_fee)"; an intent added to the domain but not here still shows its name."""
    if not name:
        return "không rõ"
    label = INTENT_LABELS.get(name)
    return f"{label} ({name})" if label else name
