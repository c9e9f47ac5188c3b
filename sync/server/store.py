"""What the server does with the database: push, pull, accounts. No HTTP here."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.protocol import Event, Rejection
from sync.server.models import (
    Device,
    Feed,
    Membership,
    RateWindow,
    SchoolClass,
    StoredEvent,
    User,
)
from sync.server.security import hash_password

ROLES = ("learner", "tutor", "admin")

# What each event type must carry (the payload is otherwise the device's business).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "attempt": ("id", "course_id", "unit_id", "exercise_id", "correct", "answered_at"),
    "unit_result": ("id", "course_id", "unit_id", "correct", "total", "finished_at"),
    "review": ("id", "card_id", "rating", "reviewed_at", "device_id"),
}


def now() -> datetime:
    return datetime.now(UTC)


def learner_feed(learner_id: str) -> str:
    return f"learner:{learner_id}"


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(payload: dict[str, Any]) -> str:
    """The payload as stored and compared: sorted keys, no spaces, UTF-8 text."""
    return _CANONICAL.encode(payload)


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


# -- push ----------------------------------------------------------------------------------


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _problem(event: Event, learner_id: str, device_id: str) -> str | None:
    """Why this event may not be stored for this device, or None."""
    if event.learner_id != learner_id:
        return "learner_id is not the signed-in learner"
    if event.device_id != device_id:
        return "device_id is not this device"
    if _UUID.fullmatch(event.id) is None:
        return "id is not a UUID"
    missing = [f for f in REQUIRED_FIELDS[event.type] if f not in event.payload]
    if missing:
        return f"payload lacks {', '.join(missing)}"
    return None


def _screen(
    events: Sequence[Event], learner_id: str, device_id: str
) -> tuple[dict[str, Event], list[Rejection]]:
    """The events this device may store (by id, each once) and the refused ones, with reasons."""
    rejected: list[Rejection] = []
    wanted: dict[str, Event] = {}
    for event in events:
        reason = _problem(event, learner_id, device_id)
        if reason is not None:
            rejected.append(Rejection(id=event.id, reason=reason))
        elif event.id in wanted and wanted[event.id] != event:
            rejected.append(Rejection(id=event.id, reason="id sent twice with different content"))
        else:
            wanted[event.id] = event
    return wanted, rejected


def _same(row: Any, event: Event) -> bool:
    return bool(
        row.learner_id == event.learner_id
        and row.device_id == event.device_id
        and row.device_seq == event.device_seq
        and row.type == event.type
        and row.payload == canonical(event.payload)
    )


def push(
    session: Session, learner_id: str, device_id: str, events: Sequence[Event]
) -> tuple[list[str], list[Rejection]]:
    """Store a batch in the caller's transaction; re-sending it changes nothing.

    The learner's feed row is locked first, so this learner's pushes run one after another:
    sequence numbers are handed out and committed in order, and a reader that has seen seq n
    has seen every seq below it.
    """
    wanted, rejected = _screen(events, learner_id, device_id)
    acks: list[str] = []
    if not wanted:
        return acks, rejected
    feed = learner_feed(learner_id)
    session.execute(_insert(session, Feed).values(name=feed, last_seq=0).on_conflict_do_nothing())
    session.execute(select(Feed.last_seq).where(Feed.name == feed).with_for_update()).one()
    where = StoredEvent.id.in_(list(wanted))
    stored = {row.id: row for row in session.scalars(select(StoredEvent).where(where))}
    new: list[Event] = []
    for event_id, event in wanted.items():
        row = stored.get(event_id)
        if row is None:
            new.append(event)
        elif _same(row, event):
            acks.append(event_id)
        else:
            rejected.append(Rejection(id=event_id, reason="id already used by another event"))
    if new:
        last = session.execute(
            update(Feed)
            .where(Feed.name == feed)
            .values(last_seq=Feed.last_seq + len(new))
            .returning(Feed.last_seq)
        ).scalar_one()
        first = last - len(new) + 1
        received = now()
        rows = [
            {
                "id": e.id,
                "feed": feed,
                "seq": first + i,
                "learner_id": e.learner_id,
                "device_id": e.device_id,
                "device_seq": e.device_seq,
                "hlc": e.hlc,
                "type": e.type,
                "payload": canonical(e.payload),
                "received_at": received,
            }
            for i, e in enumerate(new)
        ]
        inserted = set(
            session.scalars(
                _insert(session, StoredEvent).on_conflict_do_nothing().returning(StoredEvent.id),
                rows,
            )
        )
        for event in new:
            if event.id in inserted:
                acks.append(event.id)
            else:  # the id was taken at this moment by another learner's event
                rejected.append(Rejection(id=event.id, reason="id already used by another event"))
    order = {e.id: i for i, e in enumerate(events)}
    acks.sort(key=lambda i: order[i])
    return acks, rejected


async def push_in_one_statement(
    connection: AsyncConnection[Any],
    user_id: str,
    device_id: str,
    events: Sequence[Event],
    per_minute: int,
    moment: float,
) -> tuple[list[str], list[Rejection]]:
    """PostgreSQL: what `admit` and `push` do, in one call of the `ssoc_push` function (migration
    s0002): one round trip, and on an autocommit connection one transaction and one commit.

    The per-event checks run here in Python first, as for SQLite. Raises Denied like `admit`.
    """
    wanted, rejected = _screen(events, user_id, device_id)
    batch = list(wanted.values())
    cursor = await connection.execute(
        _PUSH_CALL,
        {
            "device": device_id,
            "user": user_id,
            "window": int(moment // 60),
            "per_minute": per_minute,
            "ids": [e.id for e in batch],
            "dseqs": [e.device_seq for e in batch],
            "hlcs": [e.hlc for e in batch],
            "types": [e.type for e in batch],
            "payloads": [canonical(e.payload) for e in batch],
        },
    )
    row = await cursor.fetchone()
    assert row is not None  # the function always returns one row
    status, acked, taken = row
    if status != "ok":
        raise Denied(status, _retry_after(moment))
    order = {e.id: i for i, e in enumerate(events)}
    acks = sorted(acked, key=order.__getitem__)
    rejected += [
        Rejection(id=i, reason="id already used by another event")
        for i in sorted(taken, key=order.__getitem__)
    ]
    return acks, rejected


# psycopg placeholders; %b sends an array in binary (quoting a text array costs ~2 ms). The text
# is constant, so psycopg prepares it on a connection after a few uses.
_PUSH_CALL = (
    "SELECT status, acked, taken FROM ssoc_push(%(device)s, %(user)s, %(window)s,"
    " %(per_minute)s, %(ids)b::varchar[], %(dseqs)b::bigint[], %(hlcs)b::varchar[],"
    " %(types)b::varchar[], %(payloads)b::text[])"
)


# -- pull ----------------------------------------------------------------------------------


def pull(session: Session, feed: str, after: int, limit: int) -> tuple[list[StoredEvent], bool]:
    rows = list(
        session.scalars(
            select(StoredEvent)
            .where(StoredEvent.feed == feed, StoredEvent.seq > after)
            .order_by(StoredEvent.seq)
            .limit(limit + 1)
        )
    )
    return rows[:limit], len(rows) > limit


def may_read(session: Session, reader: User, learner_id: str) -> bool:
    """A learner reads her own feed; a tutor the feeds of her classes' learners; admins all."""
    if reader.id == learner_id or reader.role == "admin":
        return True
    if reader.role != "tutor":
        return False
    tutor = Membership.__table__.alias("tutor")
    learner = Membership.__table__.alias("learner")
    query = (
        select(func.count())
        .select_from(tutor.join(learner, tutor.c.class_id == learner.c.class_id))
        .where(
            tutor.c.user_id == reader.id,
            tutor.c.role == "tutor",
            learner.c.user_id == learner_id,
            learner.c.role == "learner",
        )
    )
    return bool(session.scalar(query))


