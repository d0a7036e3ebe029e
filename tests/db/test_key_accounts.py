"""Key-account scorecards in the database (bot/db/key_accounts.py), on SQLite and PostgreSQL:
per workspace, one row per client whatever the spelling, re-scoring replaces."""

from __future__ import annotations

import threading

from bot.db.key_accounts import KeyAccountStore
from bot.keyaccounts import StoredScorecard, client_key


def card(name: str, by: str = "U1", at: float = 1.0, **scores: int) -> StoredScorecard:
    return StoredScorecard(name, client_key(name), scores, by, at)


def test_scores_are_kept_per_workspace(database):
    store = KeyAccountStore(database)
    store.save("T1", card("Acme", g=5))
    store.save("T2", card("Acme", g=9))
    store.save("T1", card("Beta", g=1))
    assert sorted((c.client, c.scores["g"]) for c in store.scorecards("T1")) == [
        ("Acme", 5),
        ("Beta", 1),
    ]
    assert [(c.client, dict(c.scores)) for c in store.scorecards("T2")] == [("Acme", {"g": 9})]
    assert store.scorecards("T3") == []


def test_rescoring_the_same_client_replaces_its_scores_who_and_when(database):
    store = KeyAccountStore(database)
    store.save("T1", card("Acme Corp", by="U1", at=1.0, g=5, h=5))
    store.save("T1", card("  ACME   corp ", by="U2", at=2.0, g=8, h=2))
    [saved] = store.scorecards("T1")
    assert saved.client == "  ACME   corp "  # the name as last typed
    assert (dict(saved.scores), saved.scored_by, saved.scored_at) == ({"g": 8, "h": 2}, "U2", 2.0)


def test_unicode_names_round_trip(database):
    store = KeyAccountStore(database)
    store.save("T1", card("Société Générale — Paris 🇫🇷", g=3))
    assert [c.client for c in store.scorecards("T1")] == ["Société Générale — Paris 🇫🇷"]


def test_concurrent_first_scores_of_one_client_leave_one_row(database):
    store = KeyAccountStore(database)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def score(value: int) -> None:
        barrier.wait()
        try:
            store.save("T1", card("Acme", at=float(value), g=value))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=score, args=(v,)) for v in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    [saved] = store.scorecards("T1")
    assert saved.scores["g"] in {1, 2, 3, 4}
