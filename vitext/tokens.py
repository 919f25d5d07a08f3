"""Terms for the lexical index: accent-folded syllables plus underthesea's compound words.

Documents keep their diacritics, so underthesea segments them well; citizens often type without
them, which underthesea segments poorly. Queries therefore use adjacent syllable pairs instead,
and a pair counts only when the document side knows it as a compound word.
"""

from __future__ import annotations

import itertools
from collections.abc import Container

from vitext.normalize import fold, normalize, words


def syllables(text: str) -> list[str]:
    return words(fold(text))


def compounds(text: str) -> list[str]:
    from underthesea import word_tokenize

    words = word_tokenize(normalize(text), use_token_normalize=False)
    out = []
    for word in words:
        parts = syllables(word)
        if len(parts) > 1:
            out.append("_".join(parts))
    return out


def document_terms(text: str) -> list[str]:
    return syllables(text) + compounds(text)


def query_terms(text: str, vocabulary: Container[str]) -> list[str]:
    parts = syllables(text)
    pairs = [f"{a}_{b}" for a, b in itertools.pairwise(parts)]
    return parts + [pair for pair in pairs if pair in vocabulary]