# -- accounts ------------------------------------------------------------------------------


class AccountError(ValueError):
    pass


def create_user(session: Session, username: str, password: str, role: str = "learner") -> User:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"the username '{username}' is taken")
    user = User(
        id=str(uuid.uuid4()),
        username=username,
        password_hash=hash_password(password),
        role=role,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    return user


def create_class(session: Session, name: str) -> SchoolClass:
    school_class = SchoolClass(id=str(uuid.uuid4()), name=name)
    session.add(school_class)
    session.flush()
    return school_class


def add_member(session: Session, class_id: str, username: str, role: str) -> None:
    if role not in ("tutor", "learner"):
        raise AccountError("a class member is a tutor or a learner")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"no user '{username}'")
    if role == "tutor" and user.role != "tutor":
        raise AccountError(
            f"'{username}' is a {user.role} account: only tutor accounts tutor a class"
        )
    if session.get(SchoolClass, class_id) is None:
        raise AccountError(f"no class '{class_id}'")
    session.merge(Membership(class_id=class_id, user_id=user.id, role=role))


def class_learners(session: Session, reader: User, class_id: str) -> list[User] | None:
    """The learners of a class, for its tutors and admins; None for anyone else."""
    if reader.role != "admin":
        member = session.get(Membership, (class_id, reader.id))
        if member is None or member.role != "tutor":
            return None
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.class_id == class_id, Membership.role == "learner")
            .order_by(User.username)
        )
    )


