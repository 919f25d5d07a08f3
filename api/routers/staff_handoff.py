"""Hand-off pages of the console: the queue «Chờ cán bộ», one conversation, take / reply / hand back.

Reads come from the tracker store (api/staff/handoff.py); every change goes through Rasa
(bot/channels/handoff.py), which keeps the tracker and delivers to the citizen's channel.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import SettingsDep
from api.staff import audit
from api.staff.access import ConsoleDep, EditorDep, SameOrigin, Staff, StaffUserDep
from api.staff.handoff import handoff_of, open_handoffs
from api.staff.pages import render
from api.staff.rasa_client import HandoffRefused, RasaClient, RasaUnavailable
from api.staff.transcripts import TrackerUnavailable
from api.staff.users import EDIT, SYSTEM, StaffUser
from knowledge.privacy import mask_pii

router = APIRouter(prefix="/staff/handoffs", tags=["staff"], include_in_schema=False)

MAX_REPLY_CHARS = 2000  # bot/channels/handoff.py MAX_STAFF_TEXT


# What the audit log says each step did (api/staff/audit.py).
AUDIT_ACTIONS = {"take": "nhận hội thoại", "say": "trả lời người dân", "end": "trả lại cho trợ lý ảo"}


def staff_name(user: StaffUser) -> str:
    """The name the citizen reads ("Cán bộ Nguyễn Thị Lan đã tiếp nhận…"); the token's actor is "trực"."""
    return "trực" if user == SYSTEM else user.name


def _page_of(sender_id: str) -> str:
    return f"/staff/handoffs/{quote(sender_id, safe='')}"


@router.get("", dependencies=[Staff])
def queue(request: Request, console: ConsoleDep, user: StaffUserDep) -> Response:
    try:
        handoffs = open_handoffs(console.tracker)
    except TrackerUnavailable as exc:
        return render(request, "handoffs.html", 503, page="handoffs", error=str(exc), handoffs=[])
    return render(request, "handoffs.html", page="handoffs", handoffs=handoffs, me=staff_name(user))


def _conversation(
    request: Request, console: ConsoleDep, user: StaffUser, sender_id: str, status: int = 200, error: str = ""
) -> Response:
    try:
        handoff = handoff_of(console.tracker, sender_id)
        turns = console.tracker.transcript(sender_id)
    except TrackerUnavailable as exc:
        return render(request, "handoff.html", 503, page="handoffs", sender_id=sender_id, error=str(exc), turns=[])
    if not turns:
        status, error = 404, error or "Không có cuộc trò chuyện này trong kho hội thoại."
    context: dict[str, object] = {"handoff": handoff, "turns": turns, "me": staff_name(user)}
    context.update(can_act=user.can(EDIT), limit=MAX_REPLY_CHARS)
    return render(request, "handoff.html", status, page="handoffs", sender_id=sender_id, error=error, **context)


@router.get("/{sender_id}", dependencies=[Staff])
def conversation(request: Request, sender_id: str, console: ConsoleDep, user: StaffUserDep) -> Response:
    return _conversation(request, console, user, sender_id)


@router.get("/{sender_id}/turns", dependencies=[Staff])
def turns(request: Request, sender_id: str, console: ConsoleDep) -> Response:
    """The conversation's messages alone: console.js refreshes them in place while staff type a reply."""
    try:
        handoff, turns = handoff_of(console.tracker, sender_id), console.tracker.transcript(sender_id)
    except TrackerUnavailable as exc:
        return render(request, "handoff_turns.html", 503, error=str(exc), turns=[], handoff=None)
    return render(request, "handoff_turns.html", turns=turns, handoff=handoff)


async def _step(
    request: Request,
    settings: SettingsDep,
    console: ConsoleDep,
    user: StaffUser,
    sender_id: str,
    step: str,
    **kwargs: object,
) -> Response:
    rasa = RasaClient(settings.rasa_url, settings.rasa_auth_token.get_secret_value(), settings.rasa_timeout_s)
    try:
        async with rasa:
            await rasa.handoff(step, sender_id, staff_name(user), **kwargs)  # type: ignore[arg-type]
    except HandoffRefused as exc:
        return _conversation(request, console, user, sender_id, 409, str(exc))
    except RasaUnavailable as exc:
        return _conversation(request, console, user, sender_id, 503, str(exc))
    action = "đóng hội thoại" if kwargs.get("close") else AUDIT_ACTIONS[step]
    audit.record(console.db, user, action, sender_id, mask_pii(str(kwargs.get("text") or "")))
    target = "/staff/handoffs" if step == "end" else _page_of(sender_id)
    return RedirectResponse(target, status_code=303)


@router.post("/{sender_id}/take", dependencies=[Staff, SameOrigin])
async def take(
    request: Request, sender_id: str, settings: SettingsDep, console: ConsoleDep, user: EditorDep
) -> Response:
    return await _step(request, settings, console, user, sender_id, "take")


@router.post("/{sender_id}/say", dependencies=[Staff, SameOrigin])
async def say(
    request: Request,
    sender_id: str,
    settings: SettingsDep,
    console: ConsoleDep,
    user: EditorDep,
    text: Annotated[str, Form(max_length=MAX_REPLY_CHARS)] = "",
) -> Response:
    if not text.strip():
        return _conversation(request, console, user, sender_id, 400, "Nhập nội dung trả lời cho người dân.")
    return await _step(request, settings, console, user, sender_id, "say", text=text)


@router.post("/{sender_id}/end", dependencies=[Staff, SameOrigin])
async def end(
    request: Request,
    sender_id: str,
    settings: SettingsDep,
    console: ConsoleDep,
    user: EditorDep,
    close: Annotated[str, Form()] = "",
) -> Response:
    return await _step(request, settings, console, user, sender_id, "end", close=close == "1")
