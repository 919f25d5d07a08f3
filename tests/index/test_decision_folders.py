"""The decision models kept beside an index: the newest few, so that checkouts sharing the cache do not
delete each other's model."""

from __future__ import annotations

import os
from pathlib import Path

from index.decision_store import DECISION_PREFIX, KEEP_DECISIONS, save_decision


class _Model:
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True)


def test_save_keeps_the_newest_others_and_drops_the_oldest(tmp_path: Path) -> None:
    older = []
    for age in range(KEEP_DECISIONS + 2):
        folder = tmp_path / f"{DECISION_PREFIX}old{age}"
        folder.mkdir()
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))  # old0 is the newest of them
        older.append(folder)
    (tmp_path / "dense.faiss").write_bytes(b"")
    current = tmp_path / f"{DECISION_PREFIX}new"
    save_decision(_Model(), current)  # type: ignore[arg-type]
    kept = sorted(p.name for p in tmp_path.glob(f"{DECISION_PREFIX}*"))
    assert kept == sorted([current.name, *(p.name for p in older[: KEEP_DECISIONS - 1])])
    assert (tmp_path / "dense.faiss").exists()
