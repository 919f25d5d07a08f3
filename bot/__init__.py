"""Rasa components of Trợ lý Dịch vụ công (loaded by config.yml as ``bot.tokenizer.VietnameseTokenizer``).

Rasa imports this package when it loads the model, before the first message: the place to mask
personal data in the server's logs, to make a failing action server end in an apology, and to validate the action
server's replies without re-checking Rasa's schema on every call.
"""

from bot.action_endpoint import install as _install_action_apology
from bot.action_validation import install as _install_action_validation
from knowledge.privacy import install_log_masking

install_log_masking()
_install_action_apology()
_install_action_validation()
