"""A missing or corrupted search index: the API refuses to start with a message naming the fix, or rebuilds it.

The real embedding model and index code over a small catalog (a few real records), with the index
folder in a temporary cache, so that a rebuild takes seconds and the real cache is never touched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import index.build
from api.main import create_app
from api.settings import Settings
from index.build import ensure_index
from index.dense import FILE_NAME as DENSE_NAME
from index.embedder import load_embedder
from index.loader import load_index
from index.search_index import META_NAME, PASSAGES_NAME, IndexMissingError
from knowledge.catalog_file import CATALOG_NAME, DEFAULT_DIR, MANIFEST_NAME, encode, iter_records

CODES = {"1.001193", "2.000635", "1.004222", "1.000656"}


@pytest.fixture(scope="module")
def small_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small-catalog")
    records = [r for r in iter_records(DEFAULT_DIR / CATALOG_NAME) if r.code in CODES]
    assert len(records) == len(CODES)
    data = encode(records)
    (folder / CATALOG_NAME).write_bytes(data)
    manifest = {"catalog": CATALOG_NAME, "catalog_sha256": hashlib.sha256(data).hexdigest(), "total": len(records)}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Index folders (and cached embeddings) go to a temporary cache; the model is read where it is."""
    monkeypatch.setattr(index.build, "cache_root", lambda: tmp_path)
    return tmp_path


def start(catalog: Path, tmp_path: Path, build_missing: bool) -> TestClient:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'catalog.sqlite'}", catalog_dir=catalog, build_missing_index=build_missing
    )
    return TestClient(create_app(settings))


def the_index(cache: Path) -> Path:
    folders = [p for p in (cache / "index").iterdir() if not p.name.startswith(".")]
    assert len(folders) == 1, folders
    return folders[0]


def search_works(client: TestClient) -> None:
    response = client.get("/search", params={"q": "đăng ký khai sinh", "k": 2})
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["code"] == "1.001193"


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garble(path: Path) -> None:
    path.write_bytes(b"\x00\xffnot an index\x89PNG" * 64)


def wrong_fields(path: Path) -> None:
    path.write_text('{"unexpected": 1}\n', encoding="utf-8")


# One damage per file and per kind of error it raises (faiss: RuntimeError; numpy: BadZipFile; JSON:
# ValueError; a passage with other fields: TypeError).
CORRUPTIONS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "truncated faiss": (DENSE_NAME, truncate),
    "garbled lexical": ("lexical.npz", garble),
    "garbled vocabulary": ("lexical_vocabulary.json", garble),
    "passages with other fields": (PASSAGES_NAME, wrong_fields),
    "truncated passages": (PASSAGES_NAME, truncate),
}


def test_missing_index_is_refused_naming_make_index(small_catalog: Path, cache: Path, tmp_path: Path) -> None:
    with (
        pytest.raises(IndexMissingError, match=r"run `make index` to build it"),
        start(small_catalog, tmp_path, build_missing=False),
    ):
        pass


def test_missing_index_is_built_at_start_up_when_allowed(small_catalog: Path, cache: Path, tmp_path: Path) -> None:
    with start(small_catalog, tmp_path, build_missing=True) as client:
        search_works(client)
    assert (the_index(cache) / META_NAME).is_file()


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_corrupted_index_is_refused_then_rebuilt(
    small_catalog: Path, cache: Path, tmp_path: Path, corruption: str
) -> None:
    with start(small_catalog, tmp_path, build_missing=True) as client:
        search_works(client)
    folder = the_index(cache)
    name, damage = CORRUPTIONS[corruption]
    damage(folder / name)

    with pytest.raises(IndexMissingError) as refused, start(small_catalog, tmp_path, build_missing=False):
        pass
    message = str(refused.value)
    assert str(folder) in message and "delete that folder and run `make index`" in message, message

    # Allowed to build (BUILD_MISSING_INDEX=true), the start-up rebuilds it in place.
    with start(small_catalog, tmp_path, build_missing=True) as client:
        search_works(client)
    assert the_index(cache) == folder


def test_deleting_the_corrupted_folder_makes_make_index_rebuild_it(small_catalog: Path, cache: Path) -> None:
    """The fix the message names: `make index` trusts a folder whose metadata matches, so it must go first."""
    embedder = load_embedder()
    folder = ensure_index(embedder, small_catalog)
    garble(folder / DENSE_NAME)
    assert ensure_index(embedder, small_catalog) == folder  # metadata alone: kept, still broken
    with pytest.raises(IndexMissingError, match="delete that folder"):
        load_index(folder)
    shutil.rmtree(folder)
    assert ensure_index(embedder, small_catalog) == folder
    assert load_index(folder).count() > 0


def test_garbled_metadata_counts_as_missing(small_catalog: Path, cache: Path, tmp_path: Path) -> None:
    with start(small_catalog, tmp_path, build_missing=True):
        pass
    garble(the_index(cache) / META_NAME)
    with (
        pytest.raises(IndexMissingError, match=r"run `make index` to build it"),
        start(small_catalog, tmp_path, build_missing=False),
    ):
        pass
    with start(small_catalog, tmp_path, build_missing=True) as client:
        search_works(client)
