"""The catalog API's answers as the action server reads them. ``tests/api/test_wire_types.py`` checks
these against the API's own OpenAPI document, so they cannot drift from ``api/schemas.py``."""

from __future__ import annotations

from typing import TypedDict


class SearchHit(TypedDict, total=False):
    code: str
    name: str
    score: float
    dense_score: float
    matched: str
    variant_of: str | None
    probability: float | None


class Choice(TypedDict):
    code: str
    name: str
    probability: float
    namesakes: list[str]


class Decision(TypedDict):
    kind: str  # answer | choose | none
    confidence: float
    choices: list[Choice]
    names_procedure: bool
    alternatives: list[Choice]  # beside an answer the search is not sure enough of to give alone


class SearchResult(TypedDict):
    query: str
    results: list[SearchHit]
    decision: Decision


class Stats(TypedDict, total=False):
    total: int
    with_documents: int
    with_fees: int
    with_processing_time: int
    with_channels: int
    by_online_level: dict[str, int]
    by_agency: dict[str, int]
    by_field: dict[str, int]


# Schema name in the API's OpenAPI document → the TypedDict that mirrors it.
MIRRORS: dict[str, type] = {
    "SearchHit": SearchHit,
    "ChoiceOut": Choice,
    "DecisionOut": Decision,
    "SearchOut": SearchResult,
    "StatsOut": Stats,
}
