"""manifest.yml declares everything the listeners handle, and the Messages tab for DMs."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.keyaccounts import COMMAND as KEYACCOUNT
from bot.slack.listeners import COMMANDS
from bot.slack.report import COMMAND as REPORT
from bot.slack.settings import BOT_SCOPES, REDIRECT_PATH
from bot.slack.web import EVENTS_PATH

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())


def test_every_slash_command_is_declared_with_a_usage_hint_where_it_takes_arguments():
    commands = {c["command"]: c for c in MANIFEST["features"]["slash_commands"]}
    assert set(commands) == {*COMMANDS, KEYACCOUNT, REPORT}
    assert "list" in commands[KEYACCOUNT]["usage_hint"]
    assert "7d" in commands[REPORT]["usage_hint"]
    assert commands["/compare"]["usage_hint"].startswith("AE AM")
    assert commands["/role"]["usage_hint"].startswith("CSM")
    assert all(c["url"].endswith(EVENTS_PATH) for c in commands.values())


def test_events_and_their_scopes():
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_mention", "message.im", "app_home_opened", "team_join"} | {
        "app_uninstalled",
        "tokens_revoked",
    }
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    needed = {"app_mentions:read", "chat:write", "commands", "im:history", "users:read"}
    # Looking for a reply whose post timed out (conversations.history / .replies, im:write to
    # find the DM of a user).
    needed |= {"channels:history", "groups:history", "im:write"}
    assert needed <= scopes
    assert MANIFEST["settings"]["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)


def test_interactivity_and_both_app_home_tabs_are_on():
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["settings"]["interactivity"]["request_url"].endswith(EVENTS_PATH)
    home = MANIFEST["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True  # without it, new hires cannot DM the bot
    assert home["messages_tab_read_only_enabled"] is False


def test_an_oauth_install_asks_for_the_manifests_scopes_and_comes_back_to_the_redirect_path():
    assert list(BOT_SCOPES) == MANIFEST["oauth_config"]["scopes"]["bot"]
    [redirect] = MANIFEST["oauth_config"]["redirect_urls"]
    assert redirect.endswith(REDIRECT_PATH)
