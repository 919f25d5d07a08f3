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
import json
import sys
import time
from collections.abc import Container
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from index.decision import DecisionModel
from index.decision_fit import SEED, Sample, Stage, first_stage, fit_first, fit_second
from index.decision_points import choose_thresholds
from index.decision_store import decision_folder, save_decision
from index.embedding_cache import EmbeddingCache
from index.features import FeatureSpace
from index.labelled import HELD_OUT_FILE, TRAINING_FILES, LabelledQuestion, read_labelled
from index.model_files import cache_root
from index.searcher import Searcher

FOLDS = 5


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
    from index.build import stored_wordings
    from index.loader import load_searcher

    searcher = load_searcher(build_missing=True, wordings=stored_wordings())
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
