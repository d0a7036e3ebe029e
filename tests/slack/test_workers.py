"""Several processes: ``serve --http --workers N``, and copies started separately on one database.

Without REDIS_URL (or on SQLite) more than one worker is refused before anything starts, and a
second copy on a database another serves without REDIS_URL is refused by the serving lock
(bot/db/lock.py). With REDIS_URL and PostgreSQL, twins, retries and DM follow-ups landing on
different processes are answered once and keep their context. The processes are real (the
Procfile's ``web:`` line), against the fake Slack, the real PostgreSQL and the real Redis.
"""

from __future__ import annotations

import os
import re
import signal

import pytest
from fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    SlackSender,
    direct_message,
    mention,
    wait_until,
    without_feedback,
)
from processes import STARTUP, clean_env, free_port, post, run, stop, wait_healthy, web_command
from schemas import end_the_lock_s_session

from bot.conversation import Conversation, converse
from bot.db.lock import hold
from bot.slack.serve import main

PIDS = re.compile(r"\[(\d+)\] bot\.slack\.server: serving on")
TOOK = re.compile(r"\[(\d+)\] bot\.slack\.http: ")


@pytest.mark.parametrize(
    ("argv", "env", "named"),
    [
        (["--http", "--workers", "2"], {}, ["REDIS_URL", "DATABASE_URL"]),
        (["--http"], {"ROLE_ADVISOR_WORKERS": "3"}, ["REDIS_URL", "DATABASE_URL"]),
        (["--http", "--workers", "2"], {"DATABASE_URL": "postgresql://h/db"}, ["REDIS_URL"]),
        (["--http", "--workers", "2"], {"REDIS_URL": "redis://h:6379/0"}, ["DATABASE_URL"]),
    ],
    ids=["neither", "from_the_environment", "no_redis", "sqlite"],
)
def test_several_workers_without_redis_or_on_sqlite_are_refused_naming_what_is_missing(
    capsys, slack_env, argv, env, named
):
    assert main(argv, {**slack_env, **env}) == 2
    err = capsys.readouterr().err
    assert err.startswith("Role Advisor cannot start: ")
    assert [name for name in ("REDIS_URL", "DATABASE_URL") if name in err] == named
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_workers_are_for_http_and_counted_from_one(capsys, slack_env):
    redis_pg = {"REDIS_URL": "redis://h:6379/0", "DATABASE_URL": "postgresql://h/db"}
    assert main(["--socket", "--workers", "2"], {**slack_env, **redis_pg}) == 2
    assert "are for --http" in capsys.readouterr().err
    assert main(["--http", "--workers", "0"], slack_env) == 2
    assert main(["--http"], {**slack_env, "ROLE_ADVISOR_WORKERS": "many"}) == 2
    assert "ROLE_ADVISOR_WORKERS" in capsys.readouterr().err


def _env(fake_slack, database: str, port: int, **extra: str) -> dict[str, str]:
    return clean_env(
        DATABASE_URL=database,
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.api_url,
        **extra,
    )


def _serve(fake_slack, database: str, command: str | None = None, **extra: str):
    port = free_port()
    process = run(command or web_command(), _env(fake_slack, database, port, **extra))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
    except BaseException:
        stop(process)
        raise
    sender = SlackSender(lambda path, data, headers: post(base + path, data, headers))
    return process, sender


def _refused(fake_slack, database: str, **extra: str) -> str:
    """Start the web command and expect it to refuse; its stderr."""
    process = run(web_command(), _env(fake_slack, database, free_port(), **extra))
    try:
        process.wait(STARTUP)
    finally:
        err = stop(process)
    assert process.returncode == 2, err
    assert "Traceback" not in err
    return err


def test_a_second_copy_without_redis_is_refused_while_the_first_serves(
    fake_slack, database_url
):
    first, _ = _serve(fake_slack, database_url)
    try:
        err = _refused(fake_slack, database_url)
    finally:
        stop(first)
    assert "another process already serves the" in err
    assert "REDIS_URL" in err
    assert len(err.strip().splitlines()) == 1
    hold(database_url, shared=False).release()  # the first is gone, and its lock with it


