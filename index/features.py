"""Features of one search run for the decision model (index/decision.py).

Per candidate: how well a hit matches the question (its fused score and ranks, dense cosine of its best
passage and of its name, BM25 score, how much of the question's IDF mass its text covers, name-pair
share, how many sources describe it, how many namesakes it has). Per question: what kind of question it
is (cue phrases of knowledge/question_kinds.yml, length, script) and how much of it the best hits cover.
Everything here is computed from what the search has already done; the model decides what it means.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse

from index.searcher import Searcher, SearchRun
from vitext.frames import frames
from vitext.normalize import fold, has_diacritics, words
from vitext.tokens import query_terms

KINDS_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "question_kinds.yml"
CANDIDATE_DEPTH = 30  # hits the model looks at (and may re-rank)
ABSENT_RANK = 200  # the rank given to a retriever that did not return the hit at all
_NAME_NOISE = frozenset({"thu", "tuc"})

CANDIDATE_FEATURES = (
    "log_position",
    "fused_score",
    "fused_gap",
    "dense_cosine",
    "dense_gap",
    "log_dense_rank",
    "in_dense",
    "lexical_share",
    "log_lexical_rank",
    "in_lexical",
    "name_pair_share",
    "question_words_in_name",
    "name_words_in_question",
    "prior",
    "log_sources",
    "log_namesakes",
    "is_variant",
    "name_length",
    "idf_coverage",
    "idf_coverage_gap",
    "max_missing_idf",
    "name_cosine",
    "name_cosine_gap",
    "name_idf_coverage",
    "max_missing_name_idf",
)


@dataclass(frozen=True)
class QuestionKinds:
    """Cue phrases per kind of question, and the words that name no procedure (accent-folded)."""

    cues: dict[str, tuple[tuple[str, ...], ...]]
    filler_phrases: tuple[tuple[str, ...], ...]
    filler_words: frozenset[str]

    def count(self, tokens: list[str]) -> dict[str, int]:
        return {kind: sum(_occurrences(tokens, p) for p in phrases) for kind, phrases in self.cues.items()}

    def content_words(self, tokens: list[str]) -> list[str]:
        """The words left once filler phrases (longest first) and filler words are dropped."""
        keep = [True] * len(tokens)
        for phrase in self.filler_phrases:
            size = len(phrase)
            for start in range(len(tokens) - size + 1):
                if tuple(tokens[start : start + size]) == phrase and all(keep[start : start + size]):
                    keep[start : start + size] = [False] * size
        return [t for t, k in zip(tokens, keep, strict=True) if k and t not in self.filler_words and not t.isdigit()]


@lru_cache
def question_kinds(path: Path = KINDS_PATH) -> QuestionKinds:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def phrases(items: list[object]) -> tuple[tuple[str, ...], ...]:
        folded = {tuple(words(fold(str(item)))) for item in items}
        return tuple(sorted((p for p in folded if p), key=lambda p: (-len(p), p)))

    return QuestionKinds(
        cues={kind: phrases(items or []) for kind, items in sorted((data.get("kinds") or {}).items())},
        # The question frames ("mất bao lâu", "cần giấy tờ gì") name no procedure either.
        filler_phrases=phrases([*(data.get("filler_phrases") or []), *(" ".join(f) for f in frames())]),
        filler_words=frozenset(fold(str(w)) for w in data.get("filler_words") or []),
    )


def _occurrences(tokens: list[str], phrase: tuple[str, ...]) -> int:
    size = len(phrase)
    return sum(1 for i in range(len(tokens) - size + 1) if tuple(tokens[i : i + size]) == phrase)


def _name_terms(folded: str) -> list[str]:
    """Syllables and adjacent syllable pairs of an accent-folded name or question ("thu_hoi")."""
    parts = [w for w in words(folded) if w not in _NAME_NOISE]
    return parts + [f"{a}_{b}" for a, b in pairwise(parts)]


def non_latin_share(text: str) -> float:
    """Share of letters outside the Latin script (a question in Chinese, Korean, Japanese …)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "LATIN" not in unicodedata.name(c, "")) / len(letters)


