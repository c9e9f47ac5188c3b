"""Tutor assignments: a tutor gives a class units of a course, with an optional due date.

Server-authoritative (DESIGN.md §5): the server numbers every change of an assignment (version
1 when created, +1 on each change) and never forgets one: a removed assignment stays as a
tombstone (`deleted`), so a device that was offline learns of the removal. Learners receive the
assignments of their classes in full (classes are small); tutors see who has done each one,
computed from the `unit_result` events the learners pushed.

The store functions take a Session and know nothing of HTTP; `router` is the HTTP side.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import (
    Assignment,
    AssignmentIn,
    AssignmentList,
    AssignmentStatus,
    ClassInfo,
    LearnerProgress,
)
from sync.server.app import V1, ApiError, Auth, _authed
from sync.server.models import Assignment as AssignmentRow
from sync.server.models import Membership, SchoolClass, StoredEvent, User
from sync.server.store import now

# -- errors (the HTTP side turns them into ApiError) -----------------------------------------


class AssignmentProblem(Exception):
    status = 400
    code = "invalid_request"


class NotFound(AssignmentProblem):
    status = 404
    code = "not_found"


class Forbidden(AssignmentProblem):
    status = 403
    code = "forbidden"


class Conflict(AssignmentProblem):
    status = 409
    code = "id_taken"


# -- store -----------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """A time in UTC (SQLite gives stored times back without their zone: they are UTC)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _wire(row: AssignmentRow, class_name: str) -> Assignment:
    return Assignment(
        id=row.id,
        class_id=row.class_id,
        class_name=class_name,
        course_id=row.course_id,
        unit_id=row.unit_id,
        due=row.due,
        note=row.note,
        version=row.version,
        deleted=row.deleted,
        updated_at=_utc(row.updated_at),
    )


def my_classes(session: Session, user: User) -> list[ClassInfo]:
    """The classes `user` belongs to with her role there; an admin sees every class as tutor."""
    if user.role == "admin":
        rows = session.execute(select(SchoolClass.id, SchoolClass.name)).all()
        found = [ClassInfo(id=i, name=n, role="tutor") for i, n in rows]
    else:
        member_rows = session.execute(
            select(SchoolClass.id, SchoolClass.name, Membership.role)
            .join(Membership, Membership.class_id == SchoolClass.id)
            .where(Membership.user_id == user.id)
        ).all()
        found = [ClassInfo(id=i, name=n, role=r) for i, n, r in member_rows]
    return sorted(found, key=lambda c: (c.name, c.id))


def learner_assignments(session: Session, user: User) -> list[Assignment]:
    """Every assignment (tombstones too) of every class where `user` is a learner."""
    rows = session.execute(
        select(AssignmentRow, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == AssignmentRow.class_id)
        .join(Membership, Membership.class_id == AssignmentRow.class_id)
        .where(Membership.user_id == user.id, Membership.role == "learner")
        .order_by(AssignmentRow.updated_at, AssignmentRow.id)
    ).all()
    return [_wire(row, name) for row, name in rows]


def tutored_class(session: Session, user: User, class_id: str) -> SchoolClass:
    """The class, if `user` may manage its assignments (one of its tutors, or an admin)."""
    school_class = session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound(f"no class '{class_id}'")
    if user.role != "admin":  # the rule of store.may_read: a tutor account, tutoring this class
        member = session.get(Membership, (class_id, user.id))
        if user.role != "tutor" or member is None or member.role != "tutor":
            raise Forbidden("you are not a tutor of this class")
    return school_class


def _row(session: Session, class_id: str, assignment_id: str) -> AssignmentRow:
    """An assignment of this class, locked for the change (two tutors editing at once take
    turns, so no two changes get the same version)."""
    row = session.scalar(
        select(AssignmentRow)
        .where(AssignmentRow.id == assignment_id, AssignmentRow.class_id == class_id)
        .with_for_update()
    )
    if row is None:
        raise NotFound(f"no assignment '{assignment_id}' in this class")
    return row


