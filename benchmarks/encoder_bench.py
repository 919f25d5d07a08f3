"""Encoder figures per backend: one-question latency and passage throughput on real catalog text.

Usage: python -m benchmarks.encoder_bench [--backends onnx-int8,torch] [--passages 2000]
(JSON on the last line). Each backend runs in this process one after the other, so compare them on
the same machine state; the index build rate itself is in the index's meta.json (embedded_per_second).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.timing import measure
from index.embedder import BACKENDS, Embedder, load_embedder
from index.passages import DENSE_KINDS, passages_for
from knowledge.aliases import load_aliases
from knowledge.catalog_file import iter_records

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "data" / "questions.jsonl"


def real_passages(count: int) -> list[str]:
    aliases = load_aliases()
    texts = [p.text for r in iter_records() for p in passages_for(r, aliases) if p.kind in DENSE_KINDS]
    return texts[:: max(1, len(texts) // count)][:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    passages = real_passages(args.passages)
    figures: dict[str, object] = {"load_average": [round(x, 2) for x in os.getloadavg()]}
    for backend in args.backends.split(","):
        started = time.perf_counter()
        embedder = load_embedder(backend=backend)
        load_s = time.perf_counter() - started
        cycle = itertools.cycle(questions)

        def one_question(encoder: Embedder = embedder, cycle: Iterator[str] = cycle) -> None:
            encoder.encode_queries([next(cycle)])

        query = measure(one_question, args.queries)
        started, cpu_started = time.perf_counter(), time.process_time()
        embedder.encode_passages(passages, batch_size=64)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        figures[backend] = {
            "load_s": round(load_s, 2),
            "query": query,
            "passages_per_s": round(len(passages) / wall, 1),
            # CPU seconds spent (all threads): on a busy machine, passages per CPU-second times the
            # cores is what the same run would reach alone on them.
            "passages_per_cpu_s": round(len(passages) / cpu, 1),
        }
        print(f"{backend}: {figures[backend]}", file=sys.stderr)
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