class FeatureSpace:
    """What the features need from the index, computed once at start-up: each procedure's lexical terms
    and their IDF, each procedure's name vector, how many procedures share each name."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.kinds = question_kinds()
        lexical = searcher.index.lexical
        self.vocabulary = lexical.vocabulary
        present = (lexical.weights > 0).astype(np.float32)
        passages = searcher.index.passages
        n_passages = len(passages)
        df = np.asarray(present.sum(axis=0)).ravel()
        self.idf = np.log(1.0 + (n_passages - df + 0.5) / (df + 0.5)).astype(np.float32)
        codes = sorted({p.code for p in passages})
        self.row = {code: i for i, code in enumerate(codes)}
        owner = sparse.csr_matrix(
            (np.ones(n_passages, dtype=np.float32), ([self.row[p.code] for p in passages], np.arange(n_passages))),
            shape=(len(codes), n_passages),
        )
        self.terms = (owner @ present.tocsc()).tocsr()  # procedures × terms, > 0 where the term occurs
        self.terms.data[:] = 1.0
        self.name_vectors = self._name_vectors()
        by_name: dict[str, int] = {}
        for key in searcher.name_keys.values():
            by_name[key] = by_name.get(key, 0) + 1
        self.namesakes = {code: by_name[key] for code, key in searcher.name_keys.items()}
        # The words and word pairs procedure names are made of, and how rare each is among names: a
        # question's naming words its best candidate's name lacks ("thu hồi", "chuyển nhượng") tell a
        # procedure the catalog lacks from one it holds.
        self.name_terms = {code: frozenset(_name_terms(key)) for code, key in searcher.name_keys.items()}
        name_df: dict[str, int] = {}
        for terms in self.name_terms.values():
            for term in terms:
                name_df[term] = name_df.get(term, 0) + 1
        self.name_idf = {term: math.log(len(self.name_terms) / df) for term, df in name_df.items()}

    def _name_vectors(self) -> np.ndarray | None:
        dense = self.searcher.index.dense
        if self.searcher.embedder is None or dense.count() == 0:
            return None
        vectors = np.zeros((len(self.row), dense.dimension), dtype=np.float32)
        for passage_id, passage in enumerate(self.searcher.index.passages):
            if passage.kind == "name":
                vectors[self.row[passage.code]] = dense.index.reconstruct(passage_id)
        return vectors

    def query_term_ids(self, run: SearchRun) -> np.ndarray:
        ids = {self.vocabulary[t] for t in query_terms(run.expanded, self.vocabulary) if t in self.vocabulary}
        return np.asarray(sorted(ids), dtype=np.int64)

    def candidates(self, run: SearchRun, terms: np.ndarray) -> np.ndarray:
        """One row of CANDIDATE_FEATURES per hit among the first CANDIDATE_DEPTH."""
        hits = run.hits[:CANDIDATE_DEPTH]
        if not hits:
            return np.zeros((0, len(CANDIDATE_FEATURES)), dtype=np.float32)
        rows = [self.row.get(h.code, 0) for h in hits]
        idf = self.idf[terms]
        total = float(idf.sum()) or 1e-9
        present = self.terms[rows][:, terms].toarray() if len(terms) else np.zeros((len(hits), 0), np.float32)
        coverage = (present @ idf) / total if len(terms) else np.zeros(len(hits), np.float32)
        missing = ((1.0 - present) * idf).max(axis=1) if len(terms) else np.zeros(len(hits), np.float32)
        if self.name_vectors is not None and run.vector is not None:
            name_cosine = self.name_vectors[rows] @ run.vector
        else:
            name_cosine = np.zeros(len(hits), np.float32)
        content = self.kinds.content_words(words(fold(run.stripped)))
        question_words = set(content)
        naming = {t: self.name_idf[t] for t in _name_terms(" ".join(content)) if t in self.name_idf}
        naming_mass = sum(naming.values()) or 1e-9
        top_score = hits[0].score
        best_dense = max(h.dense_score for h in hits)
        best_lexical = max(h.lexical_score for h in hits) or 1e-9
        best_coverage, best_name = float(coverage.max()), float(name_cosine.max())
        out = np.zeros((len(hits), len(CANDIDATE_FEATURES)), dtype=np.float32)
        for i, hit in enumerate(hits):
            name_words = self.searcher.name_words.get(hit.code, set()) - _NAME_NOISE
            shared = len(question_words & name_words)
            dense_rank, lexical_rank = hit.retrievers.get("dense"), hit.retrievers.get("lexical")
            out[i] = (
                math.log(i + 1),
                hit.score * 60,
                (top_score - hit.score) * 60,
                hit.dense_score,
                best_dense - hit.dense_score,
                math.log(dense_rank or ABSENT_RANK),
                1.0 if dense_rank else 0.0,
                hit.lexical_score / best_lexical,
                math.log(lexical_rank or ABSENT_RANK),
                1.0 if lexical_rank else 0.0,
                hit.name_share,
                shared / len(question_words) if question_words else 0.0,
                shared / len(name_words) if name_words else 0.0,
                self.searcher.priors.get(hit.code, 1.0),
                math.log1p(self.searcher.support.get(hit.code, 0)),
                math.log(self.namesakes.get(hit.code, 1)),
                1.0 if hit.variant_of else 0.0,
                len(name_words) / 10,
                coverage[i],
                best_coverage - coverage[i],
                missing[i],
                name_cosine[i],
                best_name - name_cosine[i],
                sum(w for t, w in naming.items() if t in self.name_terms.get(hit.code, ())) / naming_mass,
                max((w for t, w in naming.items() if t not in self.name_terms.get(hit.code, ())), default=0.0),
            )
        return out

    def question(self, run: SearchRun, terms: np.ndarray) -> list[float]:
        """QUESTION_FEATURES of the question alone (the model adds what the ranked candidates say)."""
        tokens = words(fold(run.question))
        cues = self.kinds.count(tokens)
        content = self.kinds.content_words(words(fold(run.stripped)))
        syllables = words(fold(run.expanded))
        unknown = sum(1 for s in syllables if s not in self.vocabulary)
        idf = self.idf[terms] if len(terms) else np.zeros(0, np.float32)
        return [
            math.log1p(len(tokens)),
            math.log1p(len(content)),
            1.0 if has_diacritics(run.question) else 0.0,
            non_latin_share(run.question),
            *(float(min(cues.get(kind, 0), 3)) for kind in sorted(self.kinds.cues)),
            float(idf.max()) if len(idf) else 0.0,
            math.log1p(float(idf.sum())),
            unknown / max(1, len(syllables)),
        ]

    def question_feature_names(self) -> tuple[str, ...]:
        return (
            "log_words",
            "log_content_words",
            "has_diacritics",
            "non_latin_share",
            *(f"cues_{kind}" for kind in sorted(self.kinds.cues)),
            "max_term_idf",
            "log_idf_mass",
            "unknown_syllables",
        )

    def names_something(self, run: SearchRun) -> bool:
        """Whether the message names anything beyond its question frame and filler words."""
        return bool(self.kinds.content_words(words(fold(run.question))))
