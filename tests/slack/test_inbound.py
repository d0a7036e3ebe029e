"""Request keys (bot/slack/inbound.py): the same request, however often Slack sends it, has one
key; hostile ones still fit the database."""

from __future__ import annotations

import pytest
from fake_slack import direct_message, event_envelope, mention

from bot.slack.inbound import KEY_MAX, request_key


def test_a_mention_and_its_message_twin_and_their_redeliveries_share_a_key():
    event = mention("AE vs AM?")
    twin = {**event, "type": "message", "channel_type": "channel"}
    keys = {
        request_key("message", event_envelope(event, event_id="Ev1")),
        request_key("message", event_envelope(event, event_id="Ev1")),
        request_key("message", event_envelope(twin, event_id="Ev2")),
    }
    assert keys == {f"message:C0SALES:{event['ts']}"}


def test_other_requests_are_keyed_by_event_or_trigger_id_else_by_content():
    home = event_envelope({"type": "app_home_opened", "user": "U1"}, event_id="Ev9")
    assert request_key("home", home) == "event:Ev9"
    assert request_key("command", {"trigger_id": "1.2.3", "text": "AE"}) == "command:1.2.3"
    assert request_key("share", {"trigger_id": "4.5.6"}) == "action:4.5.6"
    bare = {"command": "/roles"}
    assert request_key("command", bare) == request_key("command", dict(bare))
    assert request_key("command", bare) != request_key("command", {"command": "/role"})
    assert request_key("command", bare).startswith("command:sha256:")


@pytest.mark.parametrize("ts", ["9" * 5000, "1.2\u0000\n\t", "\U0001f600" * 300])
def test_hostile_keys_are_printable_and_fit_the_column(ts):
    key = request_key("message", event_envelope(direct_message("AE?", ts=ts), event_id="Ev3"))
    assert len(key) <= KEY_MAX
    assert key.isprintable()
    other = request_key("message", event_envelope(direct_message("AE?", ts=ts + "1"), event_id="x"))
    assert key != other
