"""`make index`: build the search index for the current catalog and model, unless it exists.

Usage: python -m index.build [--force]   (prints the index folder on its last line)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.embedder import ONNX_INT8, TORCH, Embedder, load_embedder
from index.embedding_cache import EmbeddingCache
from index.model_files import ONNX_DIR, cache_root, read_manifest, read_onnx_manifest
from index.passages import Passage, passages_for
from index.search_index import SearchIndex
from knowledge.aliases import ALIASES_PATH, load_aliases
from knowledge.catalog_file import DEFAULT_DIR, MANIFEST_NAME, iter_records

_PASSAGE_CODE = (
    "index/passages.py",
    "vitext/tokens.py",
    "index/lexical.py",
    "index/search_index.py",
    "index/embedding_cache.py",
)


Wordings = Sequence[tuple[str, str]]  # staff corrections: (citizen's wording, procedure code)


def index_key(
    embedder_name: str, catalog_dir: Path = DEFAULT_DIR, backend: str = TORCH, wordings: Wordings = ()
) -> dict[str, Any]:
    """Everything the index depends on; a change in any of them means a rebuild.

    The backend is part of it: int8 and float32 vectors of the same text differ slightly, and a query
    must be encoded the way the passages were. Staff corrections' wordings are, when there are any (none:
    the same key as before corrections existed, so a checkout without them shares the cache)."""
    catalog = json.loads((catalog_dir / MANIFEST_NAME).read_text("utf-8"))["catalog_sha256"]
    model_manifest = read_manifest(Path(embedder_name)) or {}
    code = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for name in _PASSAGE_CODE:
        code.update((root / name).read_bytes())
    key = {
        "model": Path(embedder_name).name,
        "model_sha256": model_manifest.get("weights_sha256"),
        "backend": backend,
        "catalog_sha256": catalog,
        "aliases_sha256": hashlib.sha256(ALIASES_PATH.read_bytes()).hexdigest(),
        "code_sha256": code.hexdigest(),
    }
    if wordings:
        encoded = json.dumps(sorted(map(list, wordings)), ensure_ascii=False).encode()
        key["corrections_sha256"] = hashlib.sha256(encoded).hexdigest()
    if backend == ONNX_INT8:
        key["encoder_sha256"] = (read_onnx_manifest(Path(embedder_name) / ONNX_DIR) or {}).get("int8_sha256")
    return key


def embedder_key(embedder: Embedder, catalog_dir: Path = DEFAULT_DIR, wordings: Wordings = ()) -> dict[str, Any]:
    return index_key(embedder.name, catalog_dir, embedder.backend, wordings)


def stored_wordings() -> list[tuple[str, str]]:
    """The applied procedure corrections of the staff database (STAFF_DATABASE_URL), when it exists."""
    from sqlalchemy.engine import make_url

    from api.settings import Settings

    url = Settings().staff_database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (parsed.database and Path(parsed.database).is_file()):
        return []
    from api.staff.corrections import applied_wordings
    from api.staff.db import StaffDatabase

    db = StaffDatabase.open(url)
    try:
        return applied_wordings(db)[0]
    finally:
        db.dispose()


def correction_passages(wordings: Wordings, codes: set[str]) -> list[Passage]:
    """Staff corrections as alias passages of their procedure: searched like citizens' wording from aliases.yml."""
    return [Passage(code, "alias", text) for text, code in dict(wordings).items() if code in codes]


def embedding_cache_path(key: dict[str, Any]) -> Path:
    """Cached vectors belong to one encoder: the int8 graph's, else the weights' (float32, torch)."""
    name = key.get("encoder_sha256") or key["model_sha256"] or key["model"]
    return cache_root() / "embeddings" / f"{name}.npz"


def index_dir(key: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    return cache_root() / "index" / digest


def ensure_index(
    embedder: Embedder, catalog_dir: Path = DEFAULT_DIR, force: bool = False, wordings: Wordings = ()
) -> Path:
    key = embedder_key(embedder, catalog_dir, wordings)
    folder = index_dir(key)
    meta = SearchIndex.read_meta(folder)
    if not force and meta is not None and all(meta.get(k) == v for k, v in key.items()):
        print(f"Chỉ mục đã có sẵn: {folder}", file=sys.stderr)
        return folder
    started = time.perf_counter()
    aliases = load_aliases()
    passages = [p for record in iter_records(catalog_dir / "catalog.jsonl.gz") for p in passages_for(record, aliases)]
    passages += correction_passages(wordings, {p.code for p in passages})
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
    print(ensure_index(load_embedder(), force=args.force, wordings=stored_wordings()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
