"""The decision model's fitted parts: the re-ranker, the two question classifiers (characters and
sentence vector) and the second stage that turns the first stage's output into P(right among the
choices) and P(first choice right). `index.decision_train` fits them fold by fold and on everything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from index.decision import MAX_CHOICES, DecisionModel, Thresholds, _fold_question
from index.features import FeatureSpace
from index.labelled import LabelledQuestion

SEED = 7
# Hidden-gold copies outnumber the written negatives two to one; weighted so that they make about two
# fifths of the negative mass: the catalog holds most national procedures, so among questions it cannot
# answer, those about a procedure it lacks are the minority (legal opinions, portal problems, chit-chat).
ABSENT_WEIGHT = 0.3
SECOND_C = 0.1  # inverse regularisation of the second-stage models
TEXT_C = 0.5  # of the question classifier over characters


@dataclass
class Sample:
    question: LabelledQuestion
    absent: bool  # the gold procedures were hidden from the catalog
    group: str
    run: Any
    terms: np.ndarray
    candidates: np.ndarray
    relevant: np.ndarray  # per candidate: a gold procedure

    @property
    def positive(self) -> bool:
        return self.question.answerable and not self.absent

    @property
    def weight(self) -> float:
        return ABSENT_WEIGHT if self.absent else 1.0


def _lgbm(n_estimators: int) -> Any:
    import lightgbm

    return lightgbm.LGBMClassifier(
        n_estimators=n_estimators,
        learning_rate=0.03 if n_estimators > 200 else 0.05,
        num_leaves=15,
        min_child_samples=20,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        random_state=SEED,
        n_jobs=1,
        deterministic=True,
        force_row_wise=True,
        verbose=-1,
    )


def fit_reranker(train: list[Sample]) -> Any:
    rows = [s for s in train if s.positive and len(s.candidates)]
    x = np.vstack([s.candidates for s in rows])
    y = np.concatenate([s.relevant for s in rows]).astype(int)
    return _lgbm(200).fit(x, y).booster_


def fit_text(train: list[Sample]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rows = [s for s in train if not s.absent]
    model = make_pipeline(
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, preprocessor=_fold_question
        ),
        LogisticRegression(C=TEXT_C, max_iter=3000),
    )
    return model.fit([s.run.question for s in rows], [int(s.question.answerable) for s in rows])


def fit_vector(train: list[Sample]) -> Any:
    from sklearn.linear_model import LogisticRegression

    rows = [s for s in train if not s.absent and s.run.vector is not None]
    if not rows:
        return None
    x = np.vstack([s.run.vector for s in rows])
    return LogisticRegression(max_iter=3000).fit(x, [int(s.question.answerable) for s in rows])


@dataclass
class Stage:
    """What one fitted first stage says about a sample: the choices' rows and probabilities, the question
    classifiers' probabilities, and the labels of the second stage."""

    features: np.ndarray
    any_right: bool  # a gold procedure among the choices
    first_right: bool


def first_stage(model: DecisionModel, space: FeatureSpace, sample: Sample) -> Stage:
    probabilities = model.rank_probabilities(sample.candidates)
    head = sample.run.hits[: len(probabilities)]
    groups = model.choice_groups(space, head, probabilities)[:MAX_CHOICES]
    best = [(g[0], float(probabilities[g[0]])) for g in groups]
    text_p, vector_p = model.question_probabilities(sample.run)
    features = model.answer_features(space, sample.run, sample.terms, sample.candidates, best, text_p, vector_p)
    choice_codes = [DecisionModel._choice(space, head, g, probabilities).code for g in groups]
    gold = sample.question.gold if sample.positive else frozenset()
    any_right = bool(gold & set(choice_codes))
    first_right = bool(choice_codes) and choice_codes[0] in gold
    return Stage(features, any_right, first_right)


def _placeholder_thresholds() -> Thresholds:
    return Thresholds(none_below=0.5, answer_from=0.5)


def fit_first(train: list[Sample]) -> DecisionModel:
    return DecisionModel(fit_reranker(train), fit_text(train), fit_vector(train), None, None, _placeholder_thresholds())


def _second_model() -> Any:
    """A strongly regularised logistic regression: our own questions are easier to tell apart than real
    ones (a boosted model learned to trust the question classifiers' style cues far too much: on
    held-out questions, 0.74 right against 0.83 for this one, same abstention)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=SECOND_C, max_iter=5000))


def fit_second(stages: list[Stage], weights: np.ndarray) -> tuple[Any, Any]:
    x = np.vstack([s.features for s in stages])
    fit = {"logisticregression__sample_weight": weights}
    answerable = _second_model().fit(x, [int(s.any_right) for s in stages], **fit)
    top = _second_model().fit(x, [int(s.first_right) for s in stages], **fit)
    return answerable, top