def create_assignment(
    session: Session, school_class: SchoolClass, body: AssignmentIn, created_by: str | None
) -> Assignment:
    if body.id is not None:
        known = session.get(AssignmentRow, body.id)
        if known is not None:  # sent again: the same assignment, or a clash of ids
            same = (known.class_id, known.course_id, known.unit_id, known.due, known.note)
            if same != (school_class.id, body.course_id, body.unit_id, body.due, body.note):
                raise Conflict(f"the id '{body.id}' is another assignment's")
            return _wire(known, school_class.name)
    moment = now()
    row = AssignmentRow(
        id=body.id or str(uuid.uuid4()),
        class_id=school_class.id,
        course_id=body.course_id,
        unit_id=body.unit_id,
        due=body.due,
        note=body.note,
        version=1,
        deleted=False,
        created_by=created_by,
        created_at=moment,
        updated_at=moment,
    )
    session.add(row)
    session.flush()
    return _wire(row, school_class.name)


def replace_assignment(
    session: Session, school_class: SchoolClass, assignment_id: str, body: AssignmentIn
) -> Assignment:
    """Replace an assignment's content (bringing a tombstone back). Sending what is already
    stored changes nothing, so a retried request does not raise the version again."""
    row = _row(session, school_class.id, assignment_id)
    stored = (row.course_id, row.unit_id, row.due, row.note, row.deleted)
    if stored != (body.course_id, body.unit_id, body.due, body.note, False):
        row.course_id, row.unit_id = body.course_id, body.unit_id
        row.due, row.note, row.deleted = body.due, body.note, False
        row.version += 1
        row.updated_at = now()
        session.flush()
    return _wire(row, school_class.name)


def delete_assignment(
    session: Session, school_class: SchoolClass, assignment_id: str
) -> Assignment:
    """Turn an assignment into a tombstone; deleting a tombstone again changes nothing."""
    row = _row(session, school_class.id, assignment_id)
    if not row.deleted:
        row.deleted = True
        row.version += 1
        row.updated_at = now()
        session.flush()
    return _wire(row, school_class.name)


@dataclass
class _Progress:
    done: bool = False
    best: tuple[int, int] | None = None  # (correct, total)
    first: datetime | None = None


def _score(payload: dict[str, Any]) -> tuple[int, int] | None:
    """(correct, total) of a unit result, or None when the device sent no usable score."""
    correct, total = payload.get("correct"), payload.get("total")
    if type(correct) is not int or type(total) is not int:  # not a bool, float or text
        return None
    return (correct, total) if 0 <= correct <= total and total > 0 else None