def test_two_copies_sharing_redis_answer_twins_and_retries_once_and_keep_dm_context(
    fake_slack, advisor, postgres_url, redis_url
):
    one, to_one = _serve(fake_slack, postgres_url, REDIS_URL=redis_url)
    other, to_other = _serve(fake_slack, postgres_url, REDIS_URL=redis_url)
    try:
        # One without REDIS_URL may not join them: it would keep its conversations to itself.
        err = _refused(fake_slack, postgres_url)
        assert "this one has no REDIS_URL" in err
        questions = [mention(f"what does an AE do? {n}", ts=f"17000009.{n:06d}") for n in range(6)]
        for n, event in enumerate(questions):
            first, second = (to_one, to_other) if n % 2 else (to_other, to_one)
            assert first.event(event, event_id=f"EvW{n}")[0] == 200
            if n < 3:  # Slack's retry of the same event, landing on the other copy
                assert second.event(event, event_id=f"EvW{n}", retry_num=1)[0] == 200
            else:  # the message twin of the mention, landing on the other copy
                twin = {**event, "type": "message", "channel_type": "channel"}
                assert second.event(twin, event_id=f"EvW{n}t")[0] == 200
        to_one.event(direct_message("AE metrics", ts="1700000901.000001"), event_id="EvWd1")
        wait_until(lambda: len(fake_slack.posted("message:D0NEWHIRE:1700000901.000001")) == 1,
                   "the first DM's answer")
        to_other.event(direct_message("what about AMs?", ts="1700000901.000002"), event_id="EvWd2")
        wait_until(lambda: len(fake_slack.posted("message:D0NEWHIRE:1700000901.000002")) == 1,
                   "the follow-up's answer")
        keys = [f"message:C0SALES:{event['ts']}" for event in questions]
        wait_until(lambda: all(fake_slack.posted(key) for key in keys), "every answer")
    finally:
        errors = stop(one) + stop(other)
    assert [len(fake_slack.posted(key)) for key in keys] == [1] * 6, errors  # none twice
    [follow_up] = fake_slack.posted("message:D0NEWHIRE:1700000901.000002")
    _, conversation = converse(advisor, "AE metrics", Conversation())
    expected, _ = converse(advisor, "what about AMs?", conversation)
    assert expected.reading.facet == "metrics"
    # The context came from the other copy.
    assert without_feedback(follow_up["blocks"]) == list(expected.blocks)


def _two_workers(fake_slack, postgres_url, redis_url, **extra):
    command = f"{web_command()} --workers 2"
    process, sender = _serve(fake_slack, postgres_url, command, REDIS_URL=redis_url, **extra)
    try:
        wait_until(lambda: "2 workers serving" in process.stderr(), "both workers", STARTUP)
    except BaseException:
        stop(process)
        raise
    return process, sender


def test_workers_serve_one_port_and_stop_together_on_sigterm(
    fake_slack, postgres_url, redis_url
):
    process, sender = _two_workers(fake_slack, postgres_url, redis_url)
    try:
        questions = [mention(f"AE vs AM {n}?", ts=f"1700000950.{n:06d}") for n in range(10)]
        for n, event in enumerate(questions):
            assert sender.event(event, event_id=f"EvP{n}")[0] == 200
            assert sender.event(event, event_id=f"EvP{n}", retry_num=1)[0] == 200
        keys = [f"message:C0SALES:{event['ts']}" for event in questions]
        wait_until(lambda: all(fake_slack.posted(key) for key in keys), "every answer")
        workers = {int(pid) for pid in PIDS.findall(process.stderr())}
    finally:
        err = stop(process)  # SIGTERM to the parent, which stops its workers
    assert process.returncode == 0, err
    assert len(workers) == 2, err
    assert f"2 workers serving (pids {sorted(workers)})" in err
    # The kernel spread the 20 connections over both (all on one: about 1 run in 500,000).
    assert {int(pid) for pid in TOOK.findall(err)} == workers
    assert [len(fake_slack.posted(key)) for key in keys] == [1] * 10
    for pid in workers:  # gone, not orphaned
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_worker_that_dies_stops_the_others_and_the_parent_says_so(
    fake_slack, postgres_url, redis_url
):
    process, _ = _two_workers(fake_slack, postgres_url, redis_url)
    try:
        first, second = (int(pid) for pid in PIDS.findall(process.stderr()))
        os.kill(first, signal.SIGKILL)
        process.wait(STARTUP)
    finally:
        err = stop(process)
    assert process.returncode == 1, err
    assert "a worker exited (status -9): stopping the others" in err
    with pytest.raises(ProcessLookupError):
        os.kill(second, 0)


