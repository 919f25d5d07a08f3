"""Validate the action server's replies against a schema checked once, not on every call.

Rasa 3.6 calls ``jsonschema.validate`` on each reply of the action server, and that function first
checks the schema itself against its meta-schema. For Rasa's events schema the check is by far the
larger part: profiled here at about 110 ms of CPU per custom action (``cProfile`` around
``Agent.handle_text``), more than the NLU pipeline and the policies together. ``install()`` keeps
the validation, with the same schema and the same error message, and drops only the repeated
schema check.
"""

from __future__ import annotations

import sys
from typing import Any

_HINT = (
    ". Failed to validate Action server response from API, make sure your response from the Action "
    "endpoint is valid. For more information about the format visit {docs}/custom-actions"
)


def install() -> None:
    """Patch ``RemoteAction._validate_action_result`` inside a Rasa process only (see bot/__init__.py)."""
    if "rasa.core" not in sys.modules:
        return
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction._validate_action_result, "_compiled", False):
        return
    RemoteAction._validate_action_result = _compiled_validation()


def _compiled_validation() -> Any:
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, at start-up: a broken schema still fails loudly
    validator = validator_class(schema)

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += _HINT.format(docs=DOCS_BASE_URL)
        raise error

    validate_action_result._compiled = True  # type: ignore[attr-defined]
    return validate_action_result
