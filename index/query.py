"""Strip the question frame ("mất bao lâu", "cần giấy tờ gì", "cho tôi hỏi") from a question, keeping
the words that say which procedure it is about."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import fold, normalize, words

FRAMES_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "question_frames.yml"


@lru_cache
def frames(path: Path = FRAMES_PATH) -> tuple[tuple[str, ...], ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    phrases = {tuple(words(fold(str(p)))) for p in data.get("frames", [])}
    return tuple(sorted((p for p in phrases if p), key=len, reverse=True))


def strip_frame(text: str) -> str:
    """The question without its frame words; the question itself when nothing else would remain."""
    tokens = words(normalize(text))
    folded = [fold(w) for w in tokens]
    keep = [True] * len(tokens)
    for phrase in frames():
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if all(keep[start : start + size]) and tuple(folded[start : start + size]) == phrase:
                keep[start : start + size] = [False] * size
    kept = [w for w, k in zip(tokens, keep, strict=True) if k]
    return " ".join(kept) if kept else normalize(text)
