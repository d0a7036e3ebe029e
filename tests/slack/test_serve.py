"""Serving (bot/slack/serve.py): bad settings stop it with one clear message and status 2."""

from __future__ import annotations

import socket

import pytest
from fake_slack import APP_TOKEN, BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET

from bot.slack.serve import load, main

OAUTH = {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}


@pytest.mark.parametrize(
    ("argv", "env", "variable"),
    [
        (["serve", "--socket"], {}, "SLACK_BOT_TOKEN"),
        (["--socket"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN"),
        (["--http"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        (["--http"], {"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
        (["--http"], {"SLACK_BOT_TOKEN": BOT_TOKEN, "PORT": "eighty"}, "PORT"),
        (["--http"], {"SLACK_BOT_TOKEN": BOT_TOKEN, "PORT": "\u00b2"}, "PORT"),
        (["--http"], {"ROLE_ADVISOR_MAX_BODY_BYTES": "1MB"}, "ROLE_ADVISOR_MAX_BODY_BYTES"),
        (["--http"], {"ROLE_ADVISOR_MAX_BODY_BYTES": "100"}, "ROLE_ADVISOR_MAX_BODY_BYTES"),
        (["--http"], {"ROLE_ADVISOR_READ_TIMEOUT": "soon"}, "ROLE_ADVISOR_READ_TIMEOUT"),
        (["--http"], {"ROLE_ADVISOR_READ_TIMEOUT": "nan"}, "ROLE_ADVISOR_READ_TIMEOUT"),
        (["--http"], {"ROLE_ADVISOR_READ_TIMEOUT": "0"}, "ROLE_ADVISOR_READ_TIMEOUT"),
        (["--socket"], {**OAUTH, "SLACK_APP_TOKEN": APP_TOKEN}, "SLACK_CLIENT_ID"),
        (["--http"], {**OAUTH, "SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_BOT_TOKEN"),
    ],
)
def test_bad_settings_exit_2_with_one_message_naming_the_variable(capsys, argv, env, variable):
    assert main(argv, env) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Role Advisor cannot start: {variable} ")
    assert "https://api.slack.com/apps" in err or variable == "PORT" or "ROLE_ADVISOR" in variable
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_usage_errors_exit_2(capsys):
    assert main([], {}) == 2
    assert main(["--socket", "--http"], {}) == 2
    assert "--socket" in capsys.readouterr().err


def test_a_token_slack_refuses_exits_2_naming_it(capsys, fake_slack, sqlite_url):
    fake_slack.fail_next("auth.test", body={"ok": False, "error": "invalid_auth"})
    env = {
        "DATABASE_URL": sqlite_url,  # its serving lock is taken first, beside the file
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_BASE_URL": fake_slack.api_url,
    }
    assert main(["--socket"], env) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err
    assert "invalid_auth" in err
    assert BOT_TOKEN not in err


def test_an_unreachable_web_api_exits_1_without_a_traceback(capsys, sqlite_url):
    with socket.socket() as closed:  # a loopback port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {
        "DATABASE_URL": sqlite_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_BASE_URL": f"http://127.0.0.1:{port}/api/",
    }
    assert main(["--socket"], env) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err
    assert f"127.0.0.1:{port}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "url",
    ["sqlite:///{tmp}/missing/dir/bot.db", "postgresql://bot:s3cretpw@127.0.0.1:1/advisor"],
    ids=["sqlite_dir_missing", "postgresql_refused"],
)
def test_an_unusable_database_exits_1_naming_it_without_a_traceback(
    capsys, fake_slack, tmp_path, url
):
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_BASE_URL": fake_slack.api_url,
        "DATABASE_URL": url.format(tmp=tmp_path),
    }
    assert main(["--socket"], env) == 1
    err = capsys.readouterr().err
    assert "Role Advisor cannot start: the database at " in err
    assert "DATABASE_URL" in err
    assert "Traceback" not in err
    assert "s3cretpw" not in err


def test_many_workspaces_start_without_a_token_to_check(fake_slack, sqlite_url):
    env = {
        **OAUTH,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake_slack.api_url,
        "DATABASE_URL": sqlite_url,
    }
    settings, runtime = load("http", env)
    try:
        assert settings.oauth
        assert runtime.app.oauth_flow is not None
        assert runtime.app.oauth_flow.install_path == "/slack/install"
        assert fake_slack.calls == []  # no auth.test: there is no token until someone installs
    finally:
        runtime.database.dispose()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use_exits_1_naming_it_before_anything_starts(capsys, request, workers):
    shared = {"REDIS_URL": request.getfixturevalue("redis_url")} if workers == "2" else {}
    database = request.getfixturevalue("postgres_url" if shared else "sqlite_url")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env = {
            "DATABASE_URL": database,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": "a" * 32,
            "SLACK_API_BASE_URL": "http://127.0.0.1:1/api/",  # never asked: it stops before
            **shared,
        }
        argv = ["--http", "--host", "127.0.0.1", "--port", str(port), "--workers", workers]
        assert main(argv, env) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Role Advisor cannot start: it cannot listen on 127.0.0.1:{port} ")
    assert "PORT" in err
    assert "Traceback" not in err
