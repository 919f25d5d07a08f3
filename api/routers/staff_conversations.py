"""Conversation pages of the console: the searchable list, one transcript, the unanswered questions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.staff.access import ConsoleDep, Staff
from api.staff.clusters import cluster
from api.staff.conversation_search import OUTCOMES, Filters
from api.staff.conversation_search import search as search_conversations
from api.staff.pages import render
from api.staff.transcripts import VIETNAM, TrackerUnavailable

router = APIRouter(prefix="/staff", tags=["staff"], include_in_schema=False)

PAGE_SIZE = 50
CLUSTERS_PER_PAGE = 25
UNANSWERED_LIMIT = 2000  # distinct questions read and clustered; the most frequent first


@router.get("/conversations", dependencies=[Staff])
def conversations(
    request: Request,
    console: ConsoleDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    feedback: bool = False,
    staff: bool = False,
    q: Annotated[str, Query(max_length=200)] = "",
    since: date | None = None,
    until: date | None = None,
    channel: Annotated[str, Query(pattern="^(|web|facebook|zalo)$")] = "",
    outcome: Annotated[str, Query(pattern="^(|handoff|unanswered|down|rated)$")] = "",
) -> Response:
    filters = Filters(q, since, until, channel, outcome or ("rated" if feedback else ""), staff)
    offset = (page - 1) * PAGE_SIZE
    try:
        if filters.active:
            total, rows = search_conversations(console.tracker, filters, PAGE_SIZE, offset)
        else:
            total, rows = console.tracker.conversations(PAGE_SIZE, offset, include_staff=staff)
    except TrackerUnavailable as exc:
        return render(
            request,
            "conversations.html",
            503,
            page="conversations",
            error=str(exc),
            rows=[],
            total=0,
            filters=filters,
            outcomes=OUTCOMES,
        )
    # The same filters on the previous / next page links.
    query = urlencode({k: v for k, v in request.query_params.items() if k != "page"})
    return render(
        request,
        "conversations.html",
        page="conversations",
        rows=rows,
        total=total,
        number=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        query=query,
        outcomes=OUTCOMES,
    )


@router.get("/conversations/{sender_id:path}", dependencies=[Staff])
def transcript(request: Request, sender_id: str, console: ConsoleDep) -> Response:
    try:
        turns = console.tracker.transcript(sender_id)
    except TrackerUnavailable as exc:
        return render(request, "transcript.html", 503, page="conversations", sender_id=sender_id, error=str(exc))
    status = 200 if turns else 404
    return render(request, "transcript.html", status, page="conversations", sender_id=sender_id, turns=turns)


@router.get("/unanswered", dependencies=[Staff])
def unanswered(
    request: Request,
    console: ConsoleDep,
    days: Annotated[int, Query(ge=1, le=3650)] = 30,
    staff: bool = False,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    since = datetime.now(VIETNAM) - timedelta(days=days)
    try:
        groups = console.tracker.unanswered(since=since, include_staff=staff, limit=UNANSWERED_LIMIT)
    except TrackerUnavailable as exc:
        return render(request, "unanswered.html", 503, page="unanswered", error=str(exc), clusters=[], days=days)
    clusters = cluster(groups)
    pages = max(1, -(-len(clusters) // CLUSTERS_PER_PAGE))
    shown = clusters[(page - 1) * CLUSTERS_PER_PAGE : page * CLUSTERS_PER_PAGE]
    return render(
        request,
        "unanswered.html",
        page="unanswered",
        days=days,
        staff=staff,
        clusters=shown,
        total=len(clusters),
        number=page,
        pages=pages,
    )
