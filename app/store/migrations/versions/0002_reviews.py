"""Spaced repetition: the append-only review log and the review cards with a cached state.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_logs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("card_id", sa.String(200), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
    )
    op.create_index("ix_review_logs_card", "review_logs", ["card_id", "reviewed_at"])
    op.create_index("ix_review_logs_time", "review_logs", ["reviewed_at"])
    # The log is the truth every device replays; an entry that changed after being synced would
    # make devices disagree for ever, so the database itself refuses updates. (A later batch
    # migration of this table copies it and loses the trigger: it must create it again.)
    op.execute(
        "CREATE TRIGGER review_logs_append_only BEFORE UPDATE ON review_logs "
        "BEGIN SELECT RAISE(ABORT, 'review_logs is append-only'); END"
    )
    op.create_table(
        "review_cards",
        sa.Column("card_id", sa.String(200), primary_key=True),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("facet", sa.String(16), nullable=False),
        sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.Text(), nullable=False),
    )
    op.create_index("ix_review_cards_order", "review_cards", ["introduced_at", "ordinal"])
    op.create_index("ix_review_cards_due", "review_cards", ["due"])


def downgrade() -> None:
    op.drop_index("ix_review_cards_due", "review_cards")
    op.drop_index("ix_review_cards_order", "review_cards")
    op.drop_table("review_cards")
    op.execute("DROP TRIGGER IF EXISTS review_logs_append_only")
    op.drop_index("ix_review_logs_time", "review_logs")
    op.drop_index("ix_review_logs_card", "review_logs")
    op.drop_table("review_logs")
