"""The action server's replies are still validated against Rasa's schema after ``bot`` compiles it once."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot import action_validation

VALID = {
    "events": [{"event": "slot", "name": "procedure_code", "value": "1.001193", "timestamp": None}],
    "responses": [{"text": "Thủ tục đăng ký khai sinh (mã 1.001193)"}],
}


@pytest.fixture(autouse=True)
def installed() -> None:
    # What importing ``bot`` does inside Rasa; here another test may have imported ``bot`` before Rasa.
    action_validation.install()


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("action_answer_procedure", EndpointConfig("http://127.0.0.1:9/webhook"))


def test_the_compiled_validation_is_installed() -> None:
    assert getattr(RemoteAction._validate_action_result, "_compiled", False)


def test_a_valid_reply_passes(action: RemoteAction) -> None:
    assert action._validate_action_result(VALID) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list", "responses": []},
        {"events": [{"event": "slot", "name": 3}], "responses": []},
        {"events": [], "responses": ["text instead of an object"]},
    ],
)
def test_a_malformed_reply_is_refused_as_before(action: RemoteAction, reply: dict) -> None:
    with pytest.raises(jsonschema.ValidationError) as caught:
        action._validate_action_result(reply)
    assert "Failed to validate Action server response" in caught.value.message
    # Rasa's own check (the schema re-checked every call) refuses the same reply.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
