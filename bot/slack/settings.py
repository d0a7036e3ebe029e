"""The Slack app's settings, read from the environment and checked before anything starts.

A missing or malformed setting raises ``SettingsError``, whose message names the variable and
where to find its value in the app's settings at https://api.slack.com/apps. The value itself is
never repeated in a message (it may be a secret).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.db import DEFAULT_DATABASE_URL, database_url

__all__ = [
    "ADMINS_VARIABLE",
    "ADMIN_TEAM_VARIABLE",
    "BOT_SCOPES",
    "CONTEXT_IDLE_VARIABLE",
    "DEFAULT_API_BASE_URL",
    "DEFAULT_LOCK_CHECK_EVERY",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_PORT",
    "DEFAULT_READ_TIMEOUT",
    "DELIVERY_TIMEOUT_VARIABLE",
    "INSTALL_PATH",
    "KEEP_QUESTIONS_VARIABLE",
    "LOCK_CHECK_VARIABLE",
    "MAX_BODY_VARIABLE",
    "MAX_WORKERS",
    "METRICS_DIR_VARIABLE",
    "READ_TIMEOUT_VARIABLE",
    "REDIRECT_PATH",
    "SHUTDOWN_GRACE_VARIABLE",
    "WELCOME_VARIABLE",
    "WORKERS_VARIABLE",
    "HttpLimits",
    "Mode",
    "Settings",
    "SettingsError",
    "port_from_env",
    "workers_from_env",
]

Mode = Literal["socket", "http"]

DEFAULT_API_BASE_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
WELCOME_VARIABLE = "ROLE_ADVISOR_WELCOME_DM"
MAX_BODY_VARIABLE = "ROLE_ADVISOR_MAX_BODY_BYTES"
READ_TIMEOUT_VARIABLE = "ROLE_ADVISOR_READ_TIMEOUT"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024  # Slack's requests are a few kilobytes
DEFAULT_READ_TIMEOUT = 10.0  # seconds to receive one whole request
DELIVERY_TIMEOUT_VARIABLE = "ROLE_ADVISOR_DELIVERY_TIMEOUT"
CONTEXT_IDLE_VARIABLE = "ROLE_ADVISOR_CONTEXT_IDLE"
ADMINS_VARIABLE = "ROLE_ADVISOR_ADMINS"
ADMIN_TEAM_VARIABLE = "ROLE_ADVISOR_ADMIN_TEAM"
SHUTDOWN_GRACE_VARIABLE = "ROLE_ADVISOR_SHUTDOWN_GRACE"
KEEP_QUESTIONS_VARIABLE = "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS"
LOCK_CHECK_VARIABLE = "ROLE_ADVISOR_LOCK_CHECK_EVERY"
WORKERS_VARIABLE = "ROLE_ADVISOR_WORKERS"
MAX_WORKERS = 64
# prometheus_client's own: its multiprocess mode, decided when prometheus_client is imported.
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
DEFAULT_DELIVERY_TIMEOUT = 3600.0
DEFAULT_CONTEXT_IDLE = 30 * 60.0
DEFAULT_SHUTDOWN_GRACE = 10.0
DEFAULT_KEEP_QUESTIONS_DAYS = 90
MAX_KEEP_QUESTIONS_DAYS = 36500  # a hundred years: as good as for ever
DEFAULT_LOCK_CHECK_EVERY = 5.0  # seconds: a second copy takes longer than that to start
# Many workspaces (OAuth): where installing starts, and where Slack sends the installer back.
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes an installation asks for: manifest.yml's (tests/slack/test_manifest.py checks).
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "chat:write",
    "chat:write.public",
    "commands",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
)

_APPS = "your app's page at https://api.slack.com/apps"
_WHERE = {
    "SLACK_BOT_TOKEN": (
        f"It is the Bot User OAuth Token: in {_APPS}, open 'OAuth & Permissions' and copy "
        "'Bot User OAuth Token' (install the app to your workspace first). To install the app "
        "in many workspaces instead, unset it and set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET."
    ),
    "SLACK_CLIENT_ID": (
        f"With SLACK_CLIENT_SECRET it lets the app be installed in many workspaces (OAuth): in "
        f"{_APPS}, open 'Basic Information', 'App Credentials', and copy 'Client ID' (digits, a "
        "dot, digits). Installing needs HTTP mode (serve --http) and SLACK_BOT_TOKEN unset."
    ),
    "SLACK_CLIENT_SECRET": (
        f"With SLACK_CLIENT_ID it lets the app be installed in many workspaces (OAuth): in "
        f"{_APPS}, open 'Basic Information', 'App Credentials', and copy 'Client Secret'."
    ),
    "SLACK_REDIRECT_URI": (
        f"It is optional: the full URL Slack sends installers back to, https://YOUR-HOST"
        f"{REDIRECT_PATH}, as listed under 'Redirect URLs' in 'OAuth & Permissions' in {_APPS} "
        "(needed only when that list has more than one URL)."
    ),
    ADMIN_TEAM_VARIABLE: (
        "It is the workspace the admins of ROLE_ADVISOR_ADMINS are in, for installations in "
        "many workspaces: its team id (T..., or E... for an organisation-wide install), shown "
        "in the workspace's URL at https://app.slack.com/client/T.../."
    ),
    "SLACK_APP_TOKEN": (
        f"It is an app-level token for Socket Mode: in {_APPS}, open 'Basic Information', "
        "'App-Level Tokens', and generate one with the connections:write scope."
    ),
    "SLACK_SIGNING_SECRET": (
        f"It verifies that requests come from Slack: in {_APPS}, open 'Basic Information', "
        "'App Credentials', and copy 'Signing Secret'."
    ),
    "SLACK_API_BASE_URL": (
        "It is optional and not in Slack's app settings: leave it unset for Slack's Web API, or "
        "set it to a full http(s) URL such as https://slack-gov.com/api/ (GovSlack) or a proxy."
    ),
    WELCOME_VARIABLE: (
        "It is this app's own switch for the welcome DM to new members (off by default); "
        "set it to true or false. It needs the team_join event and users:read scope, both in "
        "manifest.yml."
    ),
    "PORT": "It is the port the HTTP server listens on: a number from 1 to 65535.",
    MAX_BODY_VARIABLE: (
        "It is this app's own limit on an HTTP request's body, in bytes (default 1048576): "
        "a whole number from 1024 up."
    ),
    READ_TIMEOUT_VARIABLE: (
        "It is this app's own limit on the time to receive one HTTP request, in seconds "
        "(default 10): a number from 1 to 300."
    ),
    "REDIS_URL": (
        "It is the Redis server that several processes share conversations and seen request "
        "signatures through: a URL such as redis://host:6379/0 (unset: each process keeps its "
        "own, in memory)."
    ),
    "DATABASE_URL": (
        "It is the database that keeps accepted requests and undelivered replies: a SQLAlchemy "
        "URL such as postgresql://user:password@host/db or sqlite:///role_advisor.db (the default)."
    ),
    DELIVERY_TIMEOUT_VARIABLE: (
        "It is how many seconds a reply is retried while Slack cannot be reached before it is "
        "given up on (default 3600): a positive number."
    ),
    SHUTDOWN_GRACE_VARIABLE: (
        "It is how many seconds a stopping app waits for replies in flight (default 10): "
        "a number, 0 or more."
    ),
    KEEP_QUESTIONS_VARIABLE: (
        "It is how many days the questions asked in Slack, and the feedback on their answers, "
        "are kept for the report before they are deleted (default "
        f"{DEFAULT_KEEP_QUESTIONS_DAYS}): a whole number from 1 to {MAX_KEEP_QUESTIONS_DAYS}."
    ),
    LOCK_CHECK_VARIABLE: (
        "It is how many seconds pass between two checks that a serving process still holds "
        "the database's serving lock, stopping when it does not (default "
        f"{DEFAULT_LOCK_CHECK_EVERY:g}): a positive number."
    ),
    ADMINS_VARIABLE: (
        "It is the Slack user ids (U...) of the people who keep the knowledge: they are told "
        "when an edit to it is refused, and may run /roleadvisor-report. Separate them by "
        "commas; each is in the person's profile under 'Copy member ID'."
    ),
    WORKERS_VARIABLE: (
        "It is how many processes serve the HTTP port (default 1), what --workers says when it "
        f"is not given: a whole number from 1 to {MAX_WORKERS}. More than 1 needs REDIS_URL "
        "and a PostgreSQL DATABASE_URL."
    ),
    CONTEXT_IDLE_VARIABLE: (
        "It is how many seconds a conversation keeps its context for follow-ups after its last "
        "message (default 1800): a positive number."
    ),
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_SECRET = re.compile(r"[0-9a-fA-F]{16,128}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
_TEAM_ID = re.compile(r"[TE][A-Z0-9]{2,20}")
_CLIENT_ID = re.compile(r"[0-9]{1,30}\.[0-9]{1,30}")


class SettingsError(ValueError):
    """A missing or malformed setting; the message names the variable and where to find it."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        super().__init__(f"{variable} {problem}. {_WHERE[variable]}")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the Slack app needs to run; build it with ``Settings.from_env``.

    One workspace has a ``bot_token``; many (``oauth``) have a ``client_id`` and
    ``client_secret`` instead, and their bot tokens come from installing the app.
    """

    bot_token: str | None
    app_token: str | None = None
    signing_secret: str | None = None
    api_base_url: str = DEFAULT_API_BASE_URL
    welcome_dm: bool = False
    database_url: str = DEFAULT_DATABASE_URL
    delivery_timeout: float = DEFAULT_DELIVERY_TIMEOUT
    shutdown_grace: float = DEFAULT_SHUTDOWN_GRACE
    context_idle: float = DEFAULT_CONTEXT_IDLE
    keep_questions_days: int = DEFAULT_KEEP_QUESTIONS_DAYS
    lock_check_every: float = DEFAULT_LOCK_CHECK_EVERY
    admins: tuple[str, ...] = ()
    redis_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    redirect_uri: str | None = None
    admin_team: str | None = None  # many workspaces: the admins' team (or enterprise) id

    @property
    def oauth(self) -> bool:
        """Installed in many workspaces through OAuth, rather than one with a bot token."""
        return self.client_id is not None

    def __repr__(self) -> str:  # never show the secrets
        return (
            f"Settings(bot_token={'…' if self.bot_token else None}, "
            f"app_token={'…' if self.app_token else None}, "
            f"signing_secret={'…' if self.signing_secret else None}, "
            f"api_base_url={self.api_base_url!r}, welcome_dm={self.welcome_dm}, "
            f"database_url={make_url(self.database_url).render_as_string(hide_password=True)!r}, "
            f"delivery_timeout={self.delivery_timeout}, shutdown_grace={self.shutdown_grace}, "
            f"context_idle={self.context_idle}, "
            f"keep_questions_days={self.keep_questions_days}, "
            f"lock_check_every={self.lock_check_every}, admins={self.admins!r}, "
            f"redis_url={'…' if self.redis_url else None}, client_id={self.client_id!r}, "
            f"client_secret={'…' if self.client_secret else None}, "
            f"redirect_uri={self.redirect_uri!r}, admin_team={self.admin_team!r})"
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, mode: Mode) -> Settings:
        """Read the settings ``mode`` needs: Socket Mode needs the app token, HTTP the secret;
        one workspace the bot token, many (HTTP only) the client id and secret."""
        oauth = _oauth(env, mode)
        admins = _user_ids(env, ADMINS_VARIABLE)
        return cls(
            bot_token=None if oauth else _token(env, "SLACK_BOT_TOKEN", "xoxb-"),
            app_token=_token(env, "SLACK_APP_TOKEN", "xapp-") if mode == "socket" else None,
            signing_secret=_signing_secret(env) if mode == "http" else None,
            api_base_url=_base_url(env),
            welcome_dm=_flag(env, WELCOME_VARIABLE),
            database_url=_database_url(env),
            delivery_timeout=_seconds(
                env, DELIVERY_TIMEOUT_VARIABLE, DEFAULT_DELIVERY_TIMEOUT, positive=True
            ),
            shutdown_grace=_seconds(env, SHUTDOWN_GRACE_VARIABLE, DEFAULT_SHUTDOWN_GRACE),
            context_idle=_seconds(env, CONTEXT_IDLE_VARIABLE, DEFAULT_CONTEXT_IDLE, positive=True),
            keep_questions_days=_keep_questions_days(env),
            lock_check_every=_seconds(
                env, LOCK_CHECK_VARIABLE, DEFAULT_LOCK_CHECK_EVERY, positive=True
            ),
            admins=admins,
            redis_url=_redis_url(env),
            client_id=oauth[0] if oauth else None,
            client_secret=oauth[1] if oauth else None,
            redirect_uri=_redirect_uri(env) if oauth else None,
            admin_team=_admin_team(env) if oauth and admins else None,
        )


def _oauth(env: Mapping[str, str], mode: Mode) -> tuple[str, str] | None:
    """The client id and secret when the app is installed in many workspaces, else None."""
    if not (env.get("SLACK_CLIENT_ID", "").strip() or env.get("SLACK_CLIENT_SECRET", "").strip()):
        return None
    client_id = _required(env, "SLACK_CLIENT_ID")
    if not _CLIENT_ID.fullmatch(client_id):
        raise SettingsError("SLACK_CLIENT_ID", "is malformed: it should be digits, a dot, digits")
    secret = _required(env, "SLACK_CLIENT_SECRET")
    if not _SECRET.fullmatch(secret):
        raise SettingsError("SLACK_CLIENT_SECRET", "is malformed: it should be hexadecimal")
    if env.get("SLACK_BOT_TOKEN", "").strip():
        raise SettingsError(
            "SLACK_BOT_TOKEN",
            "is set as well as SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: set the bot token for one "
            "workspace, or the client id and secret for many, not both",
        )
    if mode == "socket":
        raise SettingsError("SLACK_CLIENT_ID", "is set for Socket Mode")
    return client_id, secret


def _redirect_uri(env: Mapping[str, str]) -> str | None:
    value = env.get("SLACK_REDIRECT_URI", "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path != REDIRECT_PATH:
        raise SettingsError("SLACK_REDIRECT_URI", f"is not an http(s) URL to {REDIRECT_PATH}")
    return value


def _admin_team(env: Mapping[str, str]) -> str:
    value = _required(env, ADMIN_TEAM_VARIABLE)
    if not _TEAM_ID.fullmatch(value):
        raise SettingsError(ADMIN_TEAM_VARIABLE, "is not a team id such as T0123ABCD")
    return value


def _user_ids(env: Mapping[str, str], variable: str) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in env.get(variable, "").split(",") if part.strip())
    if not all(_USER_ID.fullmatch(user) for user in ids):
        raise SettingsError(variable, "must be Slack user ids such as U0123ABCD, comma-separated")
    return ids


def port_from_env(env: Mapping[str, str], default: int = DEFAULT_PORT) -> int:
    """``PORT`` as a number, or ``default`` when it is unset."""
    value = env.get("PORT", "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) < 65536:
        raise SettingsError("PORT", "is not a port number")
    return int(value)


def workers_from_env(env: Mapping[str, str]) -> int:
    """``ROLE_ADVISOR_WORKERS`` as a number of processes, 1 when it is unset."""
    value = env.get(WORKERS_VARIABLE, "").strip()
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_WORKERS:
        raise SettingsError(WORKERS_VARIABLE, f"is not a whole number from 1 to {MAX_WORKERS}")
    return int(value)


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """What one HTTP request may cost: its body's size, and the time to receive it whole."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    read_timeout: float = DEFAULT_READ_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HttpLimits:
        body = env.get(MAX_BODY_VARIABLE, "").strip()
        timeout = env.get(READ_TIMEOUT_VARIABLE, "").strip()
        if body and not (body.isascii() and body.isdigit() and int(body) >= 1024):
            raise SettingsError(MAX_BODY_VARIABLE, "is not a whole number of bytes from 1024 up")
        try:
            seconds = float(timeout) if timeout else DEFAULT_READ_TIMEOUT
        except ValueError:
            seconds = 0.0
        if not 1 <= seconds <= 300:
            raise SettingsError(READ_TIMEOUT_VARIABLE, "is not a number of seconds from 1 to 300")
        return cls(int(body) if body else DEFAULT_MAX_BODY_BYTES, seconds)


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(name, "is not set")
    return value


