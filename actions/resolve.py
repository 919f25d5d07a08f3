"""Which procedure is the citizen asking about?

One query path. A code in the message (a button's payload, or a typed "mã 1.001193") is taken as it is;
any other message goes whole to the catalog's /search, whose decision model says ``answer`` (one
procedure), ``choose`` (a few) or ``none`` (the catalog has nothing that fits). The bot never compares
scores: it adds only what the search cannot know, the conversation so far:

- choices were just offered (slot ``offered``): a message that names nothing new ("mất bao nhiêu tiền?")
  gets the same choices again, its attribute remembered; a message whose search finds one of them picks it;
- a procedure is under discussion (slot ``procedure_code``): a message that names nothing beyond its
  question ("còn lệ phí thì sao?"), or whose search finds that procedure among its choices, stays on it, and
  so does an attribute question the catalog has nothing else for; a message that clearly names another
  procedure moves to it, and the answer says which procedure it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from rasa_sdk import Tracker

from actions.catalog_client import CatalogClient
from actions.intents import INTENT_ATTRIBUTES
from common.codes import CODE_RE
from common.replies import procedure_title
from common.wire import Decision
from vitext.normalize import normalize

Outcome = Literal["procedure", "choose", "none", "ask"]


class Offer(TypedDict, total=False):
    """A choice offered with a button (kept in the ``offered`` slot until the citizen picks one)."""

    code: str
    name: str
    namesakes: list[str]  # other codes of the same name, answered through this choice


@dataclass
class Resolution:
    outcome: Outcome
    code: str | None = None
    name: str | None = None
    choices: list[Offer] = field(default_factory=list)
    namesakes: list[str] = field(default_factory=list)  # same-name procedures the answer may differ from
    alternatives: list[Offer] = field(default_factory=list)  # offered beside an answer the search is unsure of
    follow_up: bool = False  # decided by the conversation (a button, the procedure under discussion)
    switched: bool = False  # a new procedure while another was under discussion


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    values = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == entity]
    values = [normalize(str(v)) for v in values if v]
    return values[0] if values else None


def offered(tracker: Tracker) -> list[Offer]:
    value = tracker.get_slot("offered") or []
    if not isinstance(value, list):
        return []
    return [
        {
            "code": str(o["code"]),
            "name": str(o.get("name") or o["code"]),
            "namesakes": [str(c) for c in o.get("namesakes") or [] if isinstance(c, str)],
        }
        for o in value
        if isinstance(o, dict) and o.get("code")
    ]


def code_in_message(tracker: Tracker, text: str) -> str | None:
    code = latest_entity(tracker, "procedure_code")
    if code and CODE_RE.fullmatch(code):
        return code
    match = CODE_RE.search(text)
    return match.group() if match else None


def _codes(decision: Decision) -> list[str]:
    return [code for c in decision["choices"] for code in (c["code"], *c.get("namesakes", []))]


def _offers(choices: list[Any]) -> list[Offer]:
    return [{"code": c["code"], "name": c["name"], "namesakes": list(c.get("namesakes", []))} for c in choices]


def _offer(open_choices: list[Offer], code: str) -> Offer:
    return next((o for o in open_choices if o["code"] == code), Offer(code=code))


async def resolve_procedure(catalog: CatalogClient, tracker: Tracker) -> Resolution:
    text = normalize(tracker.latest_message.get("text") or "")
    current = tracker.get_slot("procedure_code")
    open_choices = offered(tracker)
    code = code_in_message(tracker, text)
    if code:
        clicked = text.startswith("/") or code in {o["code"] for o in open_choices}
        namesakes = _offer(open_choices, code).get("namesakes", [])
        return Resolution("procedure", code=code, namesakes=namesakes, follow_up=clicked)
    if not text or text.startswith("/"):  # a payload without a code ("/affirm")
        return _from_context(current, tracker.get_slot("procedure_name"), open_choices) or Resolution("ask")
    decision = (await catalog.search(text))["decision"]
    if open_choices:
        if not decision["names_procedure"]:
            return Resolution("choose", choices=open_choices, follow_up=True)
        picked = [o for o in open_choices if o["code"] in _codes(decision)[:1]]
        if picked:
            first = picked[0]
            namesakes = first.get("namesakes", [])
            return Resolution(
                "procedure", code=first["code"], name=first.get("name"), namesakes=namesakes, follow_up=True
            )
    if current:
        if (
            not decision["names_procedure"]
            or current in _codes(decision)
            or (decision["kind"] == "none" and _intent(tracker) in INTENT_ATTRIBUTES)
        ):
            return Resolution("procedure", code=current, name=tracker.get_slot("procedure_name"), follow_up=True)
    elif not decision["names_procedure"]:
        return Resolution("ask")
    if decision["kind"] == "none" or not decision["choices"]:
        return Resolution("none")
    if decision["kind"] == "answer":
        top = decision["choices"][0]
        namesakes = list(top.get("namesakes", []))
        return Resolution(
            "procedure",
            code=top["code"],
            name=top["name"],
            namesakes=namesakes,
            alternatives=_offers(decision.get("alternatives", [])),
            switched=bool(current),
        )
    return Resolution("choose", choices=_offers(decision["choices"]))


def _from_context(current: str | None, name: str | None, open_choices: list[Offer]) -> Resolution | None:
    if open_choices:
        return Resolution("choose", choices=open_choices, follow_up=True)
    if current:
        return Resolution("procedure", code=current, name=name, follow_up=True)
    return None


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def choice_buttons(choices: list[Offer]) -> list[dict[str, Any]]:
    return [
        {
            "title": procedure_title(choice.get("name"), choice["code"]),
            "payload": f'/choose_procedure{{"procedure_code": "{choice["code"]}"}}',
        }
        for choice in choices
    ]
