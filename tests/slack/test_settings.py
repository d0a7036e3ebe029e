"""Settings (bot/slack/settings.py): every variable checked, errors that say where to look."""

from __future__ import annotations

import pytest
from fake_slack import APP_TOKEN, BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET

from bot.slack.settings import (
    DEFAULT_API_BASE_URL,
    HttpLimits,
    Settings,
    SettingsError,
    port_from_env,
)

HTTP = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
SOCKET = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
OAUTH = {
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
}


def test_http_settings_need_the_bot_token_and_the_signing_secret():
    settings = Settings.from_env(HTTP, mode="http")
    assert settings.bot_token == BOT_TOKEN
    assert settings.signing_secret == SIGNING_SECRET
    assert settings.app_token is None
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.welcome_dm is False


def test_socket_settings_need_the_bot_token_and_the_app_token():
    settings = Settings.from_env(SOCKET, mode="socket")
    assert settings.app_token == APP_TOKEN
    assert settings.signing_secret is None


@pytest.mark.parametrize(
    ("mode", "env", "variable", "where"),
    [
        ("http", {**HTTP, "SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN", "OAuth & Permissions"),
        ("http", {"SLACK_SIGNING_SECRET": SIGNING_SECRET}, "SLACK_BOT_TOKEN", "OAuth"),
        ("http", {**HTTP, "SLACK_BOT_TOKEN": "xapp-1-2"}, "SLACK_BOT_TOKEN", "xoxb-"),
        ("http", {**HTTP, "SLACK_BOT_TOKEN": "xoxb-1 2"}, "SLACK_BOT_TOKEN", "xoxb-"),
        ("http", {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET", "Signing Secret"),
        ("http", {**HTTP, "SLACK_SIGNING_SECRET": "s3cr3t!"}, "SLACK_SIGNING_SECRET", "Basic"),
        ("socket", {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN", "App-Level Tokens"),
        ("socket", {**SOCKET, "SLACK_APP_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN", "xapp-"),
        ("http", {**HTTP, "SLACK_API_BASE_URL": "slack.com/api"}, "SLACK_API_BASE_URL", "http"),
        ("http", {**HTTP, "SLACK_API_BASE_URL": "ftp://x/"}, "SLACK_API_BASE_URL", "GovSlack"),
        ("http", {**HTTP, "ROLE_ADVISOR_WELCOME_DM": "maybe"}, "ROLE_ADVISOR_WELCOME_DM", "true"),
        ("http", {**HTTP, "DATABASE_URL": "not a url"}, "DATABASE_URL", "postgresql://"),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_DELIVERY_TIMEOUT": "0"},
            "ROLE_ADVISOR_DELIVERY_TIMEOUT",
            "3600",
        ),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_DELIVERY_TIMEOUT": "soon"},
            "ROLE_ADVISOR_DELIVERY_TIMEOUT",
            "seconds",
        ),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_SHUTDOWN_GRACE": "-1"},
            "ROLE_ADVISOR_SHUTDOWN_GRACE",
            "10",
        ),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_SHUTDOWN_GRACE": "nan"},
            "ROLE_ADVISOR_SHUTDOWN_GRACE",
            "10",
        ),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS": "0"},
            "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS",
            "default 90",
        ),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS": "2.5"},
            "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS",
            "whole number of days",
        ),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS": "99999999"},
            "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS",
            "from 1 to 36500",
        ),
        (
            "http",
            {**HTTP, "ROLE_ADVISOR_LOCK_CHECK_EVERY": "0"},
            "ROLE_ADVISOR_LOCK_CHECK_EVERY",
            "serving lock",
        ),
        # Many workspaces (OAuth): both credentials, HTTP mode, and no bot token besides.
        ("http", {"SLACK_SIGNING_SECRET": SIGNING_SECRET}, "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"),
        ("http", {**OAUTH, "SLACK_CLIENT_SECRET": ""}, "SLACK_CLIENT_SECRET", "Client Secret"),
        ("http", {**OAUTH, "SLACK_CLIENT_ID": " "}, "SLACK_CLIENT_ID", "Client ID"),
        ("http", {**OAUTH, "SLACK_CLIENT_ID": "A0APP"}, "SLACK_CLIENT_ID", "digits"),
        ("http", {**OAUTH, "SLACK_CLIENT_SECRET": "pa55 word"}, "SLACK_CLIENT_SECRET", "hex"),
        ("http", {**OAUTH, **HTTP}, "SLACK_BOT_TOKEN", "not both"),
        ("socket", {**OAUTH, "SLACK_APP_TOKEN": APP_TOKEN}, "SLACK_CLIENT_ID", "serve --http"),
        ("http", {**OAUTH, "SLACK_REDIRECT_URI": "https://x/"}, "SLACK_REDIRECT_URI", "Redirect"),
        ("http", {**OAUTH, "ROLE_ADVISOR_ADMINS": "U0ADMIN"}, "ROLE_ADVISOR_ADMIN_TEAM", "T..."),
        (
            "http",
            {**OAUTH, "ROLE_ADVISOR_ADMINS": "U0ADMIN", "ROLE_ADVISOR_ADMIN_TEAM": "acme"},
            "ROLE_ADVISOR_ADMIN_TEAM",
            "team id",
        ),
    ],
)
def test_a_missing_or_malformed_setting_names_the_variable_and_where_to_find_it(
    mode, env, variable, where
):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env, mode=mode)
    message = str(raised.value)
    assert raised.value.variable == variable
    assert message.startswith(variable)
    assert where in message
    for secret in env.values():
        if len(secret) > 8:
            assert secret not in message  # never echo a (possibly secret) value


