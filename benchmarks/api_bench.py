"""Catalog API figures, in process (no network): start-up, /services/{code}, /services?q=, /search,
the process's peak resident memory, the embedding backend and whether torch was loaded at all.

Each route is timed twice: through FastAPI's TestClient (a worker thread and a blocking portal per
request, a few milliseconds of its own) and straight on the ASGI app in one event loop (httpx's
ASGITransport), which is what the route itself costs. Listing queries are the first words of our own
questions, so most miss the snapshot's filter cache.

Usage: python -m benchmarks.api_bench   (JSON on the last line)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from benchmarks.timing import measure, measure_async
from knowledge.catalog_file import DEFAULT_DIR, iter_records


def _questions() -> list[str]:
    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "questions.jsonl"
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _name_queries() -> list[str]:
    """Two or three leading words of each question: what a citizen types into a name filter."""
    return [" ".join(q.split()[: 2 + i % 2]) for i, q in enumerate(_questions())]


async def _direct(app: FastAPI, codes: list[str], queries: list[str]) -> dict[str, object]:
    code_cycle, query_cycle = itertools.cycle(codes), itertools.cycle(queries)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://catalog") as client:
            return {
                "get_service_asgi": await measure_async(lambda: client.get(f"/services/{next(code_cycle)}"), 1000),
                "list_services_q_asgi": await measure_async(
                    lambda: client.get("/services", params={"q": next(query_cycle)}), 500
                ),
            }


def main() -> int:
    codes = [r.code for r in itertools.islice(iter_records(), 0, None, 50)]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'catalog.sqlite'}"
        # In process, from TestClient's address "testclient": not a citizen to limit (api/security.py).
        settings = Settings(
            database_url=url, catalog_dir=DEFAULT_DIR, search_enabled=False, api_rate_limit_exempt="testclient"
        )
        figures: dict[str, object] = {}
        for label in ("startup_first_load_s", "startup_s"):
            started = time.perf_counter()
            with TestClient(create_app(settings)) as client:
                figures[label] = round(time.perf_counter() - started, 3)
        with TestClient(create_app(settings)) as client:
            code_cycle = itertools.cycle(codes)
            query_cycle = itertools.cycle(_name_queries())
            figures["get_service"] = measure(lambda: client.get(f"/services/{next(code_cycle)}"), 1000)
            figures["list_services_q"] = measure(lambda: client.get("/services", params={"q": next(query_cycle)}), 500)
            figures["stats"] = measure(lambda: client.get("/stats"), 100)
        figures |= asyncio.run(_direct(create_app(settings), codes, _name_queries()[1::2]))
        started = time.perf_counter()
        with TestClient(create_app(settings.model_copy(update={"search_enabled": True}))) as client:
            figures["startup_with_search_s"] = round(time.perf_counter() - started, 3)
            embedder = client.app.state.search.searcher.embedder  # type: ignore[attr-defined]
            figures["embedding_backend"] = embedder.backend if embedder is not None else None
            questions = itertools.cycle(_questions())
            figures["search"] = measure(lambda: client.get("/search", params={"q": next(questions)}), 300)
        figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        figures["torch_loaded"] = "torch" in sys.modules
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]  # 2 shared cores: context for the figures
    for key, value in figures.items():
        print(f"{key}: {value}", file=sys.stderr)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