def delete_learner_data(session: Session, user: User) -> int:
    """Everything kept about a person: events, devices, memberships, the account."""
    removed = session.execute(delete(StoredEvent).where(StoredEvent.learner_id == user.id))
    session.execute(delete(Feed).where(Feed.name == learner_feed(user.id)))
    session.execute(delete(Device).where(Device.user_id == user.id))
    session.execute(delete(Membership).where(Membership.user_id == user.id))
    session.delete(user)
    return int(getattr(removed, "rowcount", 0) or 0)


# -- rate limit ----------------------------------------------------------------------------


class Denied(Exception):
    """This device may not be served now. `reason`: rate_limited (wait `retry_after` seconds),
    device_revoked (signed out, or unknown), unauthenticated (the account is gone)."""

    def __init__(self, reason: str, retry_after: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def admit(
    session: Session, device_id: str, user_id: str, per_minute: int, moment: float
) -> tuple[User, Device]:
    """Count the request against the device's rate limit, then check that the device is signed
    in and its account exists. Raises Denied (the caller's transaction then rolls back)."""
    if not count_request(session, device_id, per_minute, moment):
        raise Denied("rate_limited", _retry_after(moment))
    found = session.execute(
        select(Device, User)
        .outerjoin(User, User.id == Device.user_id)
        .where(Device.id == device_id)
    ).one_or_none()
    device, user = found if found is not None else (None, None)
    if device is None or device.revoked_at is not None:
        raise Denied("device_revoked")
    if user is None or user.id != user_id:
        raise Denied("unauthenticated")
    return user, device


def _retry_after(moment: float) -> int:
    return max(1, 60 - int(moment % 60))


def count_request(session: Session, device_id: str, per_minute: int, moment: float) -> bool:
    """Count a request in its device's one-minute window, kept in the database (shared by
    replicas); False when the window is over the limit."""
    window = int(moment // 60)
    statement = (
        _insert(session, RateWindow)
        .values(device_id=device_id, window=window, count=1)
        .on_conflict_do_update(
            index_elements=["device_id", "window"], set_={"count": RateWindow.count + 1}
        )
        .returning(RateWindow.count)
    )
    count = session.execute(statement).scalar_one()
    if count == 1:  # first request of a window: forget this device's old windows
        session.execute(
            delete(RateWindow).where(RateWindow.device_id == device_id, RateWindow.window < window)
        )
    return bool(count <= per_minute)
