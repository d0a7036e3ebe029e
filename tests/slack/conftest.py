"""Fixtures for the Slack tests: a fake Slack on loopback and the real app in front of it.

The app is the production one (``create_runtime`` + the Flask app of ``bot.slack.web``) built
from settings read like the environment's, with ``SLACK_API_BASE_URL`` pointing its real
WebClient at the fake and a SQLite database of its own (a copy of one migrated file). Requests are
signed like Slack's and go through Flask's test client. The answering side (the inbox's
dispatcher and delivery) runs in the test's process, as it does under Socket Mode; ``settle``
waits until the inbox is dispatched. Retries wait milliseconds (a short ``Policy``); tests about
long waits pass a ``FakeClock`` and move it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    WAIT,
    FakeSlack,
    SlackSender,
)
from flask.testing import FlaskClient
from slack_bolt import App
from slack_sdk import WebClient

from bot.answer import Advisor
from bot.db import Database
from bot.slack.app import SlackRuntime, create_client, create_runtime
from bot.slack.replies import AdvisorSource
from bot.slack.settings import Settings
from bot.slack.web import create_flask_app
from bot.slack.worker import Policy

# Retries within milliseconds, so tests that do not move a clock still never wait.
QUICK = Policy(first_wait=0.005, max_wait=0.05, settle=0.005)
POLL = 0.02  # seconds between two looks at the outbox


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack_env(fake_slack: FakeSlack) -> dict[str, str]:
    """The environment a deployment would have, pointed at the fake Slack."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake_slack.api_url,
    }


class RequestLog(logging.Handler):
    """Collects the app's structured request lines (one per handled request)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._changed:
            self.lines.append(json.loads(record.getMessage()))
            self._changed.notify_all()

    def wait(self, count: int, timeout: float = WAIT) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.lines) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} request line(s), got {self.lines}")
                self._changed.wait(left)
            return list(self.lines)


@pytest.fixture
def request_log() -> Iterator[RequestLog]:
    handler = RequestLog()
    logger = logging.getLogger("bot.slack.requests")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(previous)


@dataclass
class SlackApp:
    """The app under test, the way to send it Slack's requests, and the fake it talks to."""

    app: App
    http: FlaskClient
    send: SlackSender
    fake: FakeSlack
    advisor: Advisor
    log: RequestLog
    runtime: SlackRuntime
    database_url: str

    def settle(self) -> None:
        """Wait until every request sent so far has been through its listener."""
        assert self.runtime.dispatcher.wait_idle(WAIT), "the inbox was not dispatched in time"


@pytest.fixture
def make_slack_app(
    fake_slack: FakeSlack,
    slack_env: dict[str, str],
    advisor: Advisor,
    request_log: RequestLog,
    sqlite_url: str,
) -> Iterator[Any]:
    """Build the real app from ``slack_env`` (plus overrides), as HTTP mode would.

    Every app built in one test shares its database (``database_url`` overrides it), as a
    restarted process would.
    """
    runtimes: list[SlackRuntime] = []

    def make(
        env: dict[str, str] | None = None,
        *,
        client: WebClient | None = None,
        timeout: float = 0,
        database_url: str = sqlite_url,
        clock: Any = time.time,
        policy: Policy = QUICK,
        start: bool = True,
        source: AdvisorSource | None = None,
    ) -> SlackApp:
        settings = Settings.from_env({**slack_env, **(env or {})}, mode="http")
        if timeout:
            client = create_client(settings, timeout=timeout)
        runtime = create_runtime(
            settings,
            source or advisor,
            client=client,
            database=Database.connect(database_url, upgrade=database_url != sqlite_url),
            clock=clock,
            draw=lambda: 0.5,
            policy=policy,
            poll=POLL,
            start=start,
        )
        runtimes.append(runtime)
        secret = settings.signing_secret or ""
        http = create_flask_app(
            runtime.app, inbox=runtime.inbox, signing_secret=secret
        ).test_client()

        def post(path: str, data: bytes, headers: dict[str, str]) -> Any:
            return http.post(path, data=data, headers=headers)

        sender = SlackSender(post)
        return SlackApp(
            runtime.app, http, sender, fake_slack, advisor, request_log, runtime, database_url
        )

    yield make
    for runtime in runtimes:  # let answers still running finish before the fake goes away
        runtime.stop(grace=WAIT)
        runtime.database.dispose()


@pytest.fixture
def slack(make_slack_app: Any) -> SlackApp:
    return make_slack_app()
