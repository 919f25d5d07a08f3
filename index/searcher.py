"""Hybrid search: dense and lexical rankings fused by weighted reciprocal rank, one hit per
procedure, general citizen versions before their special variants."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from index.bundle import SearchIndex
from index.embedder import Embedder
from knowledge.aliases import Aliases
from knowledge.normalize import fold, normalize

VARIANTS_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "variants.yml"
RRF_K = 60


@dataclass(frozen=True)
class Weights:
    dense: float = 1.0
    lexical: float = 1.0
    variant_penalty: float = 0.9  # a variant the question did not ask for keeps 90 % of its score
    depth: int = 100  # passages taken from each retriever
    kinds: frozenset[str] | None = None  # passage kinds searched; None: all (a subset is a baseline)


@dataclass
class Hit:
    code: str
    name: str
    score: float
    matched: str
    dense_score: float
    variant_of: str | None = None
    retrievers: dict[str, int] = field(default_factory=dict)


@lru_cache
def variant_markers(path: Path = VARIANTS_PATH) -> tuple[str, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(fold(m) for m in data.get("markers", []))


class Searcher:
    def __init__(
        self,
        index: SearchIndex,
        embedder: Embedder | None,
        names: dict[str, str],
        aliases: Aliases,
        weights: Weights | None = None,
    ) -> None:
        self.index = index
        self.embedder = embedder  # None: lexical only (a measured baseline)
        self.names = names
        self.aliases = aliases
        self.weights = weights or Weights()

    def search(self, query: str, k: int = 5, allowed: Container[str] | None = None) -> list[Hit]:
        text = self.aliases.expand(normalize(query))
        if not text:
            return []
        narrowed = allowed is not None or self.weights.kinds is not None
        depth = self.weights.depth * (10 if narrowed else 1)
        ranked: dict[str, list[tuple[int, float]]] = {"lexical": self.index.lexical.search(text, depth)}
        if self.embedder is not None and self.weights.dense > 0:
            vector = self.embedder.encode_queries([text])[0]
            ranked["dense"] = self.index.dense.search(vector, depth)
        hits = self._fuse(ranked, allowed)
        self._prefer_general(hits, fold(query))
        return hits[:k]

    def _fuse(self, ranked: dict[str, list[tuple[int, float]]], allowed: Container[str] | None) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for retriever, results in ranked.items():
            weight = getattr(self.weights, retriever)
            seen: set[str] = set()
            for passage_id, score in results:
                passage = self.index.passages[passage_id]
                if self.weights.kinds is not None and passage.kind not in self.weights.kinds:
                    continue
                code = passage.code
                if code in seen or (allowed is not None and code not in allowed):
                    continue
                seen.add(code)  # a procedure's rank is its best passage's rank
                hit = hits.get(code)
                if hit is None:
                    hit = hits[code] = Hit(code, self.names.get(code, code), 0.0, passage.text, 0.0)
                hit.score += weight / (RRF_K + len(seen))
                hit.retrievers[retriever] = len(seen)
                if retriever == "dense":
                    hit.dense_score = score
                    hit.matched = passage.text
        return sorted(hits.values(), key=lambda h: (-h.score, h.code))

    def _prefer_general(self, hits: list[Hit], folded_query: str) -> None:
        markers = [m for m in variant_markers() if m not in folded_query]
        general: dict[str, Hit] = {}
        for hit in hits:
            folded_name = fold(hit.name)
            unasked = [m for m in markers if m in folded_name]
            if not unasked:
                general.setdefault(_base(folded_name, ()), hit)
                continue
            hit.score *= self.weights.variant_penalty
            base = _base(folded_name, unasked)
            hit.variant_of = base  # resolved to a code below
        for hit in hits:
            if hit.variant_of is not None:
                match = general.get(hit.variant_of)
                hit.variant_of = match.code if match else None
                if match is not None and match.score <= hit.score:
                    match.score = hit.score + 1e-9
        hits.sort(key=lambda h: (-h.score, h.code))


def _base(folded_name: str, markers: tuple[str, ...] | list[str]) -> str:
    for marker in markers:
        folded_name = folded_name.replace(marker, " ")
    words = folded_name.replace("thu tuc", " ").split()
    return " ".join(words)
