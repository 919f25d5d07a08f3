"""The answer about one attribute of one record: which response template, its variables and buttons.

Pure (no HTTP, no Rasa), so that the action, `make audit` and the tests compose the very same reply.
Templates frame; every fact comes from the record through the renderers, and the last line says which
source and date those facts come from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from actions import provenance, render
from actions.intents import ATTRIBUTE_INTENTS, ATTRIBUTE_LABELS, follow_up_buttons
from actions.pages import Rendered
from actions.records import Procedure

OVERVIEW = "overview"
# attribute → (template, template variable, renderer); "online" and "overview" are composed apart.
RENDERERS: dict[str, tuple[str, str, Callable[..., str | Rendered | None]]] = {
    "documents": ("utter_answer_documents", "documents", render.documents),
    "fee": ("utter_answer_fee", "fees", render.fees),
    "processing_time": ("utter_answer_processing_time", "times", render.processing_times),
    "where_to_submit": ("utter_answer_where_to_submit", "where", render.where_to_submit),
    "steps": ("utter_answer_steps", "steps", render.steps),
    "conditions": ("utter_answer_conditions", "conditions", render.conditions),
    "result": ("utter_answer_result", "results", render.results),
    "legal_basis": ("utter_answer_legal_basis", "legal_basis", render.legal_basis),
    "forms": ("utter_answer_forms", "forms", render.forms),
}
ATTRIBUTES = (*RENDERERS, "online", OVERVIEW)
MAX_BUTTONS = 5
# Renderers that page a long list: they take the view a button asked for ("cases:1", "agencies:2").
PAGED = {"documents", "where_to_submit", "steps"}


@dataclass
class Reply:
    response: str
    values: dict[str, Any]
    buttons: list[dict[str, Any]] = field(default_factory=list)


def closing(record: Procedure, attribute: str) -> str:
    """The reorganisation warning (when it applies) and the source line, one line each."""
    lines = [provenance.reorganisation_warning(record), provenance.footer(record, attribute)]
    return "\n".join(line for line in lines if line)


def compose(record: Procedure, attribute: str, portal_home: str, view: str | None = None) -> Reply:
    code = record.get("code") or ""
    values: dict[str, Any] = {
        "procedure_name": record.get("name") or "",
        "procedure_code": code,
        "portal_url": record.get("portal_url") or portal_home,
        "footer": closing(record, attribute),
    }
    buttons = follow_up_buttons(code, attribute)
    if attribute == "online":
        level = render.online_level(record)
        according = provenance.origin_phrase(record, "online_level")
        values["according"] = f"{according[0].upper()}{according[1:]}: " if according else ""
        values["methods"] = render.methods(record) or "danh mục chưa ghi"
        return Reply(f"utter_answer_online_{level}", values, buttons)
    if attribute == OVERVIEW:
        summary = render.ONLINE_SUMMARY.get(render.online_level(record), render.ONLINE_SUMMARY["unknown"])
        according = provenance.origin_phrase(record, "online_level")
        values["online"] = f"{summary} ({according})" if according else summary
        values["agency"] = render.agency(record)
        return Reply("utter_answer_overview", values, buttons)
    template, variable, renderer = RENDERERS[attribute]
    text = renderer(record, view) if attribute in PAGED else renderer(record)
    if text is None:
        values["attribute_label"] = ATTRIBUTE_LABELS[attribute]
        return Reply("utter_field_missing", values, buttons)
    if isinstance(text, Rendered):
        values[variable] = text.body
        more = text.buttons(code, ATTRIBUTE_INTENTS[attribute])
        # The rest of this answer first; with it, two other questions at most (a phone shows few buttons).
        buttons = [*more, *buttons[: MAX_BUTTONS - len(more)]] if more else buttons
    else:
        values[variable] = text
    return Reply(template, values, buttons)
