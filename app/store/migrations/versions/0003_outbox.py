"""Sync: the outbox of events to upload, and the events the server refused.

Everything recorded before this version is put in the outbox too, so a learner who signs in
later uploads all of her history, not only what came after the update.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import json
import os
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _iso(value: object) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _ms(value: object) -> int:
    return int(datetime.fromisoformat(_iso(value)).timestamp() * 1000)


def _uuid7(ms: int) -> str:
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | ((rand >> 68) & 0xFFF) << 64
    value |= 0b10 << 62 | rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("hlc", sa.String(40), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sqlite_autoincrement=True,  # a device sequence number is never reused
    )
    op.create_table(
        "outbox_rejected",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
    )
    bind = op.get_bind()
    device = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'device_id'")).scalar()
    device = device or str(uuid.uuid4())
    bind.execute(
        sa.text("INSERT OR IGNORE INTO settings (key, value) VALUES ('device_id', :d)"), {"d": device}
    )
    events = []
    for row in bind.execute(sa.text("SELECT * FROM attempts")).mappings():
        payload = {
            "id": row["id"],
            "course_id": row["course_id"],
            "unit_id": row["unit_id"],
            "exercise_id": row["exercise_id"],
            "response": row["response"],
            "correct": bool(row["correct"]),
            "first_try": bool(row["first_try"]),
            "answered_at": _iso(row["answered_at"]),
        }
        events.append((_ms(row["answered_at"]), "attempt", payload))
    for row in bind.execute(sa.text("SELECT * FROM unit_results")).mappings():
        payload = {
            "id": row["id"],
            "course_id": row["course_id"],
            "unit_id": row["unit_id"],
            "correct": row["correct"],
            "total": row["total"],
            "missed": row["missed"].split(),
            "finished_at": _iso(row["finished_at"]),
        }
        events.append((_ms(row["finished_at"]), "unit_result", payload))
    for row in bind.execute(sa.text("SELECT * FROM review_logs")).mappings():
        payload = {
            "id": row["id"],
            "card_id": row["card_id"],
            "rating": row["rating"],
            "reviewed_at": _iso(row["reviewed_at"]),
            "device_id": row["device_id"],
            "duration_ms": row["duration_ms"],
        }
        events.append((_ms(row["reviewed_at"]), "review", payload))
    events.sort(key=lambda e: e[0])
    last = (0, 0)
    for ms, kind, payload in events:
        last = (ms, 0) if ms > last[0] else (last[0], last[1] + 1)
        bind.execute(
            sa.text("INSERT INTO outbox (id, hlc, type, payload) VALUES (:i, :h, :t, :p)"),
            {
                "i": _uuid7(ms),
                "h": f"{last[0]:015d}.{last[1]:06d}",
                "t": kind,
                "p": json.dumps(payload, sort_keys=True, ensure_ascii=False),
            },
        )
    if events:
        bind.execute(
            sa.text("INSERT OR REPLACE INTO settings (key, value) VALUES ('sync.hlc', :h)"),
            {"h": f"{last[0]:015d}.{last[1]:06d}"},
        )


def downgrade() -> None:
    op.drop_table("outbox_rejected")
    op.drop_table("outbox")
