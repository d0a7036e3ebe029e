"""Key-account scorecards in the database, per workspace: save (insert or replace), read back.

What the scores mean (criteria, weights, ranking) is ``bot.keyaccounts``'s business; this module
only keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.db.engine import Database
from bot.db.models import KeyAccountScore

__all__ = ["KeyAccountStore", "StoredScorecard"]


@dataclass(frozen=True, slots=True)
class StoredScorecard:
    """One client's scores as last saved in a workspace."""

    client: str
    key: str
    scores: Mapping[str, int]
    scored_by: str
    scored_at: float


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
        dialect = self.database.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(KeyAccountScore).values(values)
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
