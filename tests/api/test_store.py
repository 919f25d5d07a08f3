"""The store gives the same answers on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json

import pytest

from api.snapshot import ServiceFilter
from api.store import CatalogStore
from knowledge.catalog_file import DEFAULT_DIR, MANIFEST_NAME

pytestmark = pytest.mark.postgres


def test_loads_every_record(store: CatalogStore) -> None:
    manifest = json.loads((DEFAULT_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert store.count() == manifest["total"]
    assert store.loaded_hash() == manifest["catalog_sha256"]


def test_reload_is_skipped_when_unchanged(store: CatalogStore) -> None:
    assert store.ensure_loaded(DEFAULT_DIR) is False


def test_get_returns_the_full_record(store: CatalogStore) -> None:
    record = store.get("1.004222")
    assert record is not None
    assert record.name == "Đăng ký thường trú"
    assert store.get("9.999999") is None


def test_name_search_ignores_diacritics_and_case(store: CatalogStore) -> None:
    with_marks = store.search_names(ServiceFilter(q="đăng ký khai sinh"), 1, 50)
    without = store.search_names(ServiceFilter(q="DANG KY KHAI SINH"), 1, 50)
    assert with_marks == without
    total, items = with_marks
    assert total >= 3
    assert "1.001193" in {item["code"] for item in items}


def test_like_wildcards_in_input_are_literal(store: CatalogStore) -> None:
    # As wildcards these would match "đăng ký khai sinh".
    assert store.search_names(ServiceFilter(q="ký%sinh"), 1, 10)[0] == 0
    assert store.search_names(ServiceFilter(q="kha_ sinh"), 1, 10)[0] == 0
    assert store.search_names(ServiceFilter(q="khai sinh"), 1, 10)[0] > 0


def test_filters_combine(store: CatalogStore) -> None:
    total, items = store.search_names(ServiceFilter(agency="bo tu phap", q="khai sinh"), 1, 100)
    assert total > 0
    assert all("khai sinh" in item["name"].lower() for item in items)
    everything = store.stats(ServiceFilter())
    assert everything["total"] == store.count()
    assert sum(everything["by_online_level"].values()) == everything["total"]


def test_stats_under_a_filter(store: CatalogStore) -> None:
    full = store.stats(ServiceFilter(online_level="toan_trinh"))
    assert set(full["by_online_level"]) == {"toan_trinh"}
    assert full["total"] == full["by_online_level"]["toan_trinh"]


def test_both_engines_agree(sqlite_store: CatalogStore, postgres_store: CatalogStore) -> None:
    for flt in (ServiceFilter(q="giấy phép lái xe"), ServiceFilter(agency="Bộ Công an", level="cấp xã")):
        assert sqlite_store.search_names(flt, 1, 20) == postgres_store.search_names(flt, 1, 20)
        assert sqlite_store.stats(flt) == postgres_store.stats(flt)
