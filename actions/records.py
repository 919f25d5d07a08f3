"""The catalog record as the actions read it (GET /services/{code}); no dependency, so that the
renderers and `make audit` can use it without the HTTP client."""

from __future__ import annotations

from typing import TypedDict


class SourceRef(TypedDict, total=False):
    source: str
    url: str | None
    ref: str | None
    date: str | None


class ProcessingTime(TypedDict, total=False):
    value: float | None
    unit: str | None
    text: str


class FeeItem(TypedDict, total=False):
    heading: str
    text: str


class FeeReading(TypedDict, total=False):
    kind: str  # free | free_but_priced | stated | corrected | written_otherwise | described | amount
    written: str
    detail: str
    items: list[FeeItem]
    names_amount: bool


class Fee(TypedDict, total=False):
    amount_vnd: int | None
    description: str
    reading: FeeReading | None


class Channel(TypedDict, total=False):
    method: str  # online | postal | direct
    times: list[ProcessingTime]
    fees: list[Fee]
    note: str


class Document(TypedDict, total=False):
    name: str
    originals: int | None
    copies: int | None
    form: str | None


class DocumentGroup(TypedDict, total=False):
    case: str | None
    documents: list[Document]


class LegalDocument(TypedDict, total=False):
    number: str | None
    kind: str | None
    date: str | None
    title: str


class OnlineLevel(TypedDict, total=False):
    level: str  # toan_trinh | mot_phan | none | unknown
    source: str | None
    original: str | None


class Procedure(TypedDict, total=False):
    code: str
    name: str
    field: str | None
    levels: list[str]
    promulgating_agency: str | None
    competent_agency: str | None
    executing_agency: str | None
    subjects: list[str]
    channels: list[Channel]
    documents: list[DocumentGroup]
    steps: list[str]
    conditions: str | None
    results: list[str]
    legal_basis: list[LegalDocument]
    online_level: OnlineLevel
    portal_url: str | None
    updated: str | None
    sources: list[SourceRef]
    provenance: dict[str, str]
    conflicts: list[dict[str, str]]
