"""Tutor assignments: the highest version of each the server sent, tombstones kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("class_id", sa.String(36), nullable=False),
        sa.Column("class_name", sa.String(100), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        # A removed assignment stays as a tombstone: hidden, but a stale copy of it arriving
        # later (lower version) cannot bring it back.
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_assignments_due", "assignments", ["deleted", "due"])


def downgrade() -> None:
    op.drop_index("ix_assignments_due", "assignments")
    op.drop_table("assignments")
