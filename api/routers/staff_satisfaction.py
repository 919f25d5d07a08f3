"""The console's satisfaction page, /staff/satisfaction: the share of 👍 per week and per lĩnh vực."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import StoreDep
from api.staff.access import ConsoleDep, Staff
from api.staff.pages import render
from api.staff.satisfaction import satisfaction as satisfaction_figures
from api.staff.transcripts import VIETNAM, TrackerUnavailable
from api.store import CatalogStore

router = APIRouter(prefix="/staff", tags=["staff"], include_in_schema=False)

FIELDS_PAGE_SIZE = 20


def _field_of(store: CatalogStore) -> Callable[[str], str | None]:
    def field_of(code: str) -> str | None:
        # A local variant ("1.001193.000.00.00.H12") falls back to its national code.
        record = store.get(code) or store.get(code[:8])
        return record.field if record is not None else None

    return field_of


@router.get("/satisfaction", dependencies=[Staff])
def satisfaction(
    request: Request,
    console: ConsoleDep,
    store: StoreDep,
    weeks: Annotated[int, Query(ge=1, le=104)] = 12,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    staff: bool = False,
) -> Response:
    context: dict[str, Any] = {"page": "satisfaction", "weeks": weeks, "staff": staff, "number": page}
    try:
        figures = satisfaction_figures(
            console.tracker, _field_of(store), weeks=weeks, now=datetime.now(VIETNAM), include_staff=staff
        )
    except TrackerUnavailable as exc:
        return render(request, "satisfaction.html", 503, error=str(exc), figures=None, **context)
    start = (page - 1) * FIELDS_PAGE_SIZE
    fields = figures.fields[start : start + FIELDS_PAGE_SIZE]
    pages = max(1, -(-len(figures.fields) // FIELDS_PAGE_SIZE))
    return render(request, "satisfaction.html", figures=figures, fields=fields, pages=pages, **context)