def test_a_worker_that_cannot_start_leaves_one_message_and_its_status(
    fake_slack, postgres_url, redis_url
):
    fake_slack.fail_next("auth.test", body={"ok": False, "error": "invalid_auth"})
    port = free_port()
    env = _env(fake_slack, postgres_url, port, REDIS_URL=redis_url)
    process = run(f"{web_command()} --workers 2", env)
    try:
        process.wait(STARTUP)
    finally:
        err = stop(process)
    assert process.returncode == 2, err
    assert err.count("Role Advisor cannot start: Slack refused SLACK_BOT_TOKEN") == 1
    assert "Traceback" not in err


def test_workers_do_not_outlive_a_parent_that_was_killed(fake_slack, postgres_url, redis_url):
    process, _ = _two_workers(fake_slack, postgres_url, redis_url)
    try:
        workers = [int(pid) for pid in PIDS.findall(process.stderr())]
        os.kill(process.pid, signal.SIGKILL)  # the parent alone: no SIGTERM reaches them
        process.wait(STARTUP)

        def gone(pid: int) -> bool:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            return False

        wait_until(lambda: all(gone(pid) for pid in workers), "the workers to stop", STARTUP)
    finally:
        err = stop(process)
    assert err.count("the parent process is gone: stopping") == 2
    assert err.count("delivery stopped") == 2  # each stopped the ordinary way


LOST = "bot.slack.lock_watch: the serving lock on the database at "


def test_a_copy_whose_lock_s_session_ends_stops_with_status_1_and_starts_again(
    fake_slack, postgres_url
):
    """Without REDIS_URL the copy holds the lock alone; PostgreSQL ends its session (as a
    restart or a cut would): the copy stops as on SIGTERM, and a new one takes the lock."""
    check = {"ROLE_ADVISOR_LOCK_CHECK_EVERY": "0.1"}
    process, sender = _serve(fake_slack, postgres_url, **check)
    try:
        assert sender.event(mention("AE vs AM?"), event_id="EvL1")[0] == 200
        wait_until(lambda: fake_slack.posted("message:C0SALES:1700000100.000100"), "the answer")
        end_the_lock_s_session(postgres_url)
        process.wait(STARTUP)
    finally:
        err = stop(process)
    assert process.returncode == 1, err
    assert err.count(" ERROR ") == 1, err
    assert err.count(LOST) == 1
    assert "terminating connection due to administrator command" in err
    assert "delivery stopped" in err  # its answer process stopped the ordinary way
    assert "Traceback" not in err
    again, _ = _serve(fake_slack, postgres_url, **check)  # the platform's restart
    try:
        assert "Role Advisor cannot start" not in again.stderr()
    finally:
        assert stop(again).count(LOST) == 0
    assert again.returncode == 0


def test_workers_whose_parent_loses_its_lock_stop_with_it(fake_slack, postgres_url, redis_url):
    check = {"ROLE_ADVISOR_LOCK_CHECK_EVERY": "0.1"}
    process, _ = _two_workers(fake_slack, postgres_url, redis_url, **check)
    try:
        workers = [int(pid) for pid in PIDS.findall(process.stderr())]
        end_the_lock_s_session(postgres_url)  # the parent's shared lock
        process.wait(STARTUP)
    finally:
        err = stop(process)
    assert process.returncode == 1, err
    assert err.count(LOST) == 1, err
    assert err.count("delivery stopped") == 2  # each worker's answer process, the ordinary way
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
