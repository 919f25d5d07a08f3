"""Load everything a search needs: the embedder, the index (built when missing), the names."""

from __future__ import annotations

from pathlib import Path

from index.build import ensure_index, index_dir, index_key
from index.bundle import IndexMissingError, SearchIndex
from index.embedder import load_embedder
from index.searcher import Searcher, Weights
from knowledge.aliases import load_aliases
from knowledge.catalog_file import CATALOG_NAME, DEFAULT_DIR, iter_records


def load_searcher(
    catalog_dir: Path = DEFAULT_DIR,
    model: str | None = None,
    build_missing: bool = False,
    weights: Weights | None = None,
) -> Searcher:
    embedder = load_embedder(model)
    if build_missing:
        folder = ensure_index(embedder, catalog_dir)
    else:
        folder = index_dir(index_key(embedder.name, catalog_dir))
        if SearchIndex.read_meta(folder) is None:
            raise IndexMissingError(
                f"no search index for this catalog and model in {folder}: run `make index` to build it."
            )
    index = SearchIndex.load(folder)
    names = {r.code: r.name for r in iter_records(catalog_dir / CATALOG_NAME)}
    return Searcher(index, embedder, names, load_aliases(), weights)
