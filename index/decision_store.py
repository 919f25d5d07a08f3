"""Where a decision model lives: a folder beside its search index, named by a key of everything that
determines the model (the index, the labelled questions, the cue phrases, the training code), so
checkouts of different commits that share the cache never serve each other's model."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from index.decision import DecisionModel
from index.labelled import TRAINING_FILES
from index.search_index import IndexMissingError, SearchIndex
from index.searcher import Searcher

DECISION_PREFIX = "decision-"
_KEY_FILES = (
    "index/features.py",
    "index/decision.py",
    "index/decision_train.py",
    "index/decision_fit.py",
    "index/decision_points.py",
    "index/labelled.py",
    "index/searcher.py",
    "vitext/frames.py",
    "vitext/restore.py",
    "knowledge/question_kinds.yml",
    "vitext/question_frames.yml",
)


def decision_key(index_folder: Path) -> str:
    """The decision model depends on the index, the labelled questions, the cue phrases and this code."""
    import lightgbm
    import sklearn

    digest = hashlib.sha256(index_folder.name.encode())
    root = Path(__file__).resolve().parents[1]
    for path in TRAINING_FILES:
        digest.update(path.read_bytes())
    for name in _KEY_FILES:
        digest.update((root / name).read_bytes())
    digest.update(f"{sklearn.__version__} {lightgbm.__version__}".encode())
    return digest.hexdigest()[:12]


def built_with_decision(folder: Path) -> bool:
    return SearchIndex.read_meta(folder) is not None and (folder / f"{DECISION_PREFIX}{decision_key(folder)}").is_dir()


def decision_folder(searcher: Searcher) -> Path:
    """Where the decision model of this index, questions and code lives (beside the index)."""
    if searcher.index_folder is None:
        raise IndexMissingError("the searcher was not loaded from an index folder: use load_searcher()")
    return searcher.index_folder / f"{DECISION_PREFIX}{decision_key(searcher.index_folder)}"


KEEP_DECISIONS = 4


def save_decision(model: DecisionModel, folder: Path) -> None:
    """Save the model in the index folder and drop all but the newest few trained on other questions or
    code: checkouts of different commits share the cache, and one's training must not delete the model
    another is serving."""
    model.save(folder)
    others = [p for p in folder.parent.glob(f"{DECISION_PREFIX}*") if p != folder and p.is_dir()]
    for stale in sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_DECISIONS - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
