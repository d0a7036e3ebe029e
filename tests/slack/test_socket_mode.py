"""Socket Mode (bot/slack/socket_mode.py): the same app over a websocket, here to a local one.

The app asks the fake Web API's ``apps.connections.open`` for the websocket URL (so
``SLACK_API_BASE_URL`` applies here too), connects to the fake Socket Mode server with Bolt's
SocketModeHandler, acknowledges each envelope, and answers through the fake Web API. One
connection serves the whole module (closing the built-in client takes a few seconds).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    FakeSlack,
    FakeSocketMode,
    events_api_envelope,
    mention,
    without_feedback,
    without_share,
)
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.answer import Advisor
from bot.slack import socket_mode
from bot.slack.app import create_app
from bot.slack.settings import Settings


@dataclass
class SocketWorld:
    fake: FakeSlack
    server: FakeSocketMode
    handler: SocketModeHandler


@pytest.fixture(scope="module")
def world(advisor: Advisor, tmp_path_factory: pytest.TempPathFactory):
    fake = FakeSlack().start()
    server = FakeSocketMode().start()
    fake.socket_url = server.url
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_BASE_URL": fake.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('socket')}/socket.db",
    }
    app = create_app(Settings.from_env(env, mode="socket"), advisor)
    handler = socket_mode.create_handler(app, APP_TOKEN)
    handler.connect()
    server.wait_for_connection()
    yield SocketWorld(fake, server, handler)
    handler.close()
    server.stop()
    fake.stop()


def test_the_websocket_url_comes_from_the_configured_web_api(world):
    [opened] = world.fake.calls_to("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
    assert world.handler.client.is_connected()


def test_socket_mode_answers_a_mention_once_even_when_slack_redelivers_it(
    world, request_log, advisor
):
    world.fake.forget_calls()
    acked = len(world.server.acks)
    event = mention("what does an SDR do?")
    world.server.send(events_api_envelope(event, event_id="Ev600", envelope_id="env-1"))
    [call] = world.fake.wait_for("chat.postMessage")
    expected = advisor.ask(event["text"])
    assert call.body["channel"] == "C0SALES"
    assert call.body["thread_ts"] == event["ts"]
    assert without_feedback(call.body["blocks"]) == list(expected.blocks)

    redelivery = events_api_envelope(event, event_id="Ev600", envelope_id="env-2", retry_attempt=1)
    world.server.send(redelivery)
    acks = world.server.wait_for_acks(acked + 2)[acked:]
    assert [ack["envelope_id"] for ack in acks] == ["env-1", "env-2"]
    lines = sorted(request_log.wait(2), key=lambda line: line["outcome"])
    assert [(line["outcome"], line["retry_num"]) for line in lines] == [
        ("answered", 0),
        ("duplicate", 1),  # Bolt carries Socket Mode's retry_attempt as X-Slack-Retry-Num
    ]
    assert len(world.fake.calls_to("chat.postMessage")) == 1


def test_socket_mode_slash_command_is_acked_then_answered(world, advisor):
    world.fake.forget_calls()
    acked = len(world.server.acks)
    payload = {
        "team_id": "T0TEAM",
        "channel_id": "C0GENERAL",
        "user_id": "U0MANAGER",
        "command": "/compare",
        "text": "AE AM",
        "api_app_id": "A0APP",
        "response_url": world.fake.response_url(),
        "trigger_id": "1.2.3",
    }
    envelope = {
        "envelope_id": "env-3",
        "payload": payload,
        "type": "slash_commands",
        "accepts_response_payload": True,
    }
    world.server.send(envelope)
    [ack] = world.server.wait_for_acks(acked + 1)[acked:]
    assert ack["envelope_id"] == "env-3"
    assert "payload" not in ack  # an empty ack; the answer comes through response_url
    [call] = world.fake.wait_for("response_url")
    expected = advisor.command("compare", "AE AM")
    assert without_share(call.body["blocks"]) == list(expected.blocks)
