"""Operating points of the decision model, chosen on out-of-fold predictions: the curve of right
answers against abstentions, and the precision of answering the first choice alone."""

from __future__ import annotations

from typing import Any

import numpy as np

from index.decision import Thresholds
from index.decision_fit import ABSENT_WEIGHT, Sample, Stage

# The first choice is answered where it is right this often (out of fold), the others offered beside it;
# it is answered alone, without them, where it is right this often.
ANSWER_PRECISION = 0.85
ALONE_PRECISION = 0.95
CURVE = tuple(round(t, 2) for t in np.arange(0.05, 0.95, 0.05))


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
