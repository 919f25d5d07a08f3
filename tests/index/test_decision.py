"""The decision model on the real catalog, index and training questions: what the bot will be told."""

from __future__ import annotations

import pytest

from index.decision import MAX_CHOICES, DecisionModel
from index.search_service import SearchService


@pytest.mark.parametrize(
    "question", ["đăng ký khai sinh cho con", "dang ky khai sinh cho con", "thủ tục đăng ký khai sinh cần giấy tờ gì"]
)
def test_a_clear_question_is_answered_or_offered_first(service: SearchService, question: str) -> None:
    _, decision = service.decide(question)
    assert decision.kind in ("answer", "choose")
    assert decision.choices[0].code == "1.001193"
    assert decision.names_procedure


@pytest.mark.parametrize(
    "question",
    [
        "hôm nay trời có mưa không",
        "What is the capital of Australia?",
        "Quyền sử dụng đất và quyền sở hữu đất khác nhau như thế nào về mặt pháp lý?",
        "Tôi đăng nhập cổng dịch vụ công bị báo sai mã OTP liên tục thì phải làm sao?",
    ],
)
def test_what_no_procedure_answers_gets_none(service: SearchService, question: str) -> None:
    _, decision = service.decide(question)
    assert decision.kind == "none", (question, decision)
    assert decision.choices == []


def test_a_name_shared_by_several_procedures_is_one_choice(service: SearchService) -> None:
    hits, decision = service.decide("cấp đổi giấy chứng nhận quyền sử dụng đất", k=30)
    names = [c.name for c in decision.choices]
    assert len(names) == len(set(names))
    assert len(decision.choices) <= MAX_CHOICES
    shared = [c for c in decision.choices if c.namesakes]
    assert shared, "the land-certificate copies of several provinces are among the hits"
    support = service.searcher.support
    for choice in shared:  # the record most sources describe stands for its namesakes
        assert all(support.get(choice.code, 0) >= support.get(code, 0) for code in choice.namesakes)
    assert {c for choice in decision.choices for c in (choice.code, *choice.namesakes)} <= {h.code for h in hits}


def test_a_follow_up_names_no_procedure(service: SearchService) -> None:
    for text in ("còn lệ phí thì sao?", "mất bao lâu", "làm online được ko", "cái đó nộp ở đâu vậy"):
        assert service.decide(text)[1].names_procedure is False, text
    assert service.decide("thế còn đăng ký tạm trú")[1].names_procedure is True


def test_hits_come_in_the_models_order_with_probabilities(service: SearchService) -> None:
    hits, _ = service.decide("làm lại căn cước bị mất", k=10)
    probabilities = [h.probability for h in hits]
    assert all(p is not None for p in probabilities)
    assert probabilities == sorted(probabilities, reverse=True)  # type: ignore[type-var]


def test_the_operating_points_come_from_cross_validation(service: SearchService) -> None:
    model: DecisionModel = service.model
    report = model.meta["cross_validation"]
    chosen = report["chosen"]
    assert model.thresholds.none_below == chosen["threshold"]
    assert chosen in report["curve"]
    best = max(p["right_code"] + p["abstained_written"] for p in report["curve"])
    assert chosen["right_code"] + chosen["abstained_written"] == best
    assert report["answer_precision"] >= 0.85 or model.thresholds.answer_from == 1.0
    assert model.thresholds.answer_from <= model.thresholds.alone_from
    assert model.meta["held_out"]["n_answerable"] > 0  # measured on questions never trained on
