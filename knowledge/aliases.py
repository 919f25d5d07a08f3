"""Citizens' words for things: abbreviations and colloquial names, read from aliases.yml (data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from vitext.normalize import fold, normalize, words

ALIASES_PATH = Path(__file__).resolve().parent / "aliases.yml"


@dataclass(frozen=True)
class Term:
    alias: str
    expands: str
    test_query: str | None = None
    test_codes: tuple[str, ...] = ()  # equally right answers (e.g. a procedure's province copies)
    folded: str = field(init=False, repr=False, compare=False)  # " alias " accent-folded, matched by word

    def __post_init__(self) -> None:
        # Folded once here rather than on every search (it was a tenth of a query's CPU).
        object.__setattr__(self, "folded", f" {_fold_words(self.alias)} ")


@dataclass(frozen=True)
class Aliases:
    terms: tuple[Term, ...]
    procedures: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def expand(self, text: str) -> str:
        """The text followed by the expansion of every abbreviation it contains."""
        folded = f" {' '.join(words(fold(text)))} "
        extra = [t.expands for t in self.terms if t.folded in folded]
        text = normalize(text)
        return f"{text} ({'; '.join(dict.fromkeys(extra))})" if extra else text


def _fold_words(text: str) -> str:
    return " ".join(words(fold(text)))


@lru_cache
def load_aliases(path: Path = ALIASES_PATH) -> Aliases:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = []
    for item in data.get("terms", []):
        test = item.get("test") or {}
        terms.append(
            Term(
                alias=normalize(str(item["alias"])),
                expands=normalize(str(item["expands"])),
                test_query=test.get("query"),
                test_codes=tuple(test.get("codes") or ([test["code"]] if test.get("code") else [])),
            )
        )
    procedures = {
        str(item["code"]): tuple(normalize(str(a)) for a in item.get("aliases", []))
        for item in data.get("procedures", [])
    }
    return Aliases(terms=tuple(terms), procedures=procedures)