def _token(env: Mapping[str, str], name: str, prefix: str) -> str:
    value = _required(env, name)
    if not value.startswith(prefix) or len(value) <= len(prefix) or any(c.isspace() for c in value):
        raise SettingsError(name, f"is malformed: it should start with {prefix} and have no spaces")
    return value


def _signing_secret(env: Mapping[str, str]) -> str:
    value = _required(env, "SLACK_SIGNING_SECRET")
    if not _SECRET.fullmatch(value):
        raise SettingsError("SLACK_SIGNING_SECRET", "is malformed: it should be hexadecimal")
    return value


def _base_url(env: Mapping[str, str]) -> str:
    value = env.get("SLACK_API_BASE_URL", "").strip()
    if not value:
        return DEFAULT_API_BASE_URL
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError("SLACK_API_BASE_URL", "is not an http(s) URL")
    # The Web API client joins method names onto it, which needs the trailing slash.
    return value if value.endswith("/") else value + "/"


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(name, "is neither true nor false")


def _redis_url(env: Mapping[str, str]) -> str | None:
    value = env.get("REDIS_URL", "").strip()
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL", "is not a Redis URL")
    return value


def _database_url(env: Mapping[str, str]) -> str:
    value = database_url(env)
    try:
        make_url(value)
    except ArgumentError:
        raise SettingsError("DATABASE_URL", "is not a database URL") from None
    return value


def _keep_questions_days(env: Mapping[str, str]) -> int:
    value = env.get(KEEP_QUESTIONS_VARIABLE, "").strip()
    if not value:
        return DEFAULT_KEEP_QUESTIONS_DAYS
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_KEEP_QUESTIONS_DAYS:
        problem = f"is not a whole number of days from 1 to {MAX_KEEP_QUESTIONS_DAYS}"
        raise SettingsError(KEEP_QUESTIONS_VARIABLE, problem)
    return int(value)


def _seconds(env: Mapping[str, str], name: str, default: float, *, positive: bool = False) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= (1e-9 if positive else 0.0) or seconds == float("inf"):
        raise SettingsError(name, "is not a number of seconds")
    return seconds
