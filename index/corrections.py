"""Staff corrections served by the running search: citizens' wordings that staff said mean a procedure.

The overlay sits after the decision model (``SearchService.decide``) and is swapped in whole, without a
restart, when staff press «Áp dụng» in the console (api/staff/corrections.py). For a question:

- the same wording (accent-folded, case and punctuation aside) → the corrected procedure is the answer;
- a close paraphrase (cosine of the question vectors ≥ ``ANSWER_FROM``) → the same;
- a looser one (≥ ``OFFER_FROM``) → the corrected procedure is offered among the choices, first.

The thresholds were measured with the served encoder (multilingual-e5-small, int8) on 400 of our own
labelled questions (tests/data/questions.jsonl): questions about *different* procedures reach cosine
≥ 0.93 for 0.28% of pairs, ≥ 0.95 for 0.018%, ≥ 0.96 for 0.010% (max 0.977), while true paraphrases of
one wording score 0.97–1.0 ("làm lại căn cước bị mất" / "tôi bị mất căn cước, làm lại ở đâu": 0.982;
without diacritics: 1.0). Unrelated-but-close pairs sit just below: "đăng ký khai sinh cho con" /
"đăng ký kết hôn" 0.928, "xin giấy phép xây nhà" / "xin giấy phép lái xe" 0.920: hence an answer only
from 0.96, and from 0.93 only an extra choice, never a different answer.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from index.decision import MAX_CHOICES, Choice, Decision
from index.searcher import Hit, Searcher, SearchRun
from vitext.normalize import fold, normalize, words

ANSWER_FROM = 0.96
OFFER_FROM = 0.93


def wording_key(text: str) -> str:
    """What two wordings share when they differ only by diacritics, case, spacing or punctuation."""
    return " ".join(words(fold(normalize(text))))


@dataclass(frozen=True)
class Match:
    code: str
    wording: str
    similarity: float  # 1.0 for the same wording


@dataclass
class CorrectionOverlay:
    wordings: list[tuple[str, str]]  # (normalised wording, code), in the order staff applied them
    exact: dict[str, int] = field(default_factory=dict)  # wording key → row of ``wordings``
    vectors: np.ndarray | None = None  # one question vector per wording row; None without an embedder
    generation: float = 0.0  # when the wordings were applied (the database's), for replicas to compare

    @classmethod
    def build(
        cls,
        searcher: Searcher,
        wordings: Iterable[tuple[str, str]],
        previous: CorrectionOverlay | None = None,
        generation: float = 0.0,
    ) -> CorrectionOverlay:
        """The overlay for these (wording, code) pairs; only wordings ``previous`` lacks are encoded, each
        as a question is (the same restoring and alias expansion), so that vectors compare like for like.
        A later pair for the same wording wins; codes the catalog lacks are left out."""
        rows: dict[str, tuple[str, str]] = {}
        for text, code in wordings:
            key = wording_key(text)
            if key and code in searcher.names:
                rows.pop(key, None)
                rows[key] = (normalize(text), code)
        known: dict[str, np.ndarray] = {}
        if previous is not None and previous.vectors is not None:
            known = {wording_key(t): previous.vectors[i] for i, (t, _) in enumerate(previous.wordings)}
        vectors = None
        if searcher.embedder is not None and rows:
            encoded: list[np.ndarray] = []
            for key, (text, _) in rows.items():
                vector = known.get(key)
                if vector is None:
                    vector = searcher.run(text).vector
                if vector is None:
                    break
                encoded.append(vector)
            vectors = np.stack(encoded).astype(np.float32) if len(encoded) == len(rows) else None
        exact = {key: row for row, key in enumerate(rows)}
        return cls(list(rows.values()), exact, vectors, generation)

    def match(self, run: SearchRun) -> Match | None:
        row = self.exact.get(wording_key(run.question))
        if row is not None:
            return Match(self.wordings[row][1], self.wordings[row][0], 1.0)
        if self.vectors is None or run.vector is None or not len(self.vectors):
            return None
        similarities = self.vectors @ run.vector.astype(np.float32)
        best = int(np.argmax(similarities))
        similarity = float(similarities[best])
        if similarity < OFFER_FROM:
            return None
        return Match(self.wordings[best][1], self.wordings[best][0], similarity)

    def apply(
        self,
        searcher: Searcher,
        run: SearchRun,
        hits: list[Hit],
        decision: Decision,
        allowed: Container[str] | None = None,
    ) -> tuple[list[Hit], Decision]:
        """The hits and decision with the matching correction, if any, taken into account."""
        found = self.match(run)
        if found is None or (allowed is not None and found.code not in allowed):
            return hits, decision
        name = searcher.names[found.code]
        hit = next((h for h in hits if h.code == found.code), None)
        if hit is None:
            hit = Hit(found.code, name, 0.0, found.wording, found.similarity)
        hit.matched, hit.probability = found.wording, round(found.similarity, 4)
        hit.score = max([h.score for h in hits] + [hit.score]) + 1e-6
        ranked = [hit, *(h for h in hits if h.code != found.code)]
        choice = Choice(found.code, name, round(found.similarity, 4))
        others = [c for c in [*decision.choices, *decision.alternatives] if c.code != found.code]
        if found.similarity >= ANSWER_FROM:
            similarity = round(found.similarity, 4)
            return ranked, Decision("answer", similarity, [choice], True, similarity, similarity)
        if decision.choices and decision.choices[0].code == found.code:
            return hits, decision  # already the first choice
        if decision.kind == "answer":
            return hits, replace(decision, alternatives=[choice, *others][: MAX_CHOICES - 1])
        choices = [choice, *(c for c in decision.choices if c.code != found.code)][:MAX_CHOICES]
        confidence = max(decision.p_any, found.similarity)
        return ranked, replace(
            decision, kind="choose", confidence=round(confidence, 4), choices=choices, names_procedure=True
        )
