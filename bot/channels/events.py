"""Every webhook event of the Zalo OA and Messenger documents, and what the channels do with each one.

Three outcomes (docs/channels.md has the same table for people):

- answered: a text or a tapped payload goes to Rasa; a follow or "Get Started" greets; an image, sticker,
  voice message, video, file, location… gets a short reply saying what the assistant can read;
- quiet: receipts and echoes of our own messages, one per message sent; logged at DEBUG;
- noted: everything else, named below, and any event name or shape not listed here; logged at INFO with
  the sender id (a platform-scoped id, no personal data), acknowledged with 200 so the platform does not
  retry it or turn the webhook off.
"""

from __future__ import annotations

import logging

# Zalo OA API v3 `event_name`s of a citizen's message that is not text, and the kind of content it carries.
ZALO_MEDIA = {
    "user_send_image": "image",
    "user_send_gif": "gif",
    "user_send_sticker": "sticker",
    "user_send_audio": "audio",
    "user_send_video": "video",
    "user_send_file": "file",
    "user_send_location": "location",
    "user_send_link": "link",
    "user_send_business_card": "business_card",
}
ZALO_QUIET = frozenset(
    {
        "user_received_message",
        "user_seen_message",
        # The OA's own messages: ours, or a staff member replying on the OA chat page.
        "oa_send_text",
        "oa_send_image",
        "oa_send_gif",
        "oa_send_list",
        "oa_send_file",
        "oa_send_sticker",
        "oa_send_template",
    }
)
ZALO_NOTED = {
    "unfollow": "the citizen stopped following the OA",
    "user_reacted_message": "a reaction to one of our messages",
    "oa_reacted_message": "a reaction by the OA",
    "user_click_chatnow": "the citizen opened the chat from the OA profile",
    "user_submit_info": "a filled request_user_info form (we never send one); its content is not logged",
    "anonymous_send_text": "anonymous chat needs the v2 anonymous send API, which this channel does not use",
    "anonymous_send_image": "anonymous chat, not answered",
    "anonymous_send_file": "anonymous chat, not answered",
    "anonymous_send_sticker": "anonymous chat, not answered",
    "add_user_to_tag": "OA management",
    "user_asking_product": "Zalo Shop",
    "shop_has_order": "Zalo Shop",
    "change_oa_daily_quota": "OA quota",
    "change_oa_template_tags": "ZNS templates",
    "change_template_status": "ZNS templates",
    "user_feedback": "a rating of the OA in Zalo's own form",
}

# Messenger: the key of a `messaging[]` item that names its webhook field, for the events that are not
# a message or a postback (those are parsed in payloads.py).
MESSENGER_FIELDS = {
    "delivery": "message_deliveries",
    "read": "message_reads",
    "reaction": "message_reactions",
    "message_edit": "message_edits",
    "referral": "messaging_referrals",
    "optin": "messaging_optins",
    "pass_thread_control": "messaging_handovers",
    "take_thread_control": "messaging_handovers",
    "request_thread_control": "messaging_handovers",
    "app_roles": "messaging_handovers",
    "policy_enforcement": "messaging_policy_enforcement",
    "account_linking": "messaging_account_linking",
    "game_play": "messaging_game_plays",
    "response_feedback": "response_feedback",
    "checkout_update": "messaging_checkout_updates",
    "payment": "messaging_payments",
}
MESSENGER_QUIET = frozenset({"message_deliveries", "message_reads", "message_echoes"})
MESSENGER_NOTES = {
    "message_reactions": "a reaction to one of our messages",
    "messaging_account_linking": "account linking, not used by this page",
    "messaging_game_plays": "Instant Games, not used by this page",
    "messaging_checkout_updates": "payments, not used by this page",
    "messaging_payments": "payments, not used by this page",
    "unknown": "an event shape not in Meta's webhook reference",
    "message_edits": "the edited text is not answered again",
    "messaging_referrals": "an m.me link, ad or chat plugin opened an existing conversation",
    "messaging_optins": "an opt-in to marketing or notification messages, which this page does not send",
    "messaging_handovers": "another app took or passed the conversation (handover protocol)",
    "messaging_policy_enforcement": "Meta restricted or blocked the app: check the app dashboard",
    "standby": "a message while another app owns the conversation",
    "changes": "a dashboard test event (entry.changes), not a real conversation",
    "response_feedback": "Messenger's own thumbs on a reply (the 👍/👎 quick replies are the feedback we store)",
}


# Someone has to act on these: Meta warns, restricts or blocks the app.
WARNINGS = frozenset({"messaging_policy_enforcement"})


def log_skipped(logger: logging.Logger, channel: str, event: str, sender: str | None, note: str | None) -> None:
    """One line per event that gets no answer: DEBUG for receipts and echoes, INFO (WARNING for a policy
    enforcement) for everything else."""
    if event in ZALO_QUIET or event in MESSENGER_QUIET:
        logger.debug("%s: %s event from %s ignored", channel, event, sender or "-")
        return
    note = note or ZALO_NOTED.get(event) or MESSENGER_NOTES.get(event) or "not handled"
    level = logging.WARNING if event in WARNINGS else logging.INFO
    logger.log(level, "%s: %s event from %s logged, not answered (%s)", channel, event, sender or "-", note)
