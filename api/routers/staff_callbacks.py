"""«Gọi lại»: call-back requests citizens left outside duty hours; the number in full for staff who call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.staff import audit
from api.staff.access import ConsoleDep, EditorDep, SameOrigin, Staff, StaffUserDep
from api.staff.callbacks import CALLED_BACK, callback_requests
from api.staff.pages import render
from api.staff.transcripts import TrackerUnavailable
from api.staff.users import EDIT

router = APIRouter(prefix="/staff/callbacks", tags=["staff"], include_in_schema=False)


@router.get("", dependencies=[Staff])
def requests(
    request: Request, console: ConsoleDep, user: StaffUserDep, days: Annotated[int, Query(ge=1, le=365)] = 30
) -> Response:
    try:
        found = callback_requests(console.tracker, console.db, days=days)
    except TrackerUnavailable as exc:
        return render(request, "callbacks.html", 503, page="callbacks", error=str(exc), requests=[], days=days)
    # Only staff who call back see the whole number; everyone else reads it masked like any personal data.
    return render(request, "callbacks.html", page="callbacks", requests=found, days=days, can_call=user.can(EDIT))


@router.post("/{sender_id}/called", dependencies=[Staff, SameOrigin])
def called(sender_id: str, console: ConsoleDep, user: EditorDep) -> Response:
    audit.record(console.db, user, CALLED_BACK, sender_id)
    return RedirectResponse("/staff/callbacks", status_code=303)
