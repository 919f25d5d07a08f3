"""Strip the question frame ("mất bao lâu", "cần giấy tờ gì", "cho tôi hỏi") from a question, keeping
the words that say which procedure it is about."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from vitext.normalize import fold, normalize, words

FRAMES_PATH = Path(__file__).resolve().parent / "question_frames.yml"


@lru_cache
def frames(path: Path = FRAMES_PATH) -> tuple[tuple[str, ...], ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    phrases = {tuple(words(fold(str(p)))) for p in data.get("frames", [])}
    # Longest first; ties alphabetically, so two processes strip a question the same way.
    return tuple(sorted((p for p in phrases if p), key=lambda p: (-len(p), p)))


@lru_cache
def _frames_by_first_word() -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """The frames grouped by their first word, each with its rank in ``frames()`` (longest first)."""
    groups: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for rank, phrase in enumerate(frames()):
        groups.setdefault(phrase[0], []).append((rank, phrase))
    return {first: tuple(group) for first, group in groups.items()}


def strip_frame(text: str) -> str:
    """The question without its frame words; the question itself when nothing else would remain."""
    tokens = words(normalize(text))
    folded = [fold(w) for w in tokens]
    keep = [True] * len(tokens)
    by_first = _frames_by_first_word()
    # Longest frames first over the whole question, as before; only the frames that can start at a
    # word are tried there (every frame at every word was a twentieth of a query's CPU).
    candidates = sorted(
        (rank, start, phrase) for start, word in enumerate(folded) for rank, phrase in by_first.get(word, ())
    )
    for _, start, phrase in candidates:
        size = len(phrase)
        if tuple(folded[start : start + size]) == phrase and all(keep[start : start + size]):
            keep[start : start + size] = [False] * size
    kept = [w for w, k in zip(tokens, keep, strict=True) if k]
    return " ".join(kept) if kept else normalize(text)
