"""The Bolt app and what runs behind it: the database, the inbox, the outbox and delivery.

``create_runtime`` builds it all; ``SlackRuntime.start`` starts the answering side: the
dispatcher, which hands what waits in the inbox to the listeners, and delivery, which first
answers whatever a previous process accepted and never answered, and sends whatever it left in
the outbox. Over HTTP the web process starts neither (its answer process does: see
``bot.slack.answer_process``); Socket Mode and the tests run both in one process. When a
preloading server forks after the app was built, the answering side stops before the fork and
starts again in the child. At exit (SIGTERM included) it stops taking requests and replies and
gives those in flight ``shutdown_grace`` seconds; the rest wait in the inbox and the outbox for
the next start.
"""

from __future__ import annotations

import atexit
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from slack_bolt import App
from slack_sdk import WebClient

from bot.db import Database
from bot.db.key_accounts import KeyAccounts
from bot.db.questions import QuestionStore
from bot.slack import metrics, workspaces
from bot.slack.conversation import Conversations
from bot.slack.delivery import Clients, OneWorkspace, Sender
from bot.slack.feedback import FeedbackListeners
from bot.slack.inbox import Dispatcher, Inbox
from bot.slack.intake import Intake
from bot.slack.keyaccounts import KeyAccountListeners
from bot.slack.ledger import Ledger
from bot.slack.listeners import Listeners
from bot.slack.redis_stores import RedisConversations
from bot.slack.replies import AdvisorSource, Responder
from bot.slack.report import ReportListeners
from bot.slack.settings import Settings
from bot.slack.worker import DeliveryWorker, Policy

__all__ = [
    "API_TIMEOUT",
    "SlackRuntime",
    "create_app",
    "create_client",
    "create_runtime",
]

API_TIMEOUT = 15  # seconds for one Web API call
DAY = 86400.0
BOLT_LOGGER = "bot.slack.bolt"
logger = logging.getLogger("bot.slack.app")


class _TokenFromClient(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN from the environment and then warns that the given
    client's token wins; it is the same token, so that warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger(BOLT_LOGGER).addFilter(_TokenFromClient())


def create_client(settings: Settings, *, timeout: float = API_TIMEOUT) -> WebClient:
    """The Web API client every call goes through, at ``SLACK_API_BASE_URL``.

    It has no retry handlers: the outbox retries, without holding a thread, and looks before
    posting again after a try that may have reached Slack.
    """
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_base_url,
        timeout=timeout,  # type: ignore[arg-type]  # slack_sdk says int; urllib takes float
        retry_handlers=[],
        logger=logging.getLogger("bot.slack.web_client"),
    )


@dataclass(eq=False)
class SlackRuntime:
    """The Bolt app, its inbox, and its answering side (dispatcher and delivery), sharing one
    database; ``clients`` gives the client with a workspace's bot token."""

    app: App
    database: Database
    ledger: Ledger
    inbox: Inbox
    intake: Intake
    dispatcher: Dispatcher
    worker: DeliveryWorker
    shutdown_grace: float
    clients: Clients

    answering: bool = field(default=False, init=False)

    def start(self) -> None:
        """Answer: dispatch the inbox and deliver the outbox. Delivery starts first: it resumes
        what was accepted before it started, the dispatcher takes on only what comes after."""
        self.answering = True
        self.worker.start()
        self.dispatcher.start()

    def stop(self, grace: float | None = None) -> bool:
        """Stop answering within ``grace`` seconds (``shutdown_grace`` by default)."""
        was_running, self.answering = self.answering, False
        grace = self.shutdown_grace if grace is None else grace
        deadline = time.monotonic() + grace
        dispatched = self.dispatcher.stop(grace)
        stopped = self.worker.stop(max(0.0, deadline - time.monotonic())) and dispatched
        if was_running:
            replies, requests = self._depths()
            logger.info(
                "delivery stopped: %d replies and %d requests wait for the next start",
                replies,
                requests,
            )
        return stopped

    def _depths(self) -> tuple[int, int]:
        """Replies in the outbox, requests in the inbox."""
        try:
            return self.ledger.depth(), self.ledger.inbox_depth()
        except Exception:  # the database is away as well: say so, stop anyway
            logger.exception("the outbox cannot be read")
            return -1, -1

    def before_fork(self) -> None:
        """Answering moves to the forked child: pause it here, and close every connection (a
        SQLite connection, or its locks, must not be shared across a fork)."""
        self.dispatcher.stop(self.shutdown_grace)
        if self.worker.running:
            self.worker.stop(self.shutdown_grace)
        self.database.dispose()

    def in_forked_child(self) -> None:
        self.database.after_fork()
        if self.answering:
            self.start()


