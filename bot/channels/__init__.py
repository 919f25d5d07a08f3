"""Rasa input channels for the public: REST and socket.io (portal widget), Facebook Messenger, Zalo OA.

Every public channel passes each message through one ``MessageGuard`` (length limit, per-sender rate
limit) before Rasa sees it. Secrets come only from the environment (``bot/channels/config.py``).
"""
