"""The slots a hand-off and a call-back leave in the tracker: written by Rasa and the actions, read by the
staff console. Both environments name them from here, so the two sides cannot drift apart."""

from __future__ import annotations

# The civil servant who took the conversation over (bot/channels/handoff.py); empty: waiting, or none.
STAFF_SLOT = "handoff_staff"
# The number a citizen left for a call-back, validated (actions/callback.py).
CALLBACK_SLOT = "callback_phone"
