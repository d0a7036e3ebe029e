"""Socket Mode: the app connects out to Slack over a websocket (no public URL needed).

Bolt's built-in ``SocketModeHandler`` asks ``apps.connections.open`` (through the app's own
WebClient, so ``SLACK_API_BASE_URL`` applies) for the websocket URL, acknowledges each envelope
as soon as the listener's ack has run, and reconnects by itself.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

__all__ = ["create_handler", "run"]

logger = logging.getLogger("bot.slack.socket_mode")


def create_handler(app: App, app_token: str) -> SocketModeHandler:
    return SocketModeHandler(app, app_token, logger=logging.getLogger("bot.slack.socket_client"))


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(app: App, app_token: str) -> int:
    """Connect and serve until SIGINT or SIGTERM; returns the exit status."""
    handler = create_handler(app, app_token)
    signal.signal(signal.SIGTERM, _stop)
    try:
        handler.start()  # type: ignore[no-untyped-call]  # connects, then waits forever
    except KeyboardInterrupt:
        logger.info("stopping")
    finally:
        handler.close()  # type: ignore[no-untyped-call]
    return 0
