"""Rasa input channels for the public: REST and socket.io (portal widget), Facebook Messenger, Zalo OA.

Every public channel passes each message through one ``MessageGuard`` (length limit, per-sender rate
limit) before Rasa sees it. Secrets come only from the environment (``bot/channels/config.py``).
"""

from bot.serving.hooks import install as _install_server_hooks

# Rasa imports this package while it reads credentials.yml, before it builds its sanic app (bot/serving/).
_install_server_hooks()
