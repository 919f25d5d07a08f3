from __future__ import annotations

from index.lexical import LexicalIndex
from vitext.tokens import document_terms, query_terms

DOCS = ["Thủ tục đăng ký khai sinh", "Đăng ký thường trú", "Cấp đổi giấy phép lái xe"]


def test_document_terms_hold_syllables_and_compounds() -> None:
    terms = document_terms("Đăng ký khai sinh")
    assert {"dang", "ky", "khai", "sinh"} <= set(terms)
    assert "dang_ky" in terms


def test_query_pairs_count_only_when_known() -> None:
    assert query_terms("dang ky", {"dang_ky"}) == ["dang", "ky", "dang_ky"]
    assert query_terms("dang ky", set()) == ["dang", "ky"]


def test_accentless_query_ranks_like_accented() -> None:
    index = LexicalIndex.build(DOCS)
    assert index.search("dang ky thuong tru", 1)[0][0] == 1
    assert index.search("đăng ký thường trú", 1)[0][0] == 1
    assert index.search("giay phep lai xe", 1)[0][0] == 2


def test_unknown_words_find_nothing() -> None:
    assert LexicalIndex.build(DOCS).search("xyzzy", 3) == []


def test_save_and_load_round_trip(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    index = LexicalIndex.build(DOCS)
    index.save(folder)
    loaded = LexicalIndex.load(folder)
    assert loaded.count() == 3
    assert loaded.search("khai sinh", 2) == index.search("khai sinh", 2)
