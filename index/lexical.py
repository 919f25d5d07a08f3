"""BM25 over accent-folded terms, as a sparse matrix: one column slice and a sum per query."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from tqdm import tqdm

from vitext.tokens import document_terms, query_terms


class LexicalIndex:
    def __init__(self, vocabulary: dict[str, int], weights: sparse.csc_matrix) -> None:
        self.vocabulary = vocabulary
        self.weights = weights  # passages × terms, BM25 weight of each term in each passage

    @classmethod
    def build(cls, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        vocabulary: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(tqdm(texts, desc="Chỉ mục từ khóa", unit="đoạn")):
            counts = Counter(document_terms(text))
            lengths[row] = sum(counts.values())
            for term, tf in counts.items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                tfs.append(tf)
        tf_matrix = sparse.csr_matrix(
            (np.asarray(tfs, dtype=np.float32), (rows, cols)), shape=(len(texts), len(vocabulary))
        )
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocabulary)).astype(np.float32)
        idf = np.log(1.0 + (len(texts) - df + 0.5) / (df + 0.5))
        avg = float(lengths.mean()) if len(texts) else 1.0
        coo = tf_matrix.tocoo()
        norm = k1 * (1 - b + b * lengths[coo.row] / avg)
        data = idf[coo.col] * coo.data * (k1 + 1) / (coo.data + norm)
        weights = sparse.csc_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=tf_matrix.shape)
        return cls(vocabulary, weights)

    def count(self) -> int:
        return int(self.weights.shape[0])

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        ids = sorted({self.vocabulary[t] for t in query_terms(query, self.vocabulary) if t in self.vocabulary})
        if not ids:
            return []
        scores = np.asarray(self.weights[:, ids].sum(axis=1)).ravel()
        k = min(k, int(np.count_nonzero(scores)))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]

    def save(self, folder: Path) -> None:
        sparse.save_npz(folder / "lexical.npz", self.weights.tocsc())
        (folder / "lexical_vocabulary.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        weights = sparse.load_npz(folder / "lexical.npz").tocsc()
        vocabulary = json.loads((folder / "lexical_vocabulary.json").read_text("utf-8"))
        return cls(vocabulary, weights)
