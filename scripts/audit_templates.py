"""The answer templates as reviewed: each frames the record's facts and states none of its own.

A template changed in domain.yml counts as unreviewed in `make audit` until its new text is read and
copied here; what a reviewer checks: no number, no example, no claim about what a procedure requires
or allows beyond the variables it frames.
"""

from __future__ import annotations

LINK = "[Xem trên Cổng Dịch vụ công]({portal_url})"
REVIEWED = {
    "utter_answer_documents": (
        f"**Hồ sơ** {{procedure_name}} (mã {{procedure_code}})\n{{documents}}\n{LINK}\n{{footer}}"
    ),
    "utter_answer_fee": f"**Phí, lệ phí** {{procedure_name}} (mã {{procedure_code}})\n{{fees}}\n{LINK}\n{{footer}}",
    "utter_answer_processing_time": (
        f"**Thời hạn giải quyết** {{procedure_name}} (mã {{procedure_code}})\n{{times}}\n{LINK}\n{{footer}}"
    ),
    # Only the level's name, as the record's source gives it: what a level means for one procedure
    # (which steps stay in person) is not in any source, so no template says it.
    "utter_answer_online_toan_trinh": (
        "{according}{procedure_name} (mã {procedure_code}) là **dịch vụ công trực tuyến toàn trình**. "
        f"Cách nộp theo danh mục: {{methods}}.\n{LINK}\n{{footer}}"
    ),
    "utter_answer_online_mot_phan": (
        "{according}{procedure_name} (mã {procedure_code}) là **dịch vụ công trực tuyến một phần**. "
        f"Cách nộp theo danh mục: {{methods}}.\n{LINK}\n{{footer}}"
    ),
    "utter_answer_online_none": (
        "{according}{procedure_name} (mã {procedure_code}) **chưa hỗ trợ nộp trực tuyến**. "
        f"Cách nộp theo danh mục: {{methods}}.\n{LINK}\n{{footer}}"
    ),
    "utter_answer_online_unknown": (
        "{procedure_name} (mã {procedure_code}): **danh mục chưa ghi mức dịch vụ công trực tuyến**. "
        f"Cách nộp theo danh mục: {{methods}}.\n{LINK}\n{{footer}}"
    ),
    "utter_answer_where_to_submit": (
        f"**Nơi nộp** {{procedure_name}} (mã {{procedure_code}})\n{{where}}\n{LINK}\n{{footer}}"
    ),
    "utter_answer_steps": f"**Trình tự** {{procedure_name}} (mã {{procedure_code}})\n{{steps}}\n{LINK}\n{{footer}}",
    "utter_answer_conditions": (
        f"**Điều kiện** {{procedure_name}} (mã {{procedure_code}})\n{{conditions}}\n{LINK}\n{{footer}}"
    ),
    "utter_answer_result": f"**Kết quả** {{procedure_name}} (mã {{procedure_code}})\n{{results}}\n{LINK}\n{{footer}}",
    "utter_answer_legal_basis": (
        f"**Căn cứ pháp lý** {{procedure_name}} (mã {{procedure_code}})\n{{legal_basis}}\n{LINK}\n{{footer}}"
    ),
    "utter_answer_forms": (
        f"**Mẫu đơn, tờ khai** {{procedure_name}} (mã {{procedure_code}})\n{{forms}}\nTải mẫu: {LINK}\n{{footer}}"
    ),
    "utter_answer_overview": (
        "**{procedure_name} (mã {procedure_code})**: {online}. Cơ quan thực hiện: {agency}.\n"
        f"Bạn muốn biết hồ sơ, lệ phí, thời hạn hay nơi nộp?\n{LINK}\n{{footer}}"
    ),
    "utter_field_missing": (
        "Danh mục chưa có thông tin về {attribute_label} của {procedure_name} (mã {procedure_code}).\n"
        f"{LINK}\n{{footer}}"
    ),
}


def unreviewed_templates(responses: dict[str, str]) -> list[str]:
    """Answer templates whose text differs from the reviewed one (or that were never reviewed)."""
    answers = [name for name in responses if name.startswith("utter_answer_") or name == "utter_field_missing"]
    return [name for name in answers if REVIEWED.get(name) != responses[name]]
