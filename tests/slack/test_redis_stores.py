"""Several processes share conversations and seen signatures through the real Redis: a
follow-up landing on another process keeps its context; a replay landing on another process is
still refused."""

from __future__ import annotations

import redis
from fake_slack import direct_message, without_feedback

from bot.conversation import Conversation, converse
from bot.slack.redis_stores import RedisConversations, RedisSeenSignatures


def test_a_conversation_round_trips_and_expires_with_the_idle_time(redis_url, advisor):
    store = RedisConversations(redis.Redis.from_url(redis_url), idle=90)
    _, conversation = converse(advisor, "AE vs AM", Conversation())
    key = ("D0NEW", None, "U0SELLER")
    store.put(key, conversation)
    again = RedisConversations(redis.Redis.from_url(redis_url)).get(key)  # another process
    assert again.turns == conversation.turns
    assert again.turns[0].more == conversation.turns[0].more
    assert again.turns[0].reading.question == "AE vs AM"
    ttl = store.client.ttl(store._key(key))
    assert 0 < ttl <= 90
    assert store.get(("D0OTHER", None, "U0OTHER")).turns == ()


def test_unreadable_stored_data_is_a_new_conversation(redis_url):
    client = redis.Redis.from_url(redis_url)
    store = RedisConversations(client)
    key = ("D0NEW", None, "U0SELLER")
    client.set(store._key(key), b"{not json")
    assert store.get(key).turns == ()
    client.set(store._key(key), b'[{"reading": "forged"}, 3, {"reading": null}]')
    assert store.get(key).turns == ()


def test_a_signature_is_seen_once_across_processes(redis_url):
    first = RedisSeenSignatures(redis.Redis.from_url(redis_url))
    second = RedisSeenSignatures(redis.Redis.from_url(redis_url))
    assert first.first_time("v0=abc") is True
    assert second.first_time("v0=abc") is False
    assert first.client.ttl("role_advisor:signature:v0=abc") > 0


def test_a_dm_follow_up_landing_on_another_process_keeps_its_context(make_slack_app, redis_url):
    one = make_slack_app({"REDIS_URL": redis_url})
    other = make_slack_app({"REDIS_URL": redis_url})  # another process, the same Redis
    one.send.event(direct_message("AE metrics", ts="1700000800.000001"), event_id="EvR1")
    one.fake.wait_for("chat.postMessage")
    other.send.event(direct_message("what about AMs?", ts="1700000800.000002"), event_id="EvR2")
    calls = one.fake.wait_for("chat.postMessage", 2)
    _, conversation = converse(one.advisor, "AE metrics", Conversation())
    expected, _ = converse(one.advisor, "what about AMs?", conversation)
    assert expected.reading.facet == "metrics"
    assert without_feedback(calls[1].body["blocks"]) == list(expected.blocks)
