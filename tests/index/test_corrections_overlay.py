"""Staff corrections over the real search: the corrected wording and its paraphrases answer the corrected
procedure, other questions keep their decisions, filters still apply, and a rebuild encodes only what is new."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from index.corrections import CorrectionOverlay, wording_key
from index.search_service import SearchService

FISH = "1.014862"  # Cấp giấy phép nuôi trồng thủy sản trong phạm vi bảo vệ công trình thủy lợi (cấp xã)
FAILING = "thả cá lồng ở hồ thủy lợi có phải xin phép không"  # our own wording: "none" before the correction
PARAPHRASES = [
    "tha ca long o ho thuy loi co phai xin phep khong",
    "thả cá lồng trong hồ thủy lợi thì có cần xin phép không",
    "muốn thả cá lồng trên hồ thủy lợi phải xin phép ai",
]
UNRELATED = ["đăng ký khai sinh cho con", "xin phép xây nhà ở hồ thủy lợi", "cấp lại căn cước bị mất"]


@pytest.fixture
def corrected(service: SearchService) -> Iterator[SearchService]:
    """The session's service with the correction, put back as it was afterwards."""
    before = service.corrections
    service.corrections = CorrectionOverlay.build(service.searcher, [(FAILING, FISH)])
    try:
        yield service
    finally:
        service.corrections = before


def test_the_failing_question_fails_without_the_correction(service: SearchService) -> None:
    assert service.corrections is None
    _, decision = service.decide(FAILING)
    assert decision.kind == "none" or decision.choices[0].code != FISH


def test_the_wording_and_its_paraphrases_answer_the_corrected_procedure(corrected: SearchService) -> None:
    for question in [FAILING, FAILING.upper() + " ?", *PARAPHRASES]:
        hits, decision = corrected.decide(question)
        assert (decision.kind, [c.code for c in decision.choices]) == ("answer", [FISH]), question
        assert decision.names_procedure and decision.alternatives == []
        assert hits[0].code == FISH and hits[0].probability is not None and hits[0].probability >= 0.96


def test_other_questions_keep_their_decisions(service: SearchService, corrected: SearchService) -> None:
    overlay = corrected.corrections
    corrected.corrections = None
    before = {q: corrected.decide(q)[1] for q in UNRELATED}
    corrected.corrections = overlay
    for question, decision in before.items():
        after = corrected.decide(question)[1]
        assert (after.kind, [c.code for c in after.choices]) == (decision.kind, [c.code for c in decision.choices])


def test_a_filter_that_leaves_the_procedure_out_is_obeyed(corrected: SearchService) -> None:
    hits, decision = corrected.decide(FAILING, allowed={"1.001193"})
    assert FISH not in {h.code for h in hits} and FISH not in {c.code for c in decision.choices}


def test_a_rebuild_encodes_only_new_wordings_and_drops_unknown_codes(
    service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = CorrectionOverlay.build(service.searcher, [(FAILING, FISH)])
    encoded: list[str] = []
    embedder = service.searcher.embedder
    assert embedder is not None
    original = embedder.encode_queries
    monkeypatch.setattr(embedder, "encode_queries", lambda texts: (encoded.extend(texts), original(texts))[1])
    second = CorrectionOverlay.build(
        service.searcher,
        [(FAILING, FISH), ("làm giấy khai sinh cho bé", "1.001193"), ("câu hỏi bất kỳ", "9.999999")],
        previous=first,
    )
    assert len(encoded) == 1  # the new wording only: the first one's vector is reused
    assert [code for _, code in second.wordings] == [FISH, "1.001193"]
    assert second.exact == {wording_key(FAILING): 0, wording_key("lam giay khai sinh cho be"): 1}
