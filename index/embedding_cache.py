"""Passage embeddings kept between index builds, keyed by model and text, so a changed alias or
record re-embeds only what changed (embedding all passages takes minutes on 2 cores); and the
labelled questions' vectors, kept between trainings of the decision model."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embedder import Embedder


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        self.encoded, self.encode_seconds = 0, 0.0  # the last call's fresh embeddings (the build rate)
        if path.exists():
            try:
                with np.load(path) as data:
                    self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                self.vectors = {}  # an unreadable cache only costs a full re-embedding

    def __len__(self) -> int:
        return len(self.vectors)

    def encode_passages(self, embedder: Embedder, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items())
        if missing:
            started = time.perf_counter()
            fresh = embedder.encode_passages([t for _, t in missing], batch_size=batch_size, show_progress=True)
            self.encoded, self.encode_seconds = len(missing), time.perf_counter() - started
            self.vectors.update(zip((k for k, _ in missing), fresh, strict=True))
            self.save()
        if not keys:
            return np.zeros((0, embedder.dimension), dtype=np.float32)
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32)

    def encode_query(self, embedder: Embedder, text: str) -> np.ndarray:
        """One question's vector, encoded once; saved only by ``save()`` (training asks thousands)."""
        key = text_key(text)
        if key not in self.vectors:
            self.vectors[key] = embedder.encode_queries([text])[0]
        return np.asarray(self.vectors[key], dtype=np.float32)

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.vectors.update(zip((text_key(t) for t in texts), vectors, strict=True))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".npz")
        os.close(fd)
        try:
            keys = np.asarray(list(self.vectors), dtype="U40")
            vectors = np.stack(list(self.vectors.values())) if self.vectors else np.zeros((0, 0), np.float32)
            np.savez(tmp, keys=keys, vectors=vectors.astype(np.float32))
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
