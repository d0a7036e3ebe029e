"""The Bolt app: one WebClient with retries, the middleware, and the listeners."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.answer import Advisor
from bot.slack import listeners, middleware
from bot.slack.delivery import retry_handlers
from bot.slack.services import Services
from bot.slack.settings import Settings

__all__ = ["API_TIMEOUT", "LISTENER_THREADS", "create_app", "create_client"]

API_TIMEOUT = 15  # seconds for one Web API call; a timed-out call is retried
LISTENER_THREADS = 16
BOLT_LOGGER = "bot.slack.bolt"


class _TokenFromClient(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN from the environment and then warns that the given
    client's token wins; it is the same token, so that warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger(BOLT_LOGGER).addFilter(_TokenFromClient())


def create_client(settings: Settings, *, timeout: float = API_TIMEOUT) -> WebClient:
    """The Web API client every call goes through: ``SLACK_API_BASE_URL``, retry handlers."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_base_url,
        timeout=timeout,  # type: ignore[arg-type]  (slack_sdk annotates int; urllib takes float)
        retry_handlers=retry_handlers(),
        logger=logging.getLogger("bot.slack.web_client"),
    )


def create_app(settings: Settings, advisor: Advisor, *, client: WebClient | None = None) -> App:
    """The Bolt app for ``settings``, answering with ``advisor``.

    Calls ``auth.test`` once to check the token (Bolt's token verification); raises Bolt's
    ``BoltError`` if Slack rejects it.
    """
    app = App(
        client=client or create_client(settings),
        signing_secret=settings.signing_secret or "",
        # HTTP requests are verified (Bolt's default); Socket Mode ones need no signature.
        request_verification_enabled=settings.signing_secret is not None,
        # Acks run before the response; the answers run after it, as lazy listeners.
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="slack-listener"
        ),
        logger=logging.getLogger(BOLT_LOGGER),
    )
    middleware.register(app, Services(advisor, welcome_dm=settings.welcome_dm))
    listeners.register(app)
    return app
