"""The search puts diacritics back on a question before the dense model reads it (vitext/restore.py)."""

from __future__ import annotations

from index.searcher import Searcher


def test_the_search_restores_a_question_whose_alias_expansion_is_accented(searcher: Searcher) -> None:
    """The alias adds accented words; the question itself still has to be restored for the dense side."""
    typed = searcher.search("dinh chinh gcn qsdd bi sai ten", k=3)
    accented = searcher.search("đính chính gcn qsdd bị sai tên", k=3)
    assert [h.code for h in typed] == [h.code for h in accented]


def test_a_partly_accented_question_is_restored_too(searcher: Searcher) -> None:
    typed = searcher.search("đính chinh gcn qsdd bi sai tên", k=3)
    accented = searcher.search("đính chính gcn qsdd bị sai tên", k=3)
    assert [h.code for h in typed] == [h.code for h in accented]


def test_the_search_keeps_abbreviations_that_look_like_words(searcher: Searcher) -> None:
    """ "vat" is the tax (thuế giá trị gia tăng), not "vật"; "duoc" only lacks its diacritics."""
    assert "vat" in searcher.abbreviations and "duoc" not in searcher.abbreviations
    codes = [h.code for h in searcher.search("công ty xin hoàn vat cần hồ sơ gì", k=5)]
    assert "1.007037" in codes, codes
