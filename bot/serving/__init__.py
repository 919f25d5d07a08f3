"""What the Rasa server process gets besides its channels: the HTTP guard, the token rule, NLU off the loop.

Installed from ``bot/channels/__init__.py``: Rasa imports the channels while it reads credentials.yml,
before it builds its web app. Not from ``bot/__init__.py``: the model's cache key includes ``bot/*.py``,
and none of this changes what the model learns.
"""
