"""No personal data in any process's log, even with every process at DEBUG level (``rasa run --debug``)."""

from __future__ import annotations

from tests.faults.services import FaultStack

MESSAGE = "số CCCD của tôi là 001099012345, sđt 0912 345 678, email a.b@gmail.com, làm lại căn cước thế nào"
SECRETS = ("001099012345", "0912 345 678", "0912345678", "912 345 678", "a.b@gmail.com", "a.b%40gmail", "0912+345+678")


def test_personal_data_is_masked_in_every_log(stack: FaultStack) -> None:
    replies, _ = stack.say("privacy-1", MESSAGE)
    assert replies, "the bot answered nothing"
    stack.say("privacy-1", "sđt của tôi là +84 912 345 678")
    logs = stack.logs()
    for name, text in logs.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in the {name} log"
    # The message did reach the logs, masked: Rasa logs every user message at DEBUG level.
    rasa = logs["rasa"]
    assert "[ID-NUMBER]" in rasa and "[PHONE]" in rasa and "[EMAIL]" in rasa, rasa[-3000:]
    assert "làm lại căn cước" in rasa or "l\\u00e0m l\\u1ea1i c\\u0103n c\\u01b0\\u1edbc" in rasa
