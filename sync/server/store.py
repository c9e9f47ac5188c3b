"""What the server does with the database: push, pull, accounts. No HTTP here."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


# -- push ----------------------------------------------------------------------------------


def _problem(event: Event, learner_id: str, device_id: str) -> str | None:
    """Why this event may not be stored for this device, or None."""
    if event.learner_id != learner_id:
        return "learner_id is not the signed-in learner"
    if event.device_id != device_id:
        return "device_id is not this device"
    try:
        uuid.UUID(event.id)
    except ValueError:
        return "id is not a UUID"
    missing = [f for f in REQUIRED_FIELDS[event.type] if f not in event.payload]
    if missing:
        return f"payload lacks {', '.join(missing)}"
    return None


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
    acks: list[str] = []
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
    if not wanted:
        return acks, rejected
    feed = learner_feed(learner_id)
    pg = session.get_bind().dialect.name == "postgresql"
    if pg:  # create-or-lock the feed row in one round trip (the upsert takes the row lock)
        session.execute(
            postgresql.insert(Feed)
            .values(name=feed, last_seq=0)
            .on_conflict_do_update(index_elements=[Feed.name], set_={"last_seq": Feed.last_seq})
        )
    else:
        session.execute(
            _insert(session, Feed).values(name=feed, last_seq=0).on_conflict_do_nothing()
        )
        session.execute(select(Feed.last_seq).where(Feed.name == feed).with_for_update()).one()
    # A stored event (ORM row or plain row): the columns `_same` compares.
    stored: dict[str, Any]
    if pg:  # one binary array parameter: constant SQL text, cheap to send
        stored = {
            row.id: row
            for row in session.connection().exec_driver_sql(_LOOKUP, {"ids": list(wanted)}).all()
        }
    else:
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
        if pg:
            inserted = set(
                session.connection()
                .exec_driver_sql(
                    _UNNEST_INSERT,
                    {
                        "feed": feed,
                        "learner": learner_id,
                        "device": device_id,
                        "received": received,
                        "ids": [e.id for e in new],
                        "seqs": list(range(first, first + len(new))),
                        "dseqs": [e.device_seq for e in new],
                        "hlcs": [e.hlc for e in new],
                        "types": [e.type for e in new],
                        "payloads": [canonical(e.payload) for e in new],
                    },
                )
                .scalars()
            )
        else:
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
                    _insert(session, StoredEvent)
                    .on_conflict_do_nothing()
                    .returning(StoredEvent.id),
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


# psycopg placeholders, %b: arrays are sent in binary (text arrays cost ~2 ms each to quote)
_UNNEST_INSERT = (
    "INSERT INTO events (id, feed, seq, learner_id, device_id, device_seq, hlc, type, payload,"
    " received_at) SELECT u.id, %(feed)s, u.seq, %(learner)s, %(device)s, u.dseq, u.hlc, u.type,"
    " u.payload, %(received)s FROM unnest(%(ids)b::varchar[], %(seqs)b::bigint[],"
    " %(dseqs)b::bigint[], %(hlcs)b::varchar[], %(types)b::varchar[],"
    " %(payloads)b::text[]) AS u(id, seq, dseq, hlc, type, payload)"
    " ON CONFLICT DO NOTHING RETURNING id"
)
_LOOKUP = (
    "SELECT id, learner_id, device_id, device_seq, type, payload FROM events"
    " WHERE id = ANY(%(ids)b::varchar[])"
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


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int


def count_request(session: Session, device_id: str, per_minute: int) -> RateDecision:
    """A fixed one-minute window per device, counted in the database (shared by replicas)."""
    moment = now().timestamp()
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
    return RateDecision(count <= per_minute, max(1, 60 - int(moment % 60)))
