"""Repositories implementing the domain ports on top of the SQLite store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.course import CourseId, UnitId, UnitRef
from app.domain.session import Attempt, UnitResult
from app.store.db import Database
from app.store.models import AttemptRow, SettingRow, UnitResultRow


def _to_db(moment: datetime) -> datetime:
    """SQLite keeps no time zone: store naive UTC."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _from_db(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


class SqlStore:
    """Progress and settings of one learner on this device."""

    def __init__(self, database: Database) -> None:
        self._sessions = sessionmaker(database.engine, expire_on_commit=False)

    def _session(self) -> Session:
        return self._sessions()

    # -- SettingsStore ---------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        with self._session() as session:
            row = session.get(SettingRow, key)
            return row.value if row is not None else None

    def set(self, key: str, value: str) -> None:
        with self._sessions.begin() as session:
            session.merge(SettingRow(key=key, value=value))

    # -- ProgressStore ---------------------------------------------------------------------

    def record_attempt(self, attempt: Attempt) -> None:
        with self._sessions.begin() as session:
            if session.get(AttemptRow, attempt.id) is None:
                session.add(
                    AttemptRow(
                        id=attempt.id,
                        course_id=attempt.unit.course,
                        unit_id=attempt.unit.unit,
                        exercise_id=attempt.exercise_id,
                        response=attempt.response,
                        correct=attempt.correct,
                        first_try=attempt.first_try,
                        answered_at=_to_db(attempt.answered_at),
                    )
                )

    def record_result(self, result: UnitResult) -> None:
        with self._sessions.begin() as session:
            if session.get(UnitResultRow, result.id) is None:
                session.add(
                    UnitResultRow(
                        id=result.id,
                        course_id=result.unit.course,
                        unit_id=result.unit.unit,
                        correct=result.correct,
                        total=result.total,
                        missed=" ".join(result.missed),
                        finished_at=_to_db(result.finished_at),
                    )
                )

    def results(self) -> Sequence[UnitResult]:
        with self._session() as session:
            rows = session.scalars(select(UnitResultRow).order_by(UnitResultRow.finished_at))
            return [
                UnitResult(
                    id=row.id,
                    unit=UnitRef(CourseId(row.course_id), UnitId(row.unit_id)),
                    correct=row.correct,
                    total=row.total,
                    finished_at=_from_db(row.finished_at),
                    missed=tuple(row.missed.split()),
                )
                for row in rows
            ]

    def attempts(self, unit: UnitRef) -> Sequence[Attempt]:
        with self._session() as session:
            rows = session.scalars(
                select(AttemptRow)
                .where(AttemptRow.course_id == unit.course, AttemptRow.unit_id == unit.unit)
                .order_by(AttemptRow.answered_at, AttemptRow.id)
            )
            return [
                Attempt(
                    id=row.id,
                    unit=unit,
                    exercise_id=row.exercise_id,
                    response=row.response,
                    correct=row.correct,
                    answered_at=_from_db(row.answered_at),
                    first_try=row.first_try,
                )
                for row in rows
            ]
