"""`make index`: build the search index for the current catalog and model, unless it exists.

Usage: python -m index.build [--force]   (prints the index folder on its last line)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from index.bundle import SearchIndex
from index.embedder import ONNX_INT8, TORCH, Embedder, load_embedder
from index.embedding_cache import EmbeddingCache
from index.model_files import ONNX_DIR, cache_root, read_manifest, read_onnx_manifest
from index.passages import passages_for
from knowledge.aliases import ALIASES_PATH, load_aliases
from knowledge.catalog_file import DEFAULT_DIR, MANIFEST_NAME, iter_records

_PASSAGE_CODE = ("passages.py", "vi_tokens.py", "lexical.py", "bundle.py", "embedding_cache.py")


def index_key(embedder_name: str, catalog_dir: Path = DEFAULT_DIR, backend: str = TORCH) -> dict[str, Any]:
    """Everything the index depends on; a change in any of them means a rebuild.

    The backend is part of it: int8 and float32 vectors of the same text differ slightly, and a query
    must be encoded the way the passages were."""
    catalog = json.loads((catalog_dir / MANIFEST_NAME).read_text("utf-8"))["catalog_sha256"]
    model_manifest = read_manifest(Path(embedder_name)) or {}
    code = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _PASSAGE_CODE:
        code.update((here / name).read_bytes())
    key = {
        "model": Path(embedder_name).name,
        "model_sha256": model_manifest.get("weights_sha256"),
        "backend": backend,
        "catalog_sha256": catalog,
        "aliases_sha256": hashlib.sha256(ALIASES_PATH.read_bytes()).hexdigest(),
        "code_sha256": code.hexdigest(),
    }
    if backend == ONNX_INT8:
        key["encoder_sha256"] = (read_onnx_manifest(Path(embedder_name) / ONNX_DIR) or {}).get("int8_sha256")
    return key


def embedder_key(embedder: Embedder, catalog_dir: Path = DEFAULT_DIR) -> dict[str, Any]:
    return index_key(embedder.name, catalog_dir, embedder.backend)


def embedding_cache_path(key: dict[str, Any]) -> Path:
    """Cached vectors belong to one encoder: the int8 graph's, else the weights' (float32, torch)."""
    name = key.get("encoder_sha256") or key["model_sha256"] or key["model"]
    return cache_root() / "embeddings" / f"{name}.npz"


def index_dir(key: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    return cache_root() / "index" / digest


def ensure_index(embedder: Embedder, catalog_dir: Path = DEFAULT_DIR, force: bool = False) -> Path:
    key = embedder_key(embedder, catalog_dir)
    folder = index_dir(key)
    meta = SearchIndex.read_meta(folder)
    if not force and meta is not None and all(meta.get(k) == v for k, v in key.items()):
        print(f"Chỉ mục đã có sẵn: {folder}", file=sys.stderr)
        return folder
    started = time.perf_counter()
    aliases = load_aliases()
    passages = [p for record in iter_records(catalog_dir / "catalog.jsonl.gz") for p in passages_for(record, aliases)]
    cache = EmbeddingCache(embedding_cache_path(key))
    index = SearchIndex.build(passages, embedder, key, cache)
    elapsed = time.perf_counter() - started
    index.meta["build_seconds"] = round(elapsed, 1)
    index.meta["passages_per_second"] = round(len(passages) / elapsed, 1)
    if cache.encoded:
        index.meta["embedded"] = cache.encoded
        index.meta["embedded_per_second"] = round(cache.encoded / cache.encode_seconds, 1)
    index.save(folder)
    print(f"Đã xây chỉ mục {len(passages)} đoạn trong {elapsed:.0f} s: {folder}", file=sys.stderr)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Xây chỉ mục tìm kiếm cho danh mục thủ tục.")
    parser.add_argument("--force", action="store_true", help="xây lại kể cả khi chỉ mục đã có")
    args = parser.parse_args(argv)
    print(ensure_index(load_embedder(), force=args.force))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
