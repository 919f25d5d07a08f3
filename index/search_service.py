"""What the catalog API and `make eval` search with: the hybrid searcher, its candidates re-ranked by
the decision model, the decision for the question (answer / choose / none), and staff corrections over
it (index/corrections.py, swapped in whole by the console's «Áp dụng»)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from index.corrections import CorrectionOverlay
from index.decision import Decision, DecisionModel
from index.features import FeatureSpace
from index.searcher import Hit, Searcher


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
