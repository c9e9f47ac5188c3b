"""Tables of the local store. Attempts and unit results are append-only events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AttemptRow(Base):
    __tablename__ = "attempts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    exercise_id: Mapped[str] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    first_try: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_attempts_unit", "course_id", "unit_id", "answered_at"),)


class UnitResultRow(Base):
    __tablename__ = "unit_results"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    correct: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    missed: Mapped[str] = mapped_column(Text)  # space-separated exercise ids
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_unit_results_unit", "course_id", "unit_id"),)


class ReviewLogRow(Base):
    """One review of one card; append-only (a trigger refuses updates), the truth of SRS."""

    __tablename__ = "review_logs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    card_id: Mapped[str] = mapped_column(String(200))
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    device_id: Mapped[str] = mapped_column(String(64))
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (
        # Replaying one card reads its entries in (reviewed_at, device_id, id) order.
        Index("ix_review_logs_card", "card_id", "reviewed_at"),
        Index("ix_review_logs_time", "reviewed_at"),  # reviews per day, streaks
    )


class ReviewCardRow(Base):
    """A card the learner has met; `state` is a cache of replaying its log, never the truth."""

    __tablename__ = "review_cards"

    card_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64))
    facet: Mapped[str] = mapped_column(String(16))
    introduced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ordinal: Mapped[int] = mapped_column(Integer)  # introduction order within one instant
    due: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    state: Mapped[str] = mapped_column(Text)  # JSON, see repository._state_to_json

    __table_args__ = (
        Index("ix_review_cards_order", "introduced_at", "ordinal"),
        Index("ix_review_cards_due", "due"),  # copy of the state's due, for SQL-side queues
    )


class OutboxRow(Base):
    """An event waiting to be uploaded; written in the transaction that records the progress."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # device seq
    id: Mapped[str] = mapped_column(String(36), unique=True)  # UUIDv7
    hlc: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)  # JSON

    __table_args__ = ({"sqlite_autoincrement": True},)


class OutboxRejectedRow(Base):
    """An event the server refused (kept, never silently dropped; the reason says why)."""

    __tablename__ = "outbox_rejected"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    rejected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AssignmentRow(Base):
    """A tutor's assignment as the server last sent it: the highest version seen per id.

    Server-authoritative: never edited here; a removed one stays as a tombstone (`deleted`)."""

    __tablename__ = "assignments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    class_id: Mapped[str] = mapped_column(String(36))
    class_name: Mapped[str] = mapped_column(String(100))
    course_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_assignments_due", "deleted", "due"),)
