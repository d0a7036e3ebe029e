"""Questions asked in Slack and the feedback on their answers (``rolebot report``).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("team_id", sa.String(length=40), nullable=True),
        sa.Column("conversation", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=20), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("facet", sa.String(length=64), nullable=True),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("gap", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("follows", sa.String(length=255), nullable=True),
        sa.Column("asked_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint("key", name=op.f("uq_questions_key")),
    )
    op.create_index(op.f("ix_questions_asked_at"), "questions", ["asked_at"], unique=False)
    op.create_index(op.f("ix_questions_follows"), "questions", ["follows"], unique=False)
    op.create_index(op.f("ix_questions_intent"), "questions", ["intent"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("team_id", sa.String(length=40), nullable=True),
        sa.Column("conversation", sa.String(length=20), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("missing", sa.Text(), nullable=True),
        sa.Column("clicked_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name=op.f("fk_feedback_question_id_questions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("question_id", "user_id", name=op.f("uq_feedback_question_id")),
    )
    op.create_index(op.f("ix_feedback_clicked_at"), "feedback", ["clicked_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_feedback_clicked_at"), table_name="feedback")
    op.drop_table("feedback")
    op.drop_index(op.f("ix_questions_intent"), table_name="questions")
    op.drop_index(op.f("ix_questions_follows"), table_name="questions")
    op.drop_index(op.f("ix_questions_asked_at"), table_name="questions")
    op.drop_table("questions")
