"""The latest message id of each Zalo user, so a message sent outside a request (a staff reply) can quote it.

Zalo counts an OA message as a reply, inside the free 48-hour window, only when it carries the user's
``message_id`` (docs/channels.md, "Replies, not proactive messages"). Kept in this process's memory:
after a restart, or on another Rasa node, a staff reply goes out in the plain ``user_id`` form.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

REPLY_WINDOW_S = 48 * 3600
MAX_USERS = 20_000


class RecentMessages:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._latest: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def note(self, user_id: str, message_id: str | None) -> None:
        if not message_id:
            return
        self._latest[user_id] = (message_id, self.clock())
        self._latest.move_to_end(user_id)
        while len(self._latest) > MAX_USERS:
            self._latest.popitem(last=False)

    def latest(self, user_id: str) -> str | None:
        """The user's latest message id while a reply to it is still within the window, else ``None``."""
        found = self._latest.get(user_id)
        if found is None or self.clock() - found[1] > REPLY_WINDOW_S:
            return None
        return found[0]
