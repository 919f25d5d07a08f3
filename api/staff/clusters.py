"""Unanswered questions gathered into clusters of near-identical wording, so staff fix a topic once.

Exact repeats are already one group (accent- and case-folded, api/staff/transcripts.py); a cluster adds
the questions that share most of their content words ("làm lại căn cước bị mất" and "mất căn cước làm
lại ở đâu"). Greedy, most frequent first: the most asked wording leads its cluster. Word overlap rather
than the search's embeddings: the console must work with search off, and what staff judge is wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from api.staff.transcripts import UnansweredQuestion
from vitext.normalize import fold, words

# Words every question has: they would make unrelated questions look alike.
FILLER = frozenset(
    (
        "a", "ad", "ah", "cho", "toi", "minh", "em", "anh", "chi", "ban", "oi", "la", "gi", "the", "nao",
        "can", "co", "khong", "o", "dau", "bao", "nhieu", "duoc", "hoi", "ve", "lam", "sao", "nhe", "voi",
        "va", "thi", "ma", "nhu", "muon", "xin", "cua", "nay", "do",
    )
)  # fmt: skip
SIMILAR = 0.5  # Jaccard overlap of content words to join a cluster


@dataclass
class Cluster:
    questions: list[UnansweredQuestion]
    words: frozenset[str] = field(default_factory=frozenset)

    @property
    def lead(self) -> UnansweredQuestion:
        return self.questions[0]

    @property
    def count(self) -> int:
        return sum(q.count for q in self.questions)

    @property
    def last_seen(self) -> datetime:
        return max(q.last_seen for q in self.questions)

    @property
    def reasons(self) -> set[str]:
        return set().union(*(q.reasons for q in self.questions))


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(fold(text)) if w not in FILLER and not w.isdigit())


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def cluster(groups: list[UnansweredQuestion], similar: float = SIMILAR) -> list[Cluster]:
    """Clusters, the most asked first; each cluster's questions the most asked first."""
    clusters: list[Cluster] = []
    for group in sorted(groups, key=lambda g: (-g.count, -g.last_seen.timestamp())):
        found = content_words(group.text)
        best = max(clusters, key=lambda c: _overlap(found, c.words), default=None)
        if best is not None and _overlap(found, best.words) >= similar:
            best.questions.append(group)
        else:
            clusters.append(Cluster([group], found))
    return sorted(clusters, key=lambda c: (-c.count, -c.last_seen.timestamp()))
