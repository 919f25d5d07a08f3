"""Answerability, decided next to the ranking: for one question, ``answer`` (one procedure), ``choose``
(2–4 distinct procedures) or ``none`` (no procedure in the catalog fits), with a calibrated confidence.

Four learned parts, trained by ``python -m index.decision_train`` on the project's own labelled questions
(knowledge/questions/, tests/data/questions.jsonl) and kept beside the index:

- a re-ranker over the candidates' features (index/features.py), which orders the hits;
- two question classifiers, one over the accent-folded characters and one over the dense vector, that
  tell a procedure question from a legal opinion, a portal problem or chit-chat;
- two models over the question's and the ranked candidates' features: the probability that the right
  procedure is among the choices offered, and that the first one is right.

The thresholds that turn those probabilities into a decision are chosen by the training script from
the precision/coverage curve of grouped cross-validation, and saved with the model: the bot consumes
the decision, never a score.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from index.features import CANDIDATE_DEPTH, CANDIDATE_FEATURES, FeatureSpace
from index.searcher import Hit, SearchRun
from vitext.normalize import fold

MAX_CHOICES = 4
FORMAT = 1
MODEL_FILE = "decision.joblib"
META_FILE = "decision.json"
Kind = Literal["answer", "choose", "none"]


class DecisionModelMissing(FileNotFoundError):
    """No decision model for this index: `make index` trains it (python -m index.decision_train)."""


@dataclass
class Choice:
    code: str
    name: str
    probability: float
    namesakes: list[str] = field(default_factory=list)  # other codes of the same name among the hits


@dataclass
class Decision:
    kind: Kind
    confidence: (
        float  # of this decision: P(first right) for answer, P(right among choices) for choose, 1 − that for none
    )
    choices: list[Choice]  # one for answer, 2–4 for choose, none for none
    names_procedure: bool  # the question names something beyond its frame ("còn lệ phí thì sao?" does not)
    p_any: float  # P(the right procedure is among the choices)
    p_top: float  # P(the first choice is the right procedure)
    # With an answer the model is not sure enough of to give alone: the other choices, offered beside it.
    alternatives: list[Choice] = field(default_factory=list)


@dataclass(frozen=True)
class Thresholds:
    none_below: float  # under this P(right among the choices), the decision is none
    answer_from: float  # from this P(first right), the first choice is answered (the others offered beside it)
    alone_from: float = 1.0  # from this P(first right), it is answered alone, without the others


def _fold_question(text: str) -> str:
    return fold(text)


@dataclass
class DecisionModel:
    reranker: Any  # lightgbm.Booster over CANDIDATE_FEATURES
    text: Any  # sklearn pipeline: folded characters → P(procedure question)
    vector: Any | None  # sklearn LogisticRegression: dense vector → P(procedure question); None without embedder
    answerable: Any  # sklearn classifier over answer_features → P(right among the choices)
    top: Any  # sklearn classifier over answer_features → P(first choice right)
    thresholds: Thresholds
    meta: dict[str, Any] = field(default_factory=dict)

    # --- the parts training and serving share -------------------------------------------------------
    def rank_probabilities(self, candidates: np.ndarray) -> np.ndarray:
        if not len(candidates):
            return np.zeros(0, dtype=np.float32)
        # 30 rows: one thread (LightGBM's OpenMP pool took 6.8 ms under load against 0.1 ms).
        return np.asarray(self.reranker.predict(candidates, num_threads=1), dtype=np.float32)

    def question_probabilities(self, run: SearchRun) -> tuple[float, float]:
        text_p = float(self.text.predict_proba([run.question])[0, 1])
        if self.vector is None or run.vector is None:
            return text_p, text_p
        return text_p, float(self.vector.predict_proba(run.vector.reshape(1, -1))[0, 1])

    @staticmethod
    def answer_features(
        space: FeatureSpace,
        run: SearchRun,
        terms: np.ndarray,
        candidates: np.ndarray,
        groups: list[tuple[int, float]],
        text_p: float,
        vector_p: float,
    ) -> np.ndarray:
        """The question's own features, the first choice's candidate features and what the choices'
        probabilities say; ``groups``: (candidate row, probability) of each choice, best first."""
        probabilities = [p for _, p in groups] + [0.0] * (MAX_CHOICES - len(groups))
        first = candidates[groups[0][0]] if groups else np.zeros(len(CANDIDATE_FEATURES), np.float32)
        coverage = candidates[:10, CANDIDATE_FEATURES.index("idf_coverage")] if len(candidates) else np.zeros(1)
        missing = candidates[:10, CANDIDATE_FEATURES.index("max_missing_idf")] if len(candidates) else np.zeros(1)
        row = [
            *space.question(run, terms),
            *first,
            probabilities[0],
            probabilities[0] - probabilities[1],
            sum(probabilities[:MAX_CHOICES]),
            float(coverage.max()),
            float(missing.min()),
            text_p,
            vector_p,
        ]
        return np.asarray(row, dtype=np.float32)

    @staticmethod
    def answer_feature_names(space: FeatureSpace) -> list[str]:
        return [
            *space.question_feature_names(),
            *(f"first_{name}" for name in CANDIDATE_FEATURES),
            "p_first",
            "p_margin",
            "p_choices",
            "best_coverage",
            "least_missing_idf",
            "p_text",
            "p_vector",
        ]

    @staticmethod
    def choice_groups(space: FeatureSpace, hits: list[Hit], probabilities: np.ndarray) -> list[list[int]]:
        """Candidate rows grouped by procedure name, best group first; within a group, best first."""
        order = sorted(range(len(probabilities)), key=lambda i: (-float(probabilities[i]), i))
        groups: dict[str, list[int]] = {}
        for i in order:
            key = space.searcher.name_keys.get(hits[i].code, hits[i].code)
            groups.setdefault(key, []).append(i)
        return list(groups.values())

    # --- serving -----------------------------------------------------------------------------------
    def decide(self, space: FeatureSpace, run: SearchRun) -> tuple[list[Hit], Decision]:
        """The hits in the model's order (each with its probability) and the decision for the question."""
        names_procedure = space.names_something(run)
        if not run.hits:
            return [], Decision("none", 1.0, [], names_procedure, 0.0, 0.0)
        terms = space.query_term_ids(run)
        candidates = space.candidates(run, terms)
        probabilities = self.rank_probabilities(candidates)
        head = run.hits[:CANDIDATE_DEPTH]
        for hit, p in zip(head, probabilities, strict=True):
            hit.probability = round(float(p), 4)
        groups = self.choice_groups(space, head, probabilities)
        order = sorted(range(len(head)), key=lambda i: (-float(probabilities[i]), i))
        ranked = [head[i] for i in order] + run.hits[CANDIDATE_DEPTH:]
        best = [(g[0], float(probabilities[g[0]])) for g in groups[:MAX_CHOICES]]
        text_p, vector_p = self.question_probabilities(run)
        features = self.answer_features(space, run, terms, candidates, best, text_p, vector_p).reshape(1, -1)
        p_any = float(self.answerable.predict_proba(features)[0, 1])
        p_top = float(self.top.predict_proba(features)[0, 1])
        choices = [self._choice(space, head, group, probabilities) for group in groups[:MAX_CHOICES]]
        if p_any < self.thresholds.none_below:
            return ranked, Decision("none", round(1 - p_any, 4), [], names_procedure, p_any, p_top)
        if p_top >= self.thresholds.answer_from or len(choices) == 1:
            others = choices[1:] if p_top < self.thresholds.alone_from else []
            return ranked, Decision("answer", round(p_top, 4), choices[:1], names_procedure, p_any, p_top, others)
        return ranked, Decision("choose", round(p_any, 4), choices, names_procedure, p_any, p_top)

    @staticmethod
    def _choice(space: FeatureSpace, hits: list[Hit], group: list[int], probabilities: np.ndarray) -> Choice:
        """A name shared by several procedures is one choice: the one most sources describe (the national
        record before provinces' copies), the others kept as its namesakes."""
        members = sorted(group, key=lambda i: (-space.searcher.support.get(hits[i].code, 0), group.index(i)))
        lead = hits[members[0]]
        return Choice(
            lead.code,
            lead.name,
            round(float(max(probabilities[i] for i in group)), 4),
            [hits[i].code for i in members[1:]],
        )

    # --- persistence ----------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        import joblib

        folder.mkdir(parents=True, exist_ok=True)
        parts = {"reranker": self.reranker, "text": self.text, "vector": self.vector}
        parts |= {"answerable": self.answerable, "top": self.top, "format": FORMAT}
        joblib.dump(parts, folder / MODEL_FILE)
        meta = {**self.meta, "format": FORMAT, "thresholds": asdict(self.thresholds)}
        (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> DecisionModel:
        try:
            import joblib

            meta = json.loads((folder / META_FILE).read_text("utf-8"))
            parts = joblib.load(folder / MODEL_FILE)
        except (OSError, ValueError, EOFError, ImportError, AttributeError, KeyError) as error:
            raise DecisionModelMissing(
                f"no usable decision model in {folder} ({type(error).__name__}): run `make index` to train it."
            ) from error
        if parts.get("format") != FORMAT or meta.get("format") != FORMAT:
            raise DecisionModelMissing(f"the decision model in {folder} is of another format: run `make index`.")
        return cls(
            parts["reranker"],
            parts["text"],
            parts["vector"],
            parts["answerable"],
            parts["top"],
            Thresholds(**meta["thresholds"]),
            meta,
        )
