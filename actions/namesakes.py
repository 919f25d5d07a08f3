"""Procedures of the same name (the national record and provinces' copies, or one procedure at several
levels) are offered as one choice; which of them applies is asked only when what the citizen asked
about differs between them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from actions.catalog_client import CatalogClient, Procedure, ProcedureNotFound
from common.replies import procedure_title

MAX_NAMESAKES = 6  # records compared at most
MAX_PLACES = 4  # buttons: the record most sources describe (usually the national one) and three others


async def differing(
    catalog: CatalogClient,
    record: Procedure,
    namesakes: list[str],
    attribute: str,
    text_of: Callable[[Procedure, str], str | None],
) -> list[Procedure]:
    """``record`` and its namesakes' records when the answer about ``attribute`` differs between them;
    nothing when every one of them would get the same answer."""
    records = [record]
    for code in namesakes[:MAX_NAMESAKES]:
        with contextlib.suppress(ProcedureNotFound):  # an index older than the catalog
            records.append(await catalog.procedure(code))
    answers = {text_of(r, attribute) for r in records}
    return records if len(answers) > 1 else []


def where(record: Procedure) -> str:
    """What tells namesakes apart: the agency that published the record, then its levels."""
    agency = record.get("promulgating_agency") or record.get("competent_agency") or ""
    levels = ", ".join(record.get("levels") or [])
    return " – ".join(part for part in (agency, levels) if part) or "Cơ quan khác"


def place_buttons(records: list[Procedure]) -> list[dict[str, Any]]:
    """One button a record, at most MAX_PLACES (the first is the one the search put first)."""
    return [
        {
            "title": procedure_title(where(r), r.get("code") or ""),
            "payload": f'/choose_procedure{{"procedure_code": "{r.get("code")}"}}',
        }
        for r in records[:MAX_PLACES]
    ]
