"""Rasa's HTTP app with this repository's credentials.yml and no model: ``python -m tests.bot.channels.bare_rasa PORT``.

Enough to check what the channels do before a message would reach the agent (refusals, health routes)
in a real Sanic server, without loading a model (which takes Rasa about 50 s).
"""

from __future__ import annotations

import logging
import sys

from rasa.core.run import configure_app, create_http_input_channels

from deploy.processes import ROOT


def main(port: int) -> None:
    logging.basicConfig(level=logging.INFO)  # as `rasa run` does: the channels' start-up lines are INFO
    channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    app = configure_app(channels, enable_api=False, port=port)
    app.run(host="127.0.0.1", port=port, access_log=False)


if __name__ == "__main__":
    main(int(sys.argv[1]))
