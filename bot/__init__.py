"""Rasa components of Trợ lý Dịch vụ công (loaded by config.yml as ``bot.tokenizer.VietnameseTokenizer``).

Rasa imports this package when it loads the model, before the first message: the place to mask
personal data in the server's logs and to make a failing action server end in an apology.
"""

from bot.action_endpoint import install as _install_action_apology
from knowledge.privacy import install_log_masking

install_log_masking()
_install_action_apology()
