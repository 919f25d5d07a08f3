"""Unanswered questions clustered by shared content words; the most asked wording leads."""

from __future__ import annotations

from datetime import datetime, timedelta

from api.staff.clusters import cluster
from api.staff.transcripts import VIETNAM, UnansweredQuestion

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM)


def question(text: str, count: int, minutes_ago: int = 0) -> UnansweredQuestion:
    return UnansweredQuestion(text, count, NOW - timedelta(minutes=minutes_ago), f"web-{text[:5]}", {"ngoài phạm vi"})


def test_near_identical_wordings_share_a_cluster_and_unrelated_ones_do_not() -> None:
    groups = [
        question("mất căn cước làm lại ở đâu", 3),
        question("làm lại căn cước bị mất", 5),
        question("cho tôi hỏi làm lại căn cước bị mất thế nào", 1),
        question("thời tiết hôm nay thế nào", 2),
        question("giá xăng hôm nay bao nhiêu", 2, minutes_ago=5),
    ]
    clusters = cluster(groups)
    assert [c.lead.text for c in clusters] == [
        "làm lại căn cước bị mất",
        "thời tiết hôm nay thế nào",
        "giá xăng hôm nay bao nhiêu",
    ]
    assert clusters[0].count == 9 and len(clusters[0].questions) == 3
    assert [q.count for q in clusters[0].questions] == [5, 3, 1]
    assert clusters[1].last_seen == NOW and clusters[0].reasons == {"ngoài phạm vi"}
