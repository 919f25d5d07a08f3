"""The saved search index: passages, dense (FAISS) and lexical parts, and metadata beside them.

The folder is written to a temporary name and renamed into place, so a crash mid-build never
leaves a half-written index where the API would load it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from index.dense import DenseIndex
from index.embedder import Embedder
from index.embedding_cache import EmbeddingCache
from index.lexical import LexicalIndex
from index.passages import DENSE_KINDS, Passage

META_NAME = "meta.json"
PASSAGES_NAME = "passages.jsonl"
FORMAT_VERSION = 1


class IndexMissingError(FileNotFoundError):
    """No usable search index: run `make index` to build it."""


@dataclass
class SearchIndex:
    passages: list[Passage]
    dense: DenseIndex
    lexical: LexicalIndex
    meta: dict[str, Any]

    @classmethod
    def build(
        cls, passages: list[Passage], embedder: Embedder, key: dict[str, Any], cache: EmbeddingCache
    ) -> SearchIndex:
        dense_ids = np.asarray([i for i, p in enumerate(passages) if p.kind in DENSE_KINDS], dtype=np.int64)
        vectors = cache.encode_passages(embedder, [passages[i].text for i in dense_ids])
        dense = DenseIndex.build(vectors, dense_ids)
        lexical = LexicalIndex.build([p.text for p in passages])
        meta = {
            **key,
            "format": FORMAT_VERSION,
            "dimension": dense.dimension,
            "passages": len(passages),
            "dense_passages": dense.count(),
            "procedures": len({p.code for p in passages}),
            "build_date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        return cls(passages, dense, lexical, meta)

    def count(self) -> int:
        return len(self.passages)

    def save(self, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
        try:
            with (tmp / PASSAGES_NAME).open("w", encoding="utf-8") as handle:
                for passage in self.passages:
                    handle.write(json.dumps(asdict(passage), ensure_ascii=False) + "\n")
            self.dense.save(tmp)
            self.lexical.save(tmp)
            (tmp / META_NAME).write_text(json.dumps(self.meta, ensure_ascii=False, indent=2), "utf-8")
            if folder.exists():
                shutil.rmtree(folder)
            tmp.rename(folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @staticmethod
    def read_meta(folder: Path) -> dict[str, Any] | None:
        try:
            meta: dict[str, Any] = json.loads((folder / META_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return meta

    @classmethod
    def load(cls, folder: Path) -> SearchIndex:
        meta = cls.read_meta(folder)
        if meta is None:
            raise IndexMissingError(f"no search index in {folder}: run `make index` to build it.")
        try:
            with (folder / PASSAGES_NAME).open(encoding="utf-8") as handle:
                passages = [Passage(**json.loads(line)) for line in handle]
            dense = DenseIndex.load(folder)
            lexical = LexicalIndex.load(folder)
        except (OSError, ValueError, RuntimeError) as error:
            raise IndexMissingError(
                f"the search index in {folder} is unreadable ({error}): run `make index` to rebuild it."
            ) from error
        if not (
            lexical.count() == len(passages) == meta.get("passages") and dense.count() == meta.get("dense_passages")
        ):
            raise IndexMissingError(f"the search index in {folder} is inconsistent: run `make index` to rebuild it.")
        return cls(passages, dense, lexical, meta)
