"""An apology, not silence, when the action server is down, fails or hangs.

Rasa 3.6 logs a failed call to the action server and carries on without a reply, so the citizen
sees nothing; a hung action server holds the conversation for Rasa's fixed five minutes. Rasa has
no setting for either, so ``install()`` wraps ``RemoteAction.run``: past ``ACTION_SERVER_TIMEOUT_S``
(default 4 s; the actions themselves give up on the catalog after 1.8 s) or on any failure to reach
the server, the bot says ``utter_catalog_unavailable`` from the domain. The conversation's slots are
kept: once the action server is back, a follow-up question is answered as before.

Called from ``bot/__init__.py``, which Rasa imports when it loads the model (the tokenizer lives in
this package), so the Rasa server is patched before its first message.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any

from common.replies import PORTAL_HOME

logger = logging.getLogger(__name__)

APOLOGY = "utter_catalog_unavailable"
DEFAULT_TIMEOUT_S = 4.0


def timeout_s() -> float:
    try:
        value = float(os.environ.get("ACTION_SERVER_TIMEOUT_S", DEFAULT_TIMEOUT_S))
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return value if value > 0 else DEFAULT_TIMEOUT_S


def install() -> None:
    """Patch Rasa's remote action once, inside a Rasa process only: a test that imports ``vitext.segment``
    or the API environment (no Rasa) does not pay for importing Rasa."""
    if "rasa.core" not in sys.modules:
        return
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction.run, "_apologises", False):
        return
    RemoteAction.run = _apologising(RemoteAction.run)


def _apologising(run: Any) -> Any:
    import aiohttp
    from rasa.core.actions.action import ActionExecutionRejection, create_bot_utterance
    from rasa.shared.exceptions import RasaException

    async def run_or_apologise(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Any]:
        try:
            return list(await asyncio.wait_for(run(self, output_channel, nlg, tracker, domain), timeout_s()))
        except ActionExecutionRejection:
            raise  # the action declined on purpose: Rasa's policies pick another one
        except (RasaException, aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("action server failed on %s (%s): the citizen gets an apology", self.name(), error)
        portal = os.environ.get("PORTAL_URL", PORTAL_HOME)
        draft = await nlg.generate(APOLOGY, tracker, output_channel.name(), portal_home=portal)
        if not draft:
            return []
        draft["utter_action"] = APOLOGY
        return [create_bot_utterance(draft)]

    run_or_apologise._apologises = True  # type: ignore[attr-defined]
    return run_or_apologise
