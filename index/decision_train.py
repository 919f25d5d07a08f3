"""`python -m index.decision_train` (run by `make index`): train the decision model and choose its
operating points from grouped cross-validation.

Examples: every labelled question (index/labelled.py), and for each answerable one the same question
with its gold procedures (and their namesakes) hidden from the catalog, which is what a question about a
procedure the catalog lacks looks like to the search. Folds are grouped by gold procedure, so a
procedure's questions, and their hidden copies, are never on both sides of a fold.

Prints the precision/coverage curve of the out-of-fold predictions, the thresholds chosen from it, the
figures on the held-out questions, and the model folder on its last line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Container
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from index.decision import MAX_CHOICES, DecisionModel, Thresholds, _fold_question
from index.embedding_cache import EmbeddingCache
from index.features import FeatureSpace
from index.labelled import HELD_OUT_FILE, TRAINING_FILES, LabelledQuestion, read_labelled
from index.model_files import cache_root
from index.searcher import Searcher

FOLDS = 5
SEED = 7
# Hidden-gold copies outnumber the written negatives two to one; weighted so that they make about two
# fifths of the negative mass: the catalog holds most national procedures, so among questions it cannot
# answer, those about a procedure it lacks are the minority (legal opinions, portal problems, chit-chat).
ABSENT_WEIGHT = 0.3
SECOND_C = 0.1  # inverse regularisation of the second-stage models
TEXT_C = 0.5  # of the question classifier over characters
# The first choice is answered where it is right this often (out of fold), the others offered beside it;
# it is answered alone, without them, where it is right this often.
ANSWER_PRECISION = 0.85
ALONE_PRECISION = 0.95
CURVE = tuple(round(t, 2) for t in np.arange(0.05, 0.95, 0.05))
_KEY_FILES = (
    "features.py",
    "decision.py",
    "decision_train.py",
    "labelled.py",
    "searcher.py",
    "query.py",
    "restore.py",
)


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


def in_catalog(questions: list[LabelledQuestion], catalog: Container[str]) -> list[LabelledQuestion]:
    """The questions as this catalog can answer them: gold codes it lacks dropped, and answerable
    questions none of whose procedures it holds left out (a small or provincial catalog)."""
    out = []
    for question in questions:
        gold = frozenset(code for code in question.gold if code in catalog)
        if question.answerable and not gold:
            continue
        out.append(replace(question, gold=gold))
    return out


def decision_key(index_folder: Path) -> str:
    """The decision model depends on the index, the labelled questions, the cue phrases and this code."""
    import lightgbm
    import sklearn

    digest = hashlib.sha256(index_folder.name.encode())
    here = Path(__file__).resolve().parent
    for path in (*TRAINING_FILES, here.parent / "knowledge" / "question_kinds.yml"):
        digest.update(path.read_bytes())
    digest.update((here.parent / "knowledge" / "question_frames.yml").read_bytes())
    for name in _KEY_FILES:
        digest.update((here / name).read_bytes())
    digest.update(f"{sklearn.__version__} {lightgbm.__version__}".encode())
    return digest.hexdigest()[:12]


def samples(space: FeatureSpace, questions: list[LabelledQuestion], with_absent: bool) -> list[Sample]:
    searcher = space.searcher
    by_name: dict[str, list[str]] = {}
    for code, key in searcher.name_keys.items():
        by_name.setdefault(key, []).append(code)
    out = []
    for number, question in enumerate(tqdm(questions, desc="Đặc trưng câu hỏi", unit="câu", file=sys.stderr)):
        group = f"procedure:{min(question.gold)}" if question.gold else f"question:{number}"
        hidden_sets: list[tuple[bool, frozenset[str]]] = [(False, frozenset())]
        if with_absent and question.answerable:
            namesakes = {c for code in question.gold for c in by_name.get(searcher.name_keys.get(code, code), [code])}
            hidden_sets.append((True, frozenset(namesakes | question.gold)))
        for absent, hidden_codes in hidden_sets:
            run = searcher.run(question.question, excluded=hidden_codes)
            terms = space.query_term_ids(run)
            candidates = space.candidates(run, terms)
            relevant = np.asarray([h.code in question.gold for h in run.hits[: len(candidates)]], dtype=bool)
            out.append(Sample(question, absent, group, run, terms, candidates, relevant & (not absent)))
    return out


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


def folds(items: list[Sample]) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    groups = [s.group for s in items]
    return list(GroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED).split(items, groups=groups))


def out_of_fold(space: FeatureSpace, items: list[Sample]) -> tuple[list[Stage], np.ndarray, np.ndarray]:
    """Out-of-fold second-stage inputs and probabilities (P right among the choices, P first right)."""
    splits = folds(items)
    stages: list[Stage | None] = [None] * len(items)
    for train_idx, test_idx in tqdm(splits, desc="Kiểm định chéo (1)", unit="phần", file=sys.stderr):
        model = fit_first([items[i] for i in train_idx])
        for i in test_idx:
            stages[i] = first_stage(model, space, items[i])
    done = [s for s in stages if s is not None]
    weights = np.asarray([s.weight for s in items])
    p_any, p_top = np.zeros(len(items)), np.zeros(len(items))
    for train_idx, test_idx in tqdm(splits, desc="Kiểm định chéo (2)", unit="phần", file=sys.stderr):
        answerable, top = fit_second([done[i] for i in train_idx], weights[train_idx])
        x = np.vstack([done[i].features for i in test_idx])
        p_any[test_idx], p_top[test_idx] = answerable.predict_proba(x)[:, 1], top.predict_proba(x)[:, 1]
    return done, p_any, p_top


def curve(items: list[Sample], stages: list[Stage], p_any: np.ndarray) -> list[dict[str, float]]:
    """For each threshold on P(right among the choices): the share of answerable questions whose reply
    would hold the right procedure, and of the others that would get no procedure."""
    positive = np.asarray([s.positive for s in items])
    absent = np.asarray([s.absent for s in items])
    written = ~positive & ~absent
    right = np.asarray([st.any_right for st in stages])
    rows = []
    for t in CURVE:
        shown = p_any >= t
        rows.append(
            {
                "threshold": t,
                "right_code": round(float((shown & right)[positive].mean()), 4),
                "abstained_written": round(float((~shown)[written].mean()), 4),
                "abstained_absent": round(float((~shown)[absent].mean()), 4),
                "abstained": round(float(_weighted_abstention(shown, written, absent)), 4),
            }
        )
    return rows


def _weighted_abstention(shown: np.ndarray, written: np.ndarray, absent: np.ndarray) -> float:
    weight = written * 1.0 + absent * ABSENT_WEIGHT
    return float(((~shown) * weight).sum() / weight.sum())


def choose_thresholds(
    items: list[Sample], stages: list[Stage], p_any: np.ndarray, p_top: np.ndarray
) -> tuple[Thresholds, dict[str, Any]]:
    """none_below: the point of the curve where replies hold the right procedure and the written
    unanswerable questions get none most often together (the sum of both shares; the hidden-gold copies
    teach the model but are synthetic, so they do not choose the point); answer_from: the lowest P(first
    right) whose answers are right at least ANSWER_PRECISION of the time, out of fold (hidden-gold copies
    weighted as in training)."""
    points = curve(items, stages, p_any)
    best = max(points, key=lambda p: (p["right_code"] + p["abstained_written"], p["threshold"]))
    none_below = best["threshold"]
    first_right = np.asarray([st.first_right for st in stages])
    positive = np.asarray([s.positive for s in items])
    weight = np.asarray([s.weight for s in items])  # hidden-gold copies count as in training
    kept = p_any >= none_below
    answer_points = []
    for t in np.round(np.arange(0.3, 0.96, 0.05), 2):
        answered = kept & (p_top >= t)
        if answered.sum() >= 10:
            precision = float((first_right * weight)[answered].sum() / weight[answered].sum())
            coverage = float(answered[positive].mean())
            answer_points.append(
                {"threshold": float(t), "precision": round(precision, 4), "answered": round(coverage, 4)}
            )
    answer_from, precision, coverage = _lowest(answer_points, ANSWER_PRECISION)
    alone_from, _, alone_coverage = _lowest(answer_points, ALONE_PRECISION)
    report = {
        "curve": points,
        "chosen": best,
        "answer_curve": answer_points,
        "answer_precision": round(precision, 4),
        "answered": round(coverage, 4),
        "answered_alone": round(alone_coverage, 4),
    }
    return Thresholds(none_below=float(none_below), answer_from=answer_from, alone_from=alone_from), report


def _lowest(points: list[dict[str, float]], precision: float) -> tuple[float, float, float]:
    """The lowest threshold whose answers are right at least ``precision`` of the time: (threshold,
    precision, share of answerable questions answered); 1.0 (never) when none is."""
    good = [p for p in points if p["precision"] >= precision]
    if not good:
        return 1.0, 1.0, 0.0
    best = min(good, key=lambda p: p["threshold"])
    return best["threshold"], best["precision"], best["answered"]


def held_out_figures(model: DecisionModel, space: FeatureSpace, path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    rows = read_labelled(path)
    answerable = [q for q in rows if q.answerable]
    others = [q for q in rows if not q.answerable]
    right = abstained = single = 0
    for q in rows:
        _, decision = model.decide(space, space.searcher.run(q.question))
        codes = {c.code for c in (*decision.choices, *decision.alternatives)}
        if q.answerable:
            right += bool(q.gold & codes)
            single += decision.kind == "answer" and not decision.alternatives and bool(q.gold & codes)
        else:
            abstained += decision.kind == "none"
    return {
        "file": str(path.relative_to(path.parents[2])),
        "n_answerable": len(answerable),
        "right_code": round(right / max(1, len(answerable)), 4),
        "right_single": round(single / max(1, len(answerable)), 4),
        "n_unanswerable": len(others),
        "abstained": round(abstained / max(1, len(others)), 4),
    }


def train(searcher: Searcher) -> DecisionModel:
    """Train on the labelled questions; their vectors are kept between trainings (a catalog or code
    change retrains without re-encoding them)."""
    cache = EmbeddingCache(query_cache_path(searcher))
    searcher.query_cache = cache
    try:
        return _train(searcher)
    finally:
        searcher.query_cache = None
        cache.save()


def query_cache_path(searcher: Searcher) -> Path:
    meta = searcher.index.meta
    encoder = meta.get("encoder_sha256") or meta.get("model_sha256") or meta.get("model") or "lexical"
    return cache_root() / "embeddings" / f"{encoder}-queries.npz"


def _train(searcher: Searcher) -> DecisionModel:
    started = time.perf_counter()
    space = FeatureSpace(searcher)
    questions = in_catalog([q for path in TRAINING_FILES for q in read_labelled(path)], searcher.names)
    items = samples(space, questions, with_absent=True)
    stages, p_any, p_top = out_of_fold(space, items)
    thresholds, report = choose_thresholds(items, stages, p_any, p_top)
    model = fit_first(items)
    final = [first_stage(model, space, s) for s in items]
    model.answerable, model.top = fit_second(final, np.asarray([s.weight for s in items]))
    model.thresholds = thresholds
    positive = [s for s in items if s.positive]
    model.meta = {
        "trained_on": {
            "answerable": len(positive),
            "unanswerable_written": sum(1 for s in items if not s.positive and not s.absent),
            "gold_hidden": sum(1 for s in items if s.absent),
            "files": [str(p.relative_to(p.parents[2])) for p in TRAINING_FILES],
        },
        "cross_validation": report,
        "rerank_out_of_fold": _rerank_figures(positive, stages, items),
        "held_out": held_out_figures(model, space, HELD_OUT_FILE),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    return model


def _rerank_figures(positive: list[Sample], stages: list[Stage], items: list[Sample]) -> dict[str, float]:
    """hit@1 of the fused order against the re-ranked first choice, out of fold, on answerable questions."""
    index = {id(s): i for i, s in enumerate(items)}
    fused = sum(1 for s in positive if s.run.hits and s.run.hits[0].code in s.question.gold) / len(positive)
    reranked = sum(1 for s in positive if stages[index[id(s)]].first_right) / len(positive)
    return {"fused_hit@1": round(fused, 4), "reranked_hit@1": round(reranked, 4), "n": len(positive)}


def print_report(model: DecisionModel) -> None:
    meta = model.meta
    cv = meta["cross_validation"]
    print("P(đúng thủ tục trong các lựa chọn) ≥ t  | trả lời có mã đúng | từ chối (viết tay / ẩn mã / chung)")
    for p in cv["curve"]:
        mark = "  ←" if p["threshold"] == cv["chosen"]["threshold"] else ""
        print(
            f"  t={p['threshold']:.2f}  {p['right_code']:.3f}  "
            f"{p['abstained_written']:.3f} / {p['abstained_absent']:.3f} / {p['abstained']:.3f}{mark}"
        )
    print(
        f"none_below={model.thresholds.none_below} answer_from={model.thresholds.answer_from} "
        f"(precision {cv['answer_precision']}, answered {cv.get('answered')}) "
        f"alone_from={model.thresholds.alone_from} (answered alone {cv['answered_alone']})"
    )
    print("P(thủ tục đầu đúng) ≥ t | độ chính xác | trả lời một thủ tục")
    for p in cv.get("answer_curve", []):
        mark = "  ←" if p["threshold"] in (model.thresholds.answer_from, model.thresholds.alone_from) else ""
        print(f"  t={p['threshold']:.2f}  {p['precision']:.3f}  {p['answered']:.3f}{mark}")
    print(f"re-ranking, out of fold: {meta['rerank_out_of_fold']}")
    print(f"held out: {meta['held_out']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Huấn luyện mô hình quyết định trả lời / hỏi lại / không tìm thấy.")
    parser.add_argument("--force", action="store_true", help="huấn luyện lại kể cả khi đã có")
    args = parser.parse_args(argv)
    from index.service import decision_folder, load_searcher, save_decision

    searcher = load_searcher(build_missing=True)
    folder = decision_folder(searcher)
    if folder.is_dir() and not args.force:
        model = DecisionModel.load(folder)
    else:
        model = train(searcher)
        save_decision(model, folder)
    print_report(model)
    print(json.dumps({"decision_model": str(folder), **model.meta.get("held_out", {})}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