def _time(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return _utc(moment)


def _better(score: tuple[int, int], best: tuple[int, int] | None) -> bool:
    """Is `score` better than `best`: a higher share right, then more questions."""
    if best is None:
        return True
    mine, theirs = Fraction(score[0], score[1]), Fraction(best[0], best[1])
    return mine > theirs or (mine == theirs and score[1] > best[1])


def class_status(session: Session, school_class: SchoolClass) -> list[AssignmentStatus]:
    """The class's live assignments (by due date, undated last, then by creation), each with
    every learner's progress. Three queries, however many learners and assignments."""
    rows = list(
        session.scalars(
            select(AssignmentRow)
            .where(AssignmentRow.class_id == school_class.id, AssignmentRow.deleted.is_(False))
            .order_by(
                AssignmentRow.due.is_(None),
                AssignmentRow.due,
                AssignmentRow.created_at,
                AssignmentRow.id,
            )
        )
    )
    in_class = select(Membership.user_id).where(
        Membership.class_id == school_class.id, Membership.role == "learner"
    )
    learners = session.execute(
        select(User.id, User.username).where(User.id.in_(in_class)).order_by(User.username)
    ).all()
    wanted = {(row.course_id, row.unit_id) for row in rows}
    progress: dict[tuple[str, str, str], _Progress] = {}
    if wanted and learners:
        events = session.execute(
            select(StoredEvent.learner_id, StoredEvent.payload).where(
                StoredEvent.type == "unit_result", StoredEvent.learner_id.in_(in_class)
            )
        )
        for learner_id, text in events:
            try:
                payload = json.loads(text)
            except ValueError:
                continue
            if not isinstance(payload, dict):
                continue
            unit = (payload.get("course_id"), payload.get("unit_id"))
            # Anything a device sent: a list or a number here must not break the tutor's report.
            if not all(isinstance(part, str) for part in unit) or unit not in wanted:
                continue
            found = progress.setdefault((learner_id, *unit), _Progress())
            found.done = True
            score = _score(payload)
            if score is not None and _better(score, found.best):
                found.best = score
            finished = _time(payload.get("finished_at"))
            if finished is not None and (found.first is None or finished < found.first):
                found.first = finished
    result: list[AssignmentStatus] = []
    for row in rows:
        people: list[LearnerProgress] = []
        for learner_id, username in learners:
            mine = progress.get((learner_id, row.course_id, row.unit_id), _Progress())
            people.append(
                LearnerProgress(
                    learner_id=learner_id,
                    username=username,
                    done=mine.done,
                    best_correct=mine.best[0] if mine.best else None,
                    best_total=mine.best[1] if mine.best else None,
                    finished_at=mine.first,
                )
            )
        result.append(AssignmentStatus(assignment=_wire(row, school_class.name), learners=people))
    return result


# -- HTTP ------------------------------------------------------------------------------------

router = APIRouter(dependencies=V1, tags=["assignments"])


def _http(exc: AssignmentProblem) -> ApiError:
    return ApiError(exc.status, exc.code, str(exc))


@router.get("/v1/me/classes")
def get_my_classes(request: Request, authorization: Auth = None) -> list[ClassInfo]:
    """The classes I belong to, with my role in each (an admin: every class, as tutor)."""
    with _authed(request, authorization) as (session, me):
        return my_classes(session, me.user)


@router.get("/v1/me/assignments")
def get_my_assignments(request: Request, authorization: Auth = None) -> AssignmentList:
    """Every assignment of the classes where I am a learner, tombstones included, ordered by
    (updated_at, id). Keep, per id, the highest version seen."""
    with _authed(request, authorization) as (session, me):
        return AssignmentList(assignments=learner_assignments(session, me.user))


@router.post("/v1/classes/{class_id}/assignments", status_code=201)
def post_assignment(
    class_id: str, body: AssignmentIn, request: Request, authorization: Auth = None
) -> Assignment:
    """Give the class a unit (tutors of the class and admins)."""
    with _authed(request, authorization) as (session, me):
        try:
            school_class = tutored_class(session, me.user, class_id)
            return create_assignment(session, school_class, body, me.user.id)
        except AssignmentProblem as exc:
            raise _http(exc) from None


@router.put("/v1/classes/{class_id}/assignments/{assignment_id}")
def put_assignment(
    class_id: str,
    assignment_id: str,
    body: AssignmentIn,
    request: Request,
    authorization: Auth = None,
) -> Assignment:
    """Replace an assignment (version + 1; brings a deleted one back)."""
    with _authed(request, authorization) as (session, me):
        try:
            school_class = tutored_class(session, me.user, class_id)
            return replace_assignment(session, school_class, assignment_id, body)
        except AssignmentProblem as exc:
            raise _http(exc) from None


@router.delete("/v1/classes/{class_id}/assignments/{assignment_id}")
def remove_assignment(
    class_id: str, assignment_id: str, request: Request, authorization: Auth = None
) -> Assignment:
    """Remove an assignment: it becomes a tombstone (deleted, version + 1)."""
    with _authed(request, authorization) as (session, me):
        try:
            school_class = tutored_class(session, me.user, class_id)
            return delete_assignment(session, school_class, assignment_id)
        except AssignmentProblem as exc:
            raise _http(exc) from None


@router.get("/v1/classes/{class_id}/assignments")
def get_class_assignments(
    class_id: str, request: Request, authorization: Auth = None
) -> list[AssignmentStatus]:
    """The class's assignments with every learner's progress (tutors of the class, admins)."""
    with _authed(request, authorization) as (session, me):
        try:
            return class_status(session, tutored_class(session, me.user, class_id))
        except AssignmentProblem as exc:
            raise _http(exc) from None
