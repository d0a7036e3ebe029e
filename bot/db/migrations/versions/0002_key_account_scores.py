"""Key-account scorecards: a client's scores per criterion, one row per workspace and client.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_account_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=40), nullable=False),
        sa.Column("client_key", sa.String(length=255), nullable=False),
        sa.Column("client_name", sa.String(length=255), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("scored_by", sa.String(length=100), nullable=False),
        sa.Column("scored_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_account_scores")),
        sa.UniqueConstraint("team_id", "client_key", name=op.f("uq_key_account_scores_team_id")),
    )


def downgrade() -> None:
    op.drop_table("key_account_scores")
