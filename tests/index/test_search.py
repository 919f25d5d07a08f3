"""Search quality checks that must hold on the real catalog, model and index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.search_index import IndexMissingError, SearchIndex
from index.searcher import Searcher
from knowledge.aliases import load_aliases
from knowledge.catalog_file import DEFAULT_DIR, MANIFEST_NAME

# Aliases whose test question the search still answers wrongly (measured 2026-11-23): the catalog
# writes TNHH / "thành lập" where citizens write "trách nhiệm hữu hạn" / "mở", and land procedures
# have many near-identical province copies. Strict: once one passes, it must leave this list.
# "gcn qsdd" left it on 2026-12-06: its question typed without diacritics was never restored (the
# alias's accented expansion hid that it had none); restored, 1.012790 ranks first. "mtv" left it
# the same day, with the name match (its question, expanded, holds "công ty tnhh một thành viên").
KNOWN_MISSES = {"sổ đỏ", "qsdđ", "đkkd", "giấy phép kinh doanh", "tnhh"}
TERMS_WITH_TESTS = [
    pytest.param(t, id=t.alias, marks=[pytest.mark.xfail(strict=True, reason="known search miss")])
    if t.alias in KNOWN_MISSES
    else pytest.param(t, id=t.alias)
    for t in load_aliases().terms
    if t.test_query and t.test_codes
]


@pytest.mark.parametrize("term", TERMS_WITH_TESTS)
def test_alias_finds_its_procedure(searcher: Searcher, term: object) -> None:
    from knowledge.aliases import Term

    assert isinstance(term, Term) and term.test_query and term.test_codes
    codes = [hit.code for hit in searcher.search(term.test_query, k=5)]
    assert set(term.test_codes) & set(codes), (term.alias, term.test_query, codes)


@pytest.mark.parametrize(
    "question",
    ["đăng ký khai sinh", "dang ky khai sinh cho con", "làm giấy khai sinh cho em bé", "DANG KY KHAI SINH"],
)
def test_citizen_version_first(searcher: Searcher, question: str) -> None:
    hits = searcher.search(question, k=10)
    assert hits[0].code == "1.001193", [(h.code, h.name) for h in hits]
    variants = [h for h in hits if h.variant_of == "1.001193"]
    assert variants, "close variants are returned beside the general version"


def test_variant_wins_when_asked_for(searcher: Searcher) -> None:
    hits = searcher.search("đăng ký khai sinh có yếu tố nước ngoài", k=5)
    assert "nước ngoài" in hits[0].name.lower()


def test_hit_shape(searcher: Searcher) -> None:
    hit = searcher.search("cấp lại giấy phép lái xe", k=1)[0]
    assert hit.name and hit.matched and hit.score > 0


def test_allowed_codes_narrow_results(searcher: Searcher) -> None:
    allowed = {"1.004222", "1.004194"}
    hits = searcher.search("đăng ký khai sinh", k=5, allowed=allowed)
    assert {h.code for h in hits} <= allowed


def test_empty_query_gives_nothing(searcher: Searcher) -> None:
    assert searcher.search("   ", k=5) == []


def test_index_metadata_names_its_inputs(searcher: Searcher) -> None:
    import json

    meta = searcher.index.meta
    manifest = json.loads((DEFAULT_DIR / MANIFEST_NAME).read_text("utf-8"))
    assert meta["catalog_sha256"] == manifest["catalog_sha256"]
    assert meta["dimension"] == 384
    assert meta["passages"] == searcher.index.count() > meta["procedures"] >= manifest["total"]
    assert meta["model"] and meta["build_date"]


def test_corrupted_index_names_the_fix(searcher: Searcher, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    searcher.index.save(folder)
    assert SearchIndex.load(folder).count() == searcher.index.count()
    (folder / "dense.faiss").write_bytes(b"not an index")
    with pytest.raises(IndexMissingError, match="make index"):
        SearchIndex.load(folder)
    shutil.rmtree(folder)
    with pytest.raises(IndexMissingError, match="make index"):
        SearchIndex.load(folder)


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Nam 19 tuổi có được đăng ký kết hôn chưa?", "1.000894"),  # Thủ tục đăng ký kết hôn
        ("thong bao luu tru qua vneid duoc khong", "2.001159"),  # Thông báo lưu trú
    ],
)
def test_a_question_quoting_a_procedure_name_finds_it(searcher: Searcher, question: str, code: str) -> None:
    """The name match lifts the procedure whose name the question quotes; without it, others ranked first."""
    assert searcher.search(question, k=1)[0].code == code


def test_the_national_record_leads_its_namesakes(searcher: Searcher) -> None:
    """Seven provinces publish copies named exactly like 1.012783; the record several sources describe
    comes first among them, and the copies still follow."""
    hits = searcher.search("cấp đổi giấy chứng nhận quyền sử dụng đất", k=5)
    assert hits[0].code == "1.012783", [h.code for h in hits]
    assert sum(h.name == hits[0].name for h in hits) > 1
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
