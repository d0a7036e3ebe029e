"""Retention of the questions and their feedback (bot/db/questions.py, ``QuestionStore.prune``),
on SQLite and PostgreSQL: old questions go with all their feedback, a batch to a transaction,
and the report reads what is left."""

from __future__ import annotations

import threading

from sqlalchemy import event, func, select

from bot.db import Database
from bot.db.models import Feedback, Question
from bot.db.questions import Asked, QuestionStore
from bot.report import build_report
from bot.understanding.reading import Reading

DAY = 86400.0


def _ask(store, key, at):
    reading = Reading("role", roles=("account_executive",), facet="skills", confidence=0.9)
    store.add(Asked(key, "dm", "what skills does an AE need?", reading, "An AE...", at, "T0"))


def _count(database, model):
    with database.connection() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_questions_asked_before_the_cutoff_go_with_all_their_feedback(database):
    store = QuestionStore(database)
    _ask(store, "old", at=10 * DAY)
    _ask(store, "new", at=100 * DAY)
    # Feedback given recently on the old answer goes with its question all the same.
    assert store.rate("old", user="U1", rating="down", at=99 * DAY, conversation="dm")
    assert store.rate("old", user="U2", rating="up", at=11 * DAY, conversation="dm")
    assert store.rate("new", user="U1", rating="up", at=100 * DAY, conversation="dm")

    assert store.prune(before=100 * DAY) == 1
    assert [r.asked.key for r in store.questions()] == ["new"]
    assert [(r.asked.key, r.rating) for r in store.ratings()] == [("new", "up")]
    assert store.prune(before=100 * DAY) == 0  # nothing more to do
    # A click on the pruned question's answer finds no question, as for an unknown one.
    assert store.rate("old", user="U3", rating="up", at=101 * DAY, conversation="dm") is None


def test_a_prune_deletes_a_bounded_batch_per_transaction(database):
    store = QuestionStore(database)
    for n in range(23):
        _ask(store, f"q{n}", at=float(n))
        store.rate(f"q{n}", user="U1", rating="up", at=float(n), conversation="dm")
    _ask(store, "kept", at=50.0)
    deleted: list[int] = []
    commits: list[None] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("DELETE FROM QUESTIONS"):
            deleted.append(cursor.rowcount)

    def committed(conn):
        commits.append(None)

    event.listen(database.engine, "after_cursor_execute", seen)
    event.listen(database.engine, "commit", committed)
    try:
        assert store.prune(before=50.0, batch=10) == 23
    finally:
        event.remove(database.engine, "after_cursor_execute", seen)
        event.remove(database.engine, "commit", committed)
    assert deleted == [10, 10, 3]  # oldest first, one transaction each
    assert len(commits) == 3
    assert (_count(database, Question), _count(database, Feedback)) == (1, 0)


def test_the_report_reads_what_is_kept(database):
    store = QuestionStore(database)
    _ask(store, "old", at=1 * DAY)
    _ask(store, "new", at=50 * DAY)
    store.rate("old", user="U1", rating="down", at=2 * DAY, conversation="dm")
    store.rate("new", user="U1", rating="down", at=50 * DAY, conversation="dm")
    store.prune(before=30 * DAY)
    report = build_report(store, now=60 * DAY)  # everything there is
    assert (report.questions, report.ratings) == (1, {"up": 0, "down": 1})
    assert [r.asked.key for r in report.feedback] == ["new"]


def test_two_processes_pruning_at_once_each_delete_their_own_batches(postgres_url):
    """Two engines (two processes' pools), two threads each: every row goes once, no errors
    (the batches are picked with FOR UPDATE SKIP LOCKED)."""
    databases = [Database.connect(postgres_url), Database.connect(postgres_url, upgrade=False)]
    try:
        stores = [QuestionStore(d) for d in databases]
        for n in range(400):
            _ask(stores[0], f"q{n}", at=float(n))
            stores[0].rate(f"q{n}", user="U1", rating="up", at=float(n), conversation="dm")
        start = threading.Barrier(4)
        pruned: list[int] = []
        errors: list[BaseException] = []

        def prune(n):
            start.wait()
            try:
                pruned.append(stores[n % 2].prune(before=1000.0, batch=20))
            except BaseException as error:  # pragma: no cover  (the failure it would show)
                errors.append(error)

        threads = [threading.Thread(target=prune, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sum(pruned) == 400
        assert (_count(databases[0], Question), _count(databases[0], Feedback)) == (0, 0)
    finally:
        for database in databases:
            database.dispose()
