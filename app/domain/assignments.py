"""Tutor assignments as the device keeps them: server-authoritative, versioned, tombstoned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.course import CourseId, UnitId, UnitRef


@dataclass(frozen=True)
class Assignment:
    """A unit a tutor asked a class to study, perhaps by a due date.

    Every change on the server raises `version`; a removed assignment stays as a tombstone
    (`deleted`), so a device that missed the removal learns of it."""

    id: str
    class_id: str
    class_name: str
    course_id: CourseId
    unit_id: UnitId
    due: date | None
    note: str
    version: int
    deleted: bool
    updated_at: datetime

    @property
    def unit(self) -> UnitRef:
        return UnitRef(self.course_id, self.unit_id)

    def overdue(self, today: date) -> bool:
        """Past its due date (a due date is the last day to do it)."""
        return self.due is not None and today > self.due


def newest(known: Assignment | None, arrived: Assignment) -> Assignment:
    """The copy to keep of one assignment: the higher version; a tie keeps what is known.

    A stale response (an older version arriving late) can never bring back an old copy."""
    if known is None or arrived.version > known.version:
        return arrived
    return known


def by_due(assignment: Assignment) -> tuple[bool, date, str, str]:
    """Sort key: soonest due first, those without a due date last."""
    return (
        assignment.due is None,
        assignment.due or date.max,
        assignment.class_name,
        assignment.id,
    )
