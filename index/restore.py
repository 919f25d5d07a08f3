"""Put diacritics back on a question typed without them, using the catalog's own wording.

Dense embeddings of Vietnamese typed without diacritics are close to noise ("dang ky" is not
"đăng ký" to the model), so such questions are rewritten with the most frequent accented form of
each run of syllables seen in the catalog, longest runs first. Words the catalog never uses are
left as typed.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from knowledge.normalize import fold, normalize, words

MAX_RUN = 3


class DiacriticRestorer:
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table  # folded run of syllables -> most frequent accented spelling

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> DiacriticRestorer:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            tokens = [w.lower() for w in words(normalize(text))]
            for size in range(1, MAX_RUN + 1):
                for start in range(len(tokens) - size + 1):
                    run = " ".join(tokens[start : start + size])
                    counts[fold(run)][run] += 1
        table = {key: spellings.most_common(1)[0][0] for key, spellings in counts.items()}
        return cls(table)

    def restore(self, text: str) -> str:
        tokens = words(normalize(text))
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for size in range(min(MAX_RUN, len(tokens) - i), 0, -1):
                run = " ".join(tokens[i : i + size]).lower()
                if run == fold(run) and (accented := self.table.get(run)):
                    out.append(accented)
                    i += size
                    break
            else:
                out.append(tokens[i])
                i += 1
        return " ".join(out)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.table, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> DiacriticRestorer:
        return cls(json.loads(path.read_text(encoding="utf-8")))