def test_base_url_gets_its_trailing_slash():
    env = {**HTTP, "SLACK_API_BASE_URL": "https://slack-gov.com/api"}
    assert Settings.from_env(env, mode="http").api_base_url == "https://slack-gov.com/api/"


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("1", True), ("off", False)])
def test_welcome_switch(value, expected):
    env = {**HTTP, "ROLE_ADVISOR_WELCOME_DM": value}
    assert Settings.from_env(env, mode="http").welcome_dm is expected


def test_repr_never_shows_a_secret():
    settings = Settings.from_env({**HTTP, **SOCKET}, mode="http")
    assert BOT_TOKEN not in repr(settings)
    assert SIGNING_SECRET not in repr(settings)


def test_port():
    assert port_from_env({}) == 3000
    assert port_from_env({"PORT": "8080"}) == 8080
    with pytest.raises(SettingsError, match=r"^PORT"):
        port_from_env({"PORT": "http"})


def test_http_limits_default_to_one_mebibyte_and_ten_seconds_and_can_be_set():
    assert HttpLimits.from_env({}) == HttpLimits(1024 * 1024, 10.0)
    env = {"ROLE_ADVISOR_MAX_BODY_BYTES": "65536", "ROLE_ADVISOR_READ_TIMEOUT": "2.5"}
    assert HttpLimits.from_env(env) == HttpLimits(65536, 2.5)
    with pytest.raises(SettingsError, match=r"^ROLE_ADVISOR_MAX_BODY_BYTES is not"):
        HttpLimits.from_env({"ROLE_ADVISOR_MAX_BODY_BYTES": "-5"})
    with pytest.raises(SettingsError, match=r"^ROLE_ADVISOR_READ_TIMEOUT is not"):
        HttpLimits.from_env({"ROLE_ADVISOR_READ_TIMEOUT": "inf"})


def test_delivery_settings_default_to_a_sqlite_file_an_hour_and_ten_seconds():
    settings = Settings.from_env(HTTP, mode="http")
    assert settings.database_url == "sqlite:///role_advisor.db"
    assert (settings.delivery_timeout, settings.shutdown_grace) == (3600.0, 10.0)
    env = {
        **HTTP,
        "DATABASE_URL": "postgres://bot:hunter2@db.internal/advisor",
        "ROLE_ADVISOR_DELIVERY_TIMEOUT": "120",
        "ROLE_ADVISOR_SHUTDOWN_GRACE": "0",
    }
    settings = Settings.from_env(env, mode="http")
    assert settings.database_url == "postgresql+psycopg://bot:hunter2@db.internal/advisor"
    assert (settings.delivery_timeout, settings.shutdown_grace) == (120.0, 0.0)
    assert "hunter2" not in repr(settings)


def test_questions_are_kept_ninety_days_unless_told_otherwise():
    assert Settings.from_env(HTTP, mode="http").keep_questions_days == 90
    env = {**HTTP, "ROLE_ADVISOR_KEEP_QUESTIONS_DAYS": " 30 "}
    assert Settings.from_env(env, mode="http").keep_questions_days == 30


def test_the_serving_lock_is_checked_every_five_seconds_unless_told_otherwise():
    assert Settings.from_env(HTTP, mode="http").lock_check_every == 5.0
    env = {**HTTP, "ROLE_ADVISOR_LOCK_CHECK_EVERY": "0.5"}
    assert Settings.from_env(env, mode="http").lock_check_every == 0.5


def test_admins_and_the_context_idle_time_are_read_and_checked():
    base = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    settings = Settings.from_env(
        {**base, "ROLE_ADVISOR_ADMINS": " U0ADMIN1, W0ADMIN2 ", "ROLE_ADVISOR_CONTEXT_IDLE": "60"},
        mode="http",
    )
    assert settings.admins == ("U0ADMIN1", "W0ADMIN2")
    assert settings.context_idle == 60
    assert Settings.from_env(base, mode="http").context_idle == 1800
    with pytest.raises(SettingsError, match="ROLE_ADVISOR_ADMINS"):
        Settings.from_env({**base, "ROLE_ADVISOR_ADMINS": "alice"}, mode="http")
    with pytest.raises(SettingsError, match="ROLE_ADVISOR_CONTEXT_IDLE"):
        Settings.from_env({**base, "ROLE_ADVISOR_CONTEXT_IDLE": "0"}, mode="http")


def test_redis_url_is_optional_and_checked():
    assert Settings.from_env(HTTP, mode="http").redis_url is None
    url = "redis://127.0.0.1:6379/0"
    settings = Settings.from_env({**HTTP, "REDIS_URL": url}, mode="http")
    assert settings.redis_url == url
    assert url not in repr(settings)
    with pytest.raises(SettingsError, match="REDIS_URL"):
        Settings.from_env({**HTTP, "REDIS_URL": "http://example.com"}, mode="http")


def test_the_client_id_and_secret_instead_of_a_bot_token_install_in_many_workspaces():
    one = Settings.from_env(HTTP, mode="http")
    assert (one.oauth, one.client_id, one.client_secret) == (False, None, None)
    many = Settings.from_env(
        {
            **OAUTH,
            "SLACK_REDIRECT_URI": "https://bot.example.com/slack/oauth_redirect",
            "ROLE_ADVISOR_ADMINS": "U0ADMIN",
            "ROLE_ADVISOR_ADMIN_TEAM": "T0HOME",
        },
        mode="http",
    )
    assert many.oauth
    assert (many.bot_token, many.client_id, many.client_secret) == (None, CLIENT_ID, CLIENT_SECRET)
    assert many.redirect_uri == "https://bot.example.com/slack/oauth_redirect"
    assert (many.admins, many.admin_team) == (("U0ADMIN",), "T0HOME")
    assert CLIENT_SECRET not in repr(many)
    assert Settings.from_env(OAUTH, mode="http").admin_team is None  # no admins: not needed
