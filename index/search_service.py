"""What the catalog API and `make eval` search with: the hybrid searcher, its candidates re-ranked by
the decision model, the decision for the question (answer / choose / none), and staff corrections over
it (index/corrections.py, swapped in whole by the console's «Áp dụng»)."""

from __future__ import annotations

import logging
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from index.build import Wordings
from index.corrections import CorrectionOverlay
from index.decision import Decision, DecisionModel, DecisionModelMissing
from index.decision_store import decision_folder, save_decision
from index.features import FeatureSpace
from index.loader import load_searcher
from index.searcher import Hit, Searcher
from knowledge.catalog_file import DEFAULT_DIR

log = logging.getLogger(__name__)


@dataclass
class SearchService:
    searcher: Searcher
    space: FeatureSpace
    model: DecisionModel
    corrections: CorrectionOverlay | None = None  # replaced, never changed in place: readers need no lock

    def search(self, query: str, k: int = 5, allowed: Container[str] | None = None) -> list[Hit]:
        return self.decide(query, k, allowed)[0]

    def decide(self, query: str, k: int = 5, allowed: Container[str] | None = None) -> tuple[list[Hit], Decision]:
        """The ``k`` best hits in the model's order, and the decision for the question."""
        run = self.searcher.run(query, allowed)
        hits, decision = self.model.decide(self.space, run)
        corrections = self.corrections
        if corrections is not None:
            hits, decision = corrections.apply(self.searcher, run, hits, decision, allowed)
        return hits[:k], decision


def load_service(
    catalog_dir: Path = DEFAULT_DIR,
    model: str | None = None,
    build_missing: bool = False,
    wordings: Wordings = (),
    only_if_built: bool = False,
) -> SearchService:
    """The searcher with its decision model; ``build_missing`` trains the model when it is missing
    (about a minute on two cores), as `make index` does. ``wordings``, ``only_if_built``: load_searcher's."""
    searcher = load_searcher(catalog_dir, model, build_missing, wordings=wordings, only_if_built=only_if_built)
    folder = decision_folder(searcher)
    try:
        decision = DecisionModel.load(folder)
    except DecisionModelMissing:
        if not build_missing:
            raise
        from index.decision_train import train  # LightGBM and the training set: only when training

        log.warning("no decision model in %s: training it now.", folder)
        decision = train(searcher)
        save_decision(decision, folder)
    return SearchService(searcher, FeatureSpace(searcher), decision)