def _follow_the_process(runtime: SlackRuntime) -> None:
    """Stop ``runtime`` at exit, and move its delivery into forked children."""
    atexit.register(runtime.stop)
    os.register_at_fork(before=runtime.before_fork, after_in_child=runtime.in_forked_child)


def create_runtime(
    settings: Settings,
    advisor: AdvisorSource,
    *,
    client: WebClient | None = None,
    database: Database | None = None,
    clock: Callable[[], float] = time.time,
    draw: Callable[[], float] | None = None,
    policy: Policy | None = None,
    poll: float = 1.0,
    migrate: bool = True,
    start: bool = True,
) -> SlackRuntime:
    """The app for ``settings``, answering with ``advisor``, its answering side started unless
    ``start`` is false.

    With one bot token, calls ``auth.test`` once to check it (Bolt's token verification);
    raises Bolt's ``BoltError`` if Slack rejects it. With ``settings.oauth`` (many workspaces)
    the database comes first: it holds the installations that authorize each request. The
    database at ``DATABASE_URL`` (unless ``database`` is given) has its schema migrated unless
    ``migrate`` is false. ``clock``, ``draw`` (the jitter), ``policy`` (the retry timing; by
    default from ``settings``) and ``poll`` are for tests.
    """
    client = client or create_client(settings)
    installed: dict[str, Any] = {}
    if settings.oauth:
        database = database or Database.connect(settings.database_url, upgrade=migrate)
        installed = workspaces.bolt_options(settings, database, client)
    app = App(
        client=client,
        signing_secret=settings.signing_secret or "",
        # HTTP requests are verified (Bolt's default); Socket Mode ones need no signature.
        request_verification_enabled=settings.signing_secret is not None,
        # A listener runs to its end before Bolt answers: /keyaccount's and its modal's
        # acknowledgements carry their answers; over Socket Mode, the request is recorded first.
        process_before_response=True,
        logger=logging.getLogger(BOLT_LOGGER),
        **installed,
    )
    database = database or Database.connect(settings.database_url, upgrade=migrate)
    store = app.installation_store
    clients: Clients = (
        OneWorkspace(client) if store is None else workspaces.Installations(store, client)
    )
    ledger = Ledger(database)
    conversations = Conversations(shared_conversations(settings), idle=settings.context_idle)
    questions = QuestionStore(database)
    responder = Responder(
        advisor, conversations, welcome_dm=settings.welcome_dm, questions=questions
    )
    intake = Intake(ledger, ledger, responder, clock=clock)
    worker = DeliveryWorker(
        ledger,
        Sender(clients),
        on_done=intake.delivered,
        resume=intake.resume,
        prune_questions=questions.prune,
        policy=policy
        or Policy(
            give_up_after=settings.delivery_timeout,
            keep_questions=settings.keep_questions_days * DAY,
        ),
        clock=clock,
        draw=draw,
        poll=poll,
    )
    intake.worker = worker
    Listeners(intake).register(app)
    scorecard = KeyAccounts.from_knowledge(advisor.current().knowledge, database)
    KeyAccountListeners(scorecard).register(app)
    workspaces.register(app)
    FeedbackListeners(ledger, questions, clock=clock).register(app)
    ReportListeners(
        settings.admins, questions, advisor, admin_team=settings.admin_team, clock=clock
    ).register(app)
    dispatcher = Dispatcher(app, ledger, poll=poll, clock=clock)
    inbox = Inbox(ledger, wake=dispatcher.wake, clock=clock)
    metrics.watch_outbox(ledger.depth)
    metrics.watch_inbox(ledger.inbox_depth)
    runtime = SlackRuntime(
        app,
        database,
        ledger,
        inbox,
        intake,
        dispatcher,
        worker,
        settings.shutdown_grace,
        clients,
    )
    _follow_the_process(runtime)
    if start:
        runtime.start()
    return runtime


def redis_client(settings: Settings) -> Redis | None:
    """The Redis several processes share (``REDIS_URL``), or None for one process."""
    return Redis.from_url(settings.redis_url) if settings.redis_url else None


def shared_conversations(settings: Settings) -> RedisConversations | None:
    client = redis_client(settings)
    return RedisConversations(client, idle=settings.context_idle) if client else None


def create_app(
    settings: Settings, advisor: AdvisorSource, *, client: WebClient | None = None
) -> App:
    """The Bolt app for ``settings`` with its answering side running (see ``create_runtime``)."""
    return create_runtime(settings, advisor, client=client).app
