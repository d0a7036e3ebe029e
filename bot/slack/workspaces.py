"""Many workspaces: installing the app through OAuth, and each workspace's bot token.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set (``Settings.oauth``), Bolt's OAuth flow
(``OAuthSettings``) serves ``/slack/install``, a redirect to Slack's authorize page with a new
state (kept in the database and in a cookie), and ``/slack/oauth_redirect``, where the state is
checked and used up, the code exchanged with ``oauth.v2.access`` and the installation stored.
slack_sdk's SQLAlchemy stores keep installations and states in the app's database, in the tables
of migration 0003 (never created by the stores themselves).

Every request from Slack is authorized with its workspace's bot token (Bolt's
``InstallationStoreAuthorize``, reading ``slack_bots``), and every reply the outbox sends looks
the token up again (``Installations.client_for``). ``app_uninstalled`` and ``tokens_revoked``
delete what they revoke (Bolt's built-in listeners), so the workspace's requests are no longer
handled and its replies still owed fail for good. With one bot token instead, those two events
only say in the log that the token no longer works.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.db import Database
from bot.slack.inbound import Workspace
from bot.slack.settings import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH, Settings

__all__ = [
    "STATE_SECONDS",
    "BotStore",
    "Installations",
    "StateStore",
    "bolt_options",
    "register",
    "with_token",
]

STATE_SECONDS = 600  # an install link is good for ten minutes
logger = logging.getLogger("bot.slack.workspaces")
_REASON = re.compile(r"[a-z_]{1,40}")


def with_token(client: WebClient, token: str) -> WebClient:
    """A copy of ``client`` (its base URL, timeout and handlers) with ``token``, the way Bolt
    builds each request's client."""
    return WebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=dict(client.headers),
        logger=client.logger,
        retry_handlers=list(client.retry_handlers),
    )


class Installations:
    """The workspaces the app is installed in (its installation store), and a client with each
    one's bot token."""

    def __init__(self, store: InstallationStore, client: WebClient) -> None:
        self.store = store
        self.client = client

    def client_for(self, workspace: Workspace) -> WebClient | None:
        bot = self.store.find_bot(
            enterprise_id=workspace.enterprise_id,
            team_id=workspace.team_id,
            is_enterprise_install=workspace.is_enterprise_install,
        )
        if bot is None or not bot.bot_token:
            return None
        return with_token(self.client, bot.bot_token)


class BotStore(SQLAlchemyInstallationStore):
    """slack_sdk's installation store, whose look-up of a bot token (for every request and every
    reply) takes its turn at the database with the app's own transactions: on SQLite, every
    transaction takes the write lock, and waiting in SQLite's busy handler costs milliseconds
    each time where waiting on the lock costs none."""

    def __init__(self, client_id: str, database: Database) -> None:
        super().__init__(client_id, database.engine, logger=logger)
        self.database = database

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        with self.database.turn():
            return super().find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )


class StateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store, which also forgets the states that expired unused each time it
    issues one: every visit to ``/slack/install`` adds a row, and only a finished install
    removes its own."""

    def issue(self, *args: Any, **kwargs: Any) -> str:
        table = self.oauth_states
        now = normalize_datetime_for_db(datetime.now(tz=UTC))
        with self.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.expire_at <= now))
        return super().issue(*args, **kwargs)


def _installed(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    logger.info(
        "installed in team=%s enterprise=%s by user=%s",
        installation.team_id,
        installation.enterprise_id,
        installation.user_id,
    )
    return args.default.success(args)


def _refused(args: FailureArgs) -> BoltResponse:
    # Bolt's reason (invalid_state...), or the ?error= of the redirect: anybody's text.
    reason = args.reason if _REASON.fullmatch(args.reason) else "unreadable"
    logger.warning("installation refused: %s", reason)
    return args.default.failure(args)


def bolt_options(settings: Settings, database: Database, client: WebClient) -> dict[str, Any]:
    """Bolt ``App`` arguments for installations in many workspaces, kept in ``database``."""
    if settings.client_id is None or settings.client_secret is None:
        raise ValueError("installing in many workspaces needs SLACK_CLIENT_ID and its secret")
    store = BotStore(settings.client_id, database)
    oauth = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.redirect_uri,
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,  # straight to Slack's authorize page
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=_installed, failure=_refused),
        installation_store=store,
        installation_store_bot_only=True,  # bot tokens only: no user scopes are asked for
        state_store=StateStore(STATE_SECONDS, database.engine, logger=logger),
        state_expiration_seconds=STATE_SECONDS,
        logger=logger,
    )
    # Bolt's authorize, keeping each token's auth.test answer: a request costs one look-up in
    # slack_bots, not a call to Slack too. A token deleted from there is not used again.
    authorize = InstallationStoreAuthorize(
        logger=logger,
        installation_store=store,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return {"oauth_settings": oauth, "authorize": authorize}


class _Revocations:
    """``app_uninstalled`` and ``tokens_revoked``: Bolt's listeners delete what was revoked."""

    def __init__(self, app: App) -> None:
        self._uninstalled = app.default_app_uninstalled_event_listener()
        self._revoked = app.default_tokens_revoked_event_listener()

    def uninstalled(self, context: BoltContext) -> None:
        self._uninstalled(context=context)
        logger.info("uninstalled: team=%s enterprise=%s", context.team_id, context.enterprise_id)

    def revoked(self, event: dict[str, Any], context: BoltContext) -> None:
        self._revoked(event=event, context=context)
        tokens = event.get("tokens") or {}
        logger.info(
            "tokens revoked in team=%s enterprise=%s: %d bot, %d user",
            context.team_id,
            context.enterprise_id,
            len(tokens.get("bot") or []),
            len(tokens.get("oauth") or []),
        )


def _token_gone(context: BoltContext) -> None:
    logger.warning(
        "the app was uninstalled, or its token revoked, in team=%s: SLACK_BOT_TOKEN no longer "
        "works there",
        context.team_id,
    )


def register(app: App) -> None:
    """The listeners for ``app_uninstalled`` and ``tokens_revoked``."""
    if app.installation_store is None:  # one bot token: nothing stored to delete
        app.event("app_uninstalled")(_token_gone)
        app.event("tokens_revoked")(_token_gone)
        return
    revocations = _Revocations(app)
    app.event("app_uninstalled")(revocations.uninstalled)
    app.event("tokens_revoked")(revocations.revoked)
