"""Hybrid search: dense and lexical rankings fused by weighted reciprocal rank, one hit per
procedure, general citizen versions before their special variants."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

from index.embedder import Embedder
from index.embedding_cache import EmbeddingCache
from index.search_index import SearchIndex
from knowledge.aliases import Aliases
from vitext.frames import strip_frame
from vitext.normalize import fold, normalize, words
from vitext.restore import DiacriticRestorer

RRF_K = 60
VARIANT_WINDOW = 20  # hits compared with each other for general-versus-variant
NAME_MATCH_WINDOW = 30  # hits whose names are compared with the question
NAMESAKE_WINDOW = 30  # hits among which procedures of the same name are put in order
_NAME_NOISE = {"thu", "tuc"}


@dataclass(frozen=True)
class Weights:
    dense: float = 1.0
    lexical: float = 1.0
    variant_penalty: float = 1.0  # score kept by a variant the question did not ask for (measured: 1.0 best)
    # Added times the share of the procedure name's word pairs found in the question (measured on our
    # own questions: 0.005 / 0.01 / 0.02 / 0.04 gave hit@1 0.671 / 0.680 / 0.661 / 0.622, 0 gave 0.627).
    name_match: float = 0.01
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
    lexical_score: float = 0.0
    name_share: float = 0.0  # share of the name's word pairs found in the question
    probability: float | None = None  # the decision model's P(this is the procedure asked about)


@dataclass
class SearchRun:
    """One question through the search: its normalised, frame-stripped and alias-expanded forms, its
    dense vector (None without an embedder) and every fused hit, best first."""

    question: str
    stripped: str
    expanded: str
    vector: np.ndarray | None
    hits: list[Hit]


class Searcher:
    def __init__(
        self,
        index: SearchIndex,
        embedder: Embedder | None,
        names: dict[str, str],
        aliases: Aliases,
        weights: Weights | None = None,
        restorer: DiacriticRestorer | None = None,
        priors: dict[str, float] | None = None,
        support: dict[str, int] | None = None,
    ) -> None:
        self.index = index
        self.embedder = embedder  # None: lexical only (a measured baseline)
        self.names = names
        self.aliases = aliases
        self.weights = weights or Weights()
        self.restorer = restorer
        self.priors = priors or {}  # how likely a procedure is a citizen's answer, before the question
        self.support = support or {}  # how many sources describe a procedure (the national record: several)
        self.index_folder: Path | None = None  # set by index.loader.load_searcher
        self.query_cache: EmbeddingCache | None = None  # while training: question vectors kept between runs
        folded = {code: fold(name) for code, name in names.items()}  # once per name: 6,731 at start-up
        self.name_keys = {code: name.strip(" .") for code, name in folded.items()}
        self.name_words = {code: _words(name) for code, name in folded.items()}
        self._name_pairs = {code: _pairs(name) for code, name in folded.items()}
        # One-word abbreviations ("vat", "mst") are not Vietnamese words typed without diacritics:
        # the restorer would read "vat" as "vật". Aliases that only lack diacritics ("duoc") are read.
        self.abbreviations = frozenset(
            fold(t.alias) for t in aliases.terms if len(words(t.alias)) == 1 and fold(t.expands) != fold(t.alias)
        )

    def search(
        self,
        query: str,
        k: int = 5,
        allowed: Container[str] | None = None,
        excluded: Container[str] = (),
    ) -> list[Hit]:
        """The ``k`` best procedures; ``allowed`` narrows the catalog (filters), ``excluded`` hides some
        procedures as if the catalog lacked them (how the decision model learns what "absent" looks like)."""
        return self.run(query, allowed, excluded).hits[:k]

    def run(self, query: str, allowed: Container[str] | None = None, excluded: Container[str] = ()) -> SearchRun:
        """Every fused hit, best first, with what the question became on the way (for the decision model)."""
        question = normalize(query)
        if not question:
            return SearchRun(question, "", "", None, [])
        stripped = strip_frame(question)
        expanded = self.aliases.expand(stripped)
        narrowed = allowed is not None or self.weights.kinds is not None
        depth = self.weights.depth * (10 if narrowed else 1)
        ranked: dict[str, list[tuple[int, float]]] = {"lexical": self.index.lexical.search(expanded, depth)}
        vector = None
        if self.embedder is not None and self.weights.dense > 0:
            # Every question, partly accented ones included ("làm lai can cuoc"): the restorer keeps
            # accented words as typed and reads the others in their context. Before the expansion,
            # whose words carry diacritics of their own.
            dense_text = expanded
            if self.restorer is not None:
                dense_text = self.aliases.expand(self.restorer.restore(stripped, keep=self.abbreviations))
            if self.query_cache is not None:
                vector = self.query_cache.encode_query(self.embedder, dense_text)
            else:
                vector = self.embedder.encode_queries([dense_text])[0]
            ranked["dense"] = self.index.dense.search(vector, depth)
        hits = self._fuse(ranked, allowed, excluded)
        self._match_names(hits, expanded)
        for hit in hits:
            hit.score *= self.priors.get(hit.code, 1.0)
        self._prefer_general(hits, set(words(fold(question))))
        self._order_namesakes(hits)
        return SearchRun(question, stripped, expanded, vector, hits)

    def _fuse(
        self, ranked: dict[str, list[tuple[int, float]]], allowed: Container[str] | None, excluded: Container[str]
    ) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for retriever, results in ranked.items():
            weight = getattr(self.weights, retriever)
            seen: set[str] = set()
            for passage_id, score in results:
                passage = self.index.passages[passage_id]
                if self.weights.kinds is not None and passage.kind not in self.weights.kinds:
                    continue
                code = passage.code
                if code in seen or code in excluded or (allowed is not None and code not in allowed):
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
                else:
                    hit.lexical_score = score
        return sorted(hits.values(), key=lambda h: (-h.score, h.code))

    def _match_names(self, hits: list[Hit], text: str) -> None:
        """Citizens and officials often quote part of a procedure's name ("xét tặng danh hiệu nghệ sĩ
        ưu tú"): a name whose word pairs the question contains gains up to ``name_match``."""
        if not self.weights.name_match:
            return
        question = set(pairwise(words(fold(text))))
        for hit in hits[:NAME_MATCH_WINDOW]:
            pairs = self._name_pairs.get(hit.code)
            if pairs:
                hit.name_share = len(pairs & question) / len(pairs)
                hit.score += self.weights.name_match * hit.name_share
        hits.sort(key=lambda h: (-h.score, h.code))

    def _order_namesakes(self, hits: list[Hit]) -> None:
        """Procedures with the very same name (the national record and provinces' copies of it, "Cấp
        đổi Giấy chứng nhận quyền sử dụng đất …" eight times) keep their places in the ranking, but the
        one described by the most sources takes the first of them; a copy never outranks it by noise."""
        window = hits[:NAMESAKE_WINDOW]
        for slots in _slots_by_name(window, self.name_keys):
            members = sorted((window[i] for i in slots), key=lambda h: -self.support.get(h.code, 0))  # stable
            scores = [window[i].score for i in slots]
            for slot, member, score in zip(slots, members, scores, strict=True):
                member.score = score
                hits[slot] = member

    def _prefer_general(self, hits: list[Hit], question_words: set[str]) -> None:
        """A procedure whose name is another's plus words the question does not use is a variant of it:
        it is marked, loses a little score, and never ranks above its general version."""
        window = hits[:VARIANT_WINDOW]
        for variant in window:
            words = self.name_words.get(variant.code, set())
            for general in window:
                base = self.name_words.get(general.code, set())
                extra = words - base
                if general is variant or not base or not extra or not base < words:
                    continue
                if len(extra & question_words) * 2 >= len(extra):
                    continue  # the question asks for this variant
                if variant.variant_of is None:
                    variant.variant_of = general.code
                    variant.score *= self.weights.variant_penalty
                if general.score <= variant.score:
                    general.score = variant.score + 1e-9
        hits.sort(key=lambda h: (-h.score, h.code))


def _slots_by_name(hits: list[Hit], keys: dict[str, str]) -> list[list[int]]:
    groups: dict[str, list[int]] = {}
    for position, hit in enumerate(hits):
        groups.setdefault(keys.get(hit.code, hit.code), []).append(position)
    return [slots for slots in groups.values() if len(slots) > 1]


def _words(folded_name: str) -> set[str]:
    return set(words(folded_name)) - _NAME_NOISE


def _pairs(folded_name: str) -> frozenset[tuple[str, str]]:
    return frozenset(pairwise(w for w in words(folded_name) if w not in _NAME_NOISE))
