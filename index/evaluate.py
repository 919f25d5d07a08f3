"""`make eval QUESTIONS=file.jsonl`: retrieval metrics on lines {"question", "gold_codes": [...]}.

Rows without gold codes (unanswerable questions) are not scored. Prints per-bucket figures, then
JSON on its last line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from common.questions import read_or_report, read_question_rows
from index.loader import load_searcher
from index.search_service import SearchService, load_service
from index.searcher import Searcher, Weights
from vitext.normalize import has_diacritics

MODES: dict[str, Weights] = {
    # The fused rankings re-ranked by the decision model (what /search returns).
    "hybrid": Weights(),
    # The same fusion without the re-ranker (the hand-tuned order of 2026-12-06).
    "fused": Weights(),
    # Baselines: one retriever each, without the name match (itself a lexical signal).
    "lexical": Weights(dense=0.0, name_match=0.0),
    "dense": Weights(lexical=0.0, name_match=0.0),
    "dense-titles": Weights(lexical=0.0, kinds=frozenset({"name"}), name_match=0.0),
}
DEPTH = 10  # hits scored (MRR@10)
# Where the gold lands among all fused hits (each retriever gives 100 passages): how much a better
# ordering of the candidates could still win, against what they do not contain at all.
ALL_HITS = 10_000
RANK_BANDS = (("1", 1), ("2-5", 5), ("6-20", 20), ("21+", ALL_HITS))


def read_questions(path: Path) -> list[dict[str, Any]]:
    rows = []
    for row in read_question_rows(path):
        if row.gold:
            accented = row.data.get("has_diacritics")
            rows.append(
                {
                    "question": row.question,
                    "gold": set(row.gold),
                    "accented": has_diacritics(row.question) if accented is None else bool(accented),
                    "attribute": row.data.get("attribute", "general"),
                }
            )
    return rows


def score(
    searcher: Searcher | SearchService, rows: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    ranks: list[int | None] = []
    full_ranks: list[int | None] = []
    latencies = []
    for row in tqdm(rows, desc="Đánh giá", unit="câu", file=sys.stderr):
        started = time.perf_counter()
        codes = [hit.code for hit in searcher.search(row["question"], k=ALL_HITS)]
        latencies.append((time.perf_counter() - started) * 1000)
        rank = next((i + 1 for i, c in enumerate(codes) if c in row["gold"]), None)
        full_ranks.append(rank)
        ranks.append(rank if rank is not None and rank <= DEPTH else None)
        row["top"] = codes[:3]
    figures: dict[str, Any] = _metrics(ranks)
    figures["gold_rank"] = _bands(full_ranks)
    buckets: dict[str, list[int | None]] = defaultdict(list)
    for row, rank in zip(rows, ranks, strict=True):
        buckets["diacritics" if row["accented"] else "no_diacritics"].append(rank)
        buckets[f"attribute:{row['attribute']}"].append(rank)
    per_bucket = {name: _metrics(r) for name, r in sorted(buckets.items())}
    for name in ("diacritics", "no_diacritics"):
        for metric, value in per_bucket.get(name, _metrics([])).items():
            figures[f"{metric}_{name}" if metric != "n" else f"n_{name}"] = value
    figures["p50_ms"] = round(statistics.median(latencies), 1) if latencies else None
    failures = [r for r, rank in zip(rows, ranks, strict=True) if rank != 1]
    return figures | {"buckets": per_bucket}, failures


def _bands(ranks: list[int | None]) -> dict[str, int]:
    bands = dict.fromkeys([label for label, _ in RANK_BANDS] + ["absent"], 0)
    for rank in ranks:
        bands[next((label for label, top in RANK_BANDS if rank is not None and rank <= top), "absent")] += 1
    return bands


def _metrics(ranks: list[int | None]) -> dict[str, Any]:
    n = len(ranks)
    if n == 0:
        return {"n": 0, "hit@1": None, "hit@5": None, "mrr": None}
    return {
        "n": n,
        "hit@1": round(sum(r == 1 for r in ranks) / n, 4),
        "hit@5": round(sum(r is not None and r <= 5 for r in ranks) / n, 4),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo chất lượng tìm kiếm thủ tục trên một tệp câu hỏi.")
    parser.add_argument("questions", type=Path)
    parser.add_argument("--mode", choices=sorted(MODES), default="hybrid")
    parser.add_argument("--failures", type=int, default=0, help="in ra N câu trả sai đầu tiên")
    args = parser.parse_args(argv)
    rows = read_or_report(read_questions, args.questions)
    if rows is None:
        return 2
    searcher: Searcher | SearchService
    if args.mode == "hybrid":
        searcher = load_service(build_missing=True)
    else:
        searcher = load_searcher(weights=MODES[args.mode], build_missing=True)
    figures, failures = score(searcher, rows)
    buckets = figures.pop("buckets")
    for name, values in buckets.items():
        print(f"{name:32s} n={values['n']:4d} hit@1={values['hit@1']} hit@5={values['hit@5']} mrr={values['mrr']}")
    print("gold rank among all hits: " + ", ".join(f"{band}: {count}" for band, count in figures["gold_rank"].items()))
    for row in failures[: args.failures]:
        print(f"  ✗ {row['question'][:90]!r} gold={sorted(row['gold'])} top={row['top']}")
    print(json.dumps({"mode": args.mode, "questions": str(args.questions), **figures}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
