"""schemathesis against the Rasa routes the public and the console reach: no generated request is a 500.

Rasa 3.6 serves no OpenAPI document, so the one below describes what the routes accept (the REST
channel's body; the HTTP API's ``text``), each body also allowed to be any JSON value at all, so that
lists, numbers, nulls and nested objects are sent too. The Rasa server is the security stack's.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.security.conftest import MAX_MESSAGE_CHARS, Secured


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    strict = {"type": "object", "properties": properties, "required": required}
    return {"required": True, "content": {"application/json": {"schema": {"anyOf": [strict, {}]}}}}


_ERRORS = {str(code): {"description": "refused"} for code in (400, 401, 403, 404, 409, 413, 415, 422, 429)}
_TEXT = {"type": "string", "maxLength": MAX_MESSAGE_CHARS + 50}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Rasa routes of Trợ lý Dịch vụ công", "version": "1"},
    "paths": {
        "/webhooks/rest/webhook": {
            "post": {
                "requestBody": _body({"sender": {"type": "string", "maxLength": 140}, "message": _TEXT}, ["sender"]),
                "responses": {"200": {"description": "the bot's messages"}, **_ERRORS},
            }
        },
        "/model/parse": {
            "post": {
                "requestBody": _body({"text": _TEXT}, ["text"]),
                "responses": {"200": {"description": "intent and entities"}, **_ERRORS},
            }
        },
        "/conversations/{conversation_id}/messages": {
            "post": {
                "parameters": [
                    {"name": "conversation_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": _body({"text": _TEXT, "sender": {"enum": ["user"]}}, ["text", "sender"]),
                "responses": {"200": {"description": "the tracker"}, **_ERRORS},
            }
        },
    },
}
schema = schemathesis.openapi.from_dict(SPEC)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_rasa_routes_never_answer_a_server_error(case: schemathesis.Case, secured: Secured) -> None:
    # With the token, so that the HTTP API routes reach their handlers (without it they all answer 401).
    response = case.call(base_url=secured.rasa, params={"token": secured.stack.rasa_token}, timeout=60)
    case.validate_response(response, checks=[not_a_server_error])
