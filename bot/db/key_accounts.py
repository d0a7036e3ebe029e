"""Key-account scorecards in the database, per workspace: ``KeyAccountStore`` saves (inserts or
replaces) and reads them back; ``KeyAccounts`` scores a client and ranks a workspace's clients
with a ``Scorecard`` (whose arithmetic is ``bot.keyaccounts``'s).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import KeyAccountScore
from bot.keyaccounts import Ranked, Scorecard, StoredScorecard, client_key, rank
from bot.knowledge import Knowledge

__all__ = ["KeyAccountStore", "KeyAccounts", "Standing"]


class KeyAccountStore:
    """The ``key_account_scores`` table of ``database``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, team: str, card: StoredScorecard) -> None:
        """Store ``card`` for ``team``, replacing the scores of the client with the same key.

        One ``INSERT ... ON CONFLICT DO UPDATE``, so two people scoring the same new client at
        once both succeed, the later one winning.
        """
        values: dict[str, Any] = {
            "team_id": team,
            "client_key": card.key,
            "client_name": card.client,
            "scores": dict(card.scores),
            "scored_by": card.scored_by,
            "scored_at": card.scored_at,
        }
        statement = self.database.upsert(KeyAccountScore).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["team_id", "client_key"],
            set_={name: statement.excluded[name] for name in values if name != "team_id"},
        )
        with self.database.transaction() as session:
            session.execute(statement)

    def scorecards(self, team: str) -> list[StoredScorecard]:
        """Every client scored in ``team``, in no particular order."""
        query = select(KeyAccountScore).where(KeyAccountScore.team_id == team)
        with self.database.transaction() as session:
            rows = session.scalars(query).all()
            return [
                StoredScorecard(
                    client=row.client_name,
                    key=row.client_key,
                    scores={str(k): v for k, v in row.scores.items() if isinstance(v, int)},
                    scored_by=row.scored_by,
                    scored_at=row.scored_at,
                )
                for row in rows
            ]


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a client stands after scoring: its place in the ranking, out of how many."""

    entry: Ranked
    of: int


class KeyAccounts:
    """Scoring and ranking clients, per workspace, with one scorecard and one store."""

    def __init__(
        self,
        scorecard: Scorecard,
        store: KeyAccountStore,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scorecard = scorecard
        self.store = store
        self.clock = clock

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge, database: Database) -> KeyAccounts | None:
        """Scoring with the knowledge's scorecard; ``None`` without key_accounts.yaml."""
        spec = knowledge.key_accounts
        return None if spec is None else cls(Scorecard(spec), KeyAccountStore(database))

    def score(self, team: str, client: object, scores: Mapping[str, object], by: str) -> Standing:
        """Check and store a client's scores (replacing earlier ones); raises ``InvalidScores``."""
        name, checked = self.scorecard.check(client, scores)
        key = client_key(name)
        self.store.save(team, StoredScorecard(name, key, checked, by, self.clock()))
        ranking = self.ranking(team)
        entry = next(r for r in ranking if r.key == key)
        return Standing(entry, len(ranking))

    def ranking(self, team: str) -> list[Ranked]:
        return rank(self.scorecard, self.store.scorecards(team))
