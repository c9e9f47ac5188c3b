"""Repositories implementing the domain ports on top of the SQLite store."""

from __future__ import annotations

import itertools
import json
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from app.domain.assignments import Assignment, by_due, newest
from app.domain.course import CourseId, UnitId, UnitRef
from app.domain.hlc import Hlc, receive, tick, uuid7
from app.domain.session import Attempt, UnitResult
from app.domain.srs import (
    DEFAULT_SCHEDULER,
    CardSpec,
    CardState,
    Memory,
    Phase,
    ReviewLogEntry,
    Scheduler,
    apply_review,
    new_state,
    replay,
)
from app.store.db import Database
from app.store.models import (
    AssignmentRow,
    AttemptRow,
    OutboxRejectedRow,
    OutboxRow,
    ReviewCardRow,
    ReviewLogRow,
    SettingRow,
    UnitResultRow,
)

DEVICE_KEY = "device_id"
HLC_KEY = "sync.hlc"


@dataclass(frozen=True)
class OutboxEvent:
    """An event waiting in the outbox, as it will be sent."""

    id: str
    device_seq: int
    hlc: str
    type: str
    payload: dict[str, Any]


def _to_db(moment: datetime) -> datetime:
    """SQLite keeps no time zone: store naive UTC."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _from_db(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


# The cached card state is a JSON object; bump the version when its shape changes and old
# caches are replayed from the log on read instead of being misread.
_STATE_VERSION = 1


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _parse_time(text: Any) -> datetime | None:
    return None if text is None else datetime.fromisoformat(str(text))


def _event_time(moment: datetime) -> str:
    """A time as events carry it: ISO 8601 in UTC (naive times are refused, as in _to_db)."""
    return _to_db(moment).replace(tzinfo=UTC).isoformat()


def _required_time(text: Any) -> datetime:
    """A time from an event: ISO 8601 with its offset (a synced time must not be ambiguous)."""
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError(f"time without a zone: {text!r}")
    return moment


def _state_to_json(state: CardState) -> str:
    memory = state.memory
    key = state.last_key
    return json.dumps(
        {
            "v": _STATE_VERSION,
            "phase": memory.phase.value,
            "step": memory.step,
            "stability": memory.stability,  # json keeps the shortest exact repr of a float
            "difficulty": memory.difficulty,
            "due": _iso(memory.due),
            "last_review": _iso(memory.last_review),
            "first_review": _iso(state.first_review),
            "reps": state.reps,
            "lapses": state.lapses,
            "last_key": None if key is None else [_iso(key[0]), key[1], key[2]],
        },
        separators=(",", ":"),
    )


def _state_from_json(card_id: str, text: str) -> CardState | None:
    """The cached state, or None when it cannot be trusted (then the log is replayed)."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != _STATE_VERSION:
            return None
        key = data["last_key"]
        last_at = _parse_time(key[0]) if key is not None else None
        return CardState(
            card_id=card_id,
            memory=Memory(
                phase=Phase(data["phase"]),
                step=data["step"],
                stability=data["stability"],
                difficulty=data["difficulty"],
                due=_parse_time(data["due"]),
                last_review=_parse_time(data["last_review"]),
            ),
            first_review=_parse_time(data["first_review"]),
            reps=int(data["reps"]),
            lapses=int(data["lapses"]),
            last_key=None if last_at is None else (last_at, str(key[1]), str(key[2])),
        )
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _entry(row: Any) -> ReviewLogEntry:
    return ReviewLogEntry(
        id=row.id,
        card_id=row.card_id,
        rating=row.rating,
        reviewed_at=_from_db(row.reviewed_at),
        device_id=row.device_id,
        duration_ms=row.duration_ms,
    )


def _keep_state(row: ReviewCardRow, state: CardState) -> None:
    row.state = _state_to_json(state)
    row.due = None if state.due is None else _to_db(state.due)


_LOG_COLUMNS = (
    ReviewLogRow.id,
    ReviewLogRow.card_id,
    ReviewLogRow.rating,
    ReviewLogRow.reviewed_at,
    ReviewLogRow.device_id,
    ReviewLogRow.duration_ms,
)
_LOG_ORDER = (ReviewLogRow.reviewed_at, ReviewLogRow.device_id, ReviewLogRow.id)


class AssignmentData(Protocol):
    """An assignment as the server sends it (sync.protocol.Assignment has these fields)."""

    @property
    def id(self) -> str: ...
    @property
    def class_id(self) -> str: ...
    @property
    def class_name(self) -> str: ...
    @property
    def course_id(self) -> str: ...
    @property
    def unit_id(self) -> str: ...
    @property
    def due(self) -> date | None: ...
    @property
    def note(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def updated_at(self) -> datetime: ...


def _assignment(data: AssignmentData) -> Assignment:
    updated = data.updated_at
    return Assignment(
        id=data.id,
        class_id=data.class_id,
        class_name=data.class_name,
        course_id=CourseId(data.course_id),
        unit_id=UnitId(data.unit_id),
        due=data.due,
        note=data.note,
        version=data.version,
        deleted=data.deleted,
        updated_at=updated if updated.tzinfo is not None else updated.replace(tzinfo=UTC),
    )


def _fill_assignment_row(row: AssignmentRow, kept: Assignment) -> None:
    row.class_id = kept.class_id
    row.class_name = kept.class_name
    row.course_id = kept.course_id
    row.unit_id = kept.unit_id
    row.due = kept.due
    row.note = kept.note
    row.version = kept.version
    row.deleted = kept.deleted
    row.updated_at = _to_db(kept.updated_at)


class SqlStore:
    """Progress and settings of one learner on this device."""

    # Scheduling of cached states; after changing it (new FSRS parameters), rebuild_states().
    review_scheduler: Scheduler = DEFAULT_SCHEDULER

    def __init__(self, database: Database) -> None:
        self._sessions = sessionmaker(database.engine, expire_on_commit=False)
        self.skipped: list[str] = []  # pulled events that could not be applied, with why

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
        payload = {
            "id": attempt.id,
            "course_id": attempt.unit.course,
            "unit_id": attempt.unit.unit,
            "exercise_id": attempt.exercise_id,
            "response": attempt.response,
            "correct": attempt.correct,
            "first_try": attempt.first_try,
            "answered_at": _event_time(attempt.answered_at),
        }
        with self._sessions.begin() as session:
            if self._add_attempt(session, payload):
                self._enqueue(session, "attempt", payload, attempt.answered_at)

    def record_result(self, result: UnitResult) -> None:
        payload = {
            "id": result.id,
            "course_id": result.unit.course,
            "unit_id": result.unit.unit,
            "correct": result.correct,
            "total": result.total,
            "missed": list(result.missed),
            "finished_at": _event_time(result.finished_at),
        }
        with self._sessions.begin() as session:
            if self._add_result(session, payload):
                self._enqueue(session, "unit_result", payload, result.finished_at)

    @staticmethod
    def _add_attempt(session: Session, p: dict[str, Any]) -> bool:
        if session.get(AttemptRow, p["id"]) is not None:
            return False
        session.add(
            AttemptRow(
                id=p["id"],
                course_id=p["course_id"],
                unit_id=p["unit_id"],
                exercise_id=p["exercise_id"],
                response=p.get("response", ""),
                correct=bool(p["correct"]),
                first_try=bool(p.get("first_try", True)),
                answered_at=_to_db(_required_time(p["answered_at"])),
            )
        )
        return True

    @staticmethod
    def _add_result(session: Session, p: dict[str, Any]) -> bool:
        if session.get(UnitResultRow, p["id"]) is not None:
            return False
        session.add(
            UnitResultRow(
                id=p["id"],
                course_id=p["course_id"],
                unit_id=p["unit_id"],
                correct=int(p["correct"]),
                total=int(p["total"]),
                missed=" ".join(p.get("missed", [])),
                finished_at=_to_db(_required_time(p["finished_at"])),
            )
        )
        return True

    def _apply_one(self, session: Session, kind: str, payload: dict[str, Any]) -> int:
        """Record one event from another device (never put back in the outbox)."""
        if kind == "attempt":
            return int(self._add_attempt(session, payload))
        if kind == "unit_result":
            return int(self._add_result(session, payload))
        if kind == "review":
            entry = ReviewLogEntry(
                id=payload["id"],
                card_id=payload["card_id"],
                rating=payload["rating"],
                reviewed_at=_required_time(payload["reviewed_at"]),
                device_id=payload["device_id"],
                duration_ms=payload.get("duration_ms"),
            )
            return int(self._add_review(session, entry)[1])
        raise ValueError(f"unknown event type {kind!r} (from a newer app?)")

    # -- outbox (SyncStore) ----------------------------------------------------------------

    def _enqueue(self, session: Session, kind: str, payload: dict[str, Any], at: datetime) -> None:
        """Put an event in the outbox, in the transaction that recorded the progress."""
        row = session.get(SettingRow, HLC_KEY)
        last = Hlc.decode(row.value) if row is not None else None
        now_ms = int(at.timestamp() * 1000)
        stamp = tick(last, now_ms)
        session.merge(SettingRow(key=HLC_KEY, value=stamp.encode()))
        session.add(
            OutboxRow(
                id=uuid7(now_ms, os.urandom(10)),
                hlc=stamp.encode(),
                type=kind,
                payload=json.dumps(payload, sort_keys=True, ensure_ascii=False),
            )
        )

    def device_id(self) -> str:
        with self._sessions.begin() as session:
            row = session.get(SettingRow, DEVICE_KEY)
            if row is None:
                row = SettingRow(key=DEVICE_KEY, value=str(uuid.uuid4()))
                session.add(row)
            return row.value

    def pending(self, limit: int) -> list[OutboxEvent]:
        """The oldest events not yet acknowledged, in device order."""
        with self._session() as session:
            rows = session.scalars(select(OutboxRow).order_by(OutboxRow.seq).limit(limit))
            return [OutboxEvent(r.id, r.seq, r.hlc, r.type, json.loads(r.payload)) for r in rows]

    def pending_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(OutboxRow)) or 0

    def rejected_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(OutboxRejectedRow)) or 0

    def acknowledge(
        self, acked: Iterable[str], rejected: Iterable[tuple[str, str]], now: datetime
    ) -> None:
        """Forget acknowledged events; move refused ones aside with the server's reason."""
        with self._sessions.begin() as session:
            ids = list(acked)
            for start in range(0, len(ids), 500):
                session.execute(delete(OutboxRow).where(OutboxRow.id.in_(ids[start : start + 500])))
            for event_id, reason in rejected:
                row = session.scalar(select(OutboxRow).where(OutboxRow.id == event_id))
                if row is None:
                    continue
                session.merge(
                    OutboxRejectedRow(
                        id=row.id,
                        seq=row.seq,
                        type=row.type,
                        payload=row.payload,
                        reason=reason,
                        rejected_at=_to_db(now),
                    )
                )
                session.delete(row)

    def apply_pulled(
        self,
        events: Iterable[dict[str, Any]],
        cursor: str,
        now: datetime,
        cursor_key: str,
    ) -> int:
        """Record a page of events from the server and its cursor, in one transaction.

        Either the whole page and the new cursor are stored or neither: a crash in between
        leaves the old cursor, and the page is fetched again (applying it twice changes
        nothing, every row is keyed by its id). Returns how many rows were new.
        """
        added = 0
        with self._sessions.begin() as session:
            row = session.get(SettingRow, HLC_KEY)
            clock = Hlc.decode(row.value) if row is not None else None
            for event in events:
                try:
                    with session.begin_nested():  # a bad event is skipped whole, never half
                        added += self._apply_one(session, event["type"], event["payload"])
                        remote = Hlc.decode(event["hlc"])
                except (ValueError, KeyError, TypeError) as exc:
                    self.skipped.append(f"{event.get('id')}: {exc}")
                    continue
                clock = receive(clock, remote, int(now.timestamp() * 1000))
            if clock is not None:
                session.merge(SettingRow(key=HLC_KEY, value=clock.encode()))
            session.merge(SettingRow(key=cursor_key, value=cursor))
        return added

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

    # -- tutor assignments -----------------------------------------------------------------

    def merge_assignments(
        self, assignments: Iterable[AssignmentData], complete: bool = False
    ) -> int:
        """Keep, per id, the copy with the highest version, all in one transaction.

        `complete`: the list is everything the server has for this learner now, so an
        assignment not in it is gone (she left that class: the server sends no tombstone for
        classes she is no longer in). A class's name carries no version: the newest name is
        taken for an unchanged assignment too. Returns how many assignments changed here."""
        arrived: dict[str, Assignment] = {}
        for data in assignments:
            item = _assignment(data)
            arrived[item.id] = newest(arrived.get(item.id), item)
        changed = 0
        with self._sessions.begin() as session:
            ids = list(arrived)
            rows: dict[str, AssignmentRow] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                query = select(AssignmentRow).where(AssignmentRow.id.in_(chunk))
                rows.update((row.id, row) for row in session.scalars(query))
            for item in arrived.values():
                row = rows.get(item.id)
                known = None if row is None else _assignment(row)
                if newest(known, item) is not item:  # the same or an older version stays
                    renamed = row is not None and row.class_name != item.class_name
                    if row is not None and renamed and row.version == item.version:
                        row.class_name = item.class_name
                        changed += 1
                    continue
                if row is None:
                    row = AssignmentRow(id=item.id)
                    session.add(row)
                _fill_assignment_row(row, item)
                changed += 1
            if complete:
                gone = session.execute(delete(AssignmentRow).where(AssignmentRow.id.not_in(ids)))
                changed += int(getattr(gone, "rowcount", 0) or 0)
        return changed

    def assignments(self) -> list[Assignment]:
        """The live assignments (tombstones hidden), soonest due first, undated last."""
        with self._session() as session:
            rows = session.scalars(select(AssignmentRow).where(AssignmentRow.deleted.is_(False)))
            return sorted((_assignment(row) for row in rows), key=by_due)

    def assignment_versions(self) -> dict[str, int]:
        """Every assignment id here with its version (tombstones too): what a redraw needs."""
        with self._session() as session:
            rows = session.execute(select(AssignmentRow.id, AssignmentRow.version))
            return {row.id: row.version for row in rows}

    def forget_assignments(self) -> None:
        """Another person signed in on this device: the previous one's assignments go."""
        with self._sessions.begin() as session:
            session.execute(delete(AssignmentRow))

    # -- ReviewStore -----------------------------------------------------------------------

    def ensure_cards(self, specs: Iterable[CardSpec], now: datetime) -> int:
        at = _to_db(now)
        wanted = list(dict.fromkeys(specs))  # duplicates once, first position kept
        with self._sessions.begin() as session:
            known = set(session.scalars(select(ReviewCardRow.card_id)))
            ordinal = self._next_ordinal(session)
            added = 0
            for spec in wanted:
                if spec.card_id in known:
                    continue  # introduced before: its introduction time and state stay
                session.add(self._card_row(spec, at, ordinal + added, new_state(spec.card_id)))
                added += 1
            return added

    def record_review(self, entry: ReviewLogEntry) -> CardState:
        with self._sessions.begin() as session:
            state, added = self._add_review(session, entry)
            if added:
                payload = {
                    "id": entry.id,
                    "card_id": entry.card_id,
                    "rating": int(entry.rating),
                    "reviewed_at": _event_time(entry.reviewed_at),
                    "device_id": entry.device_id,
                    "duration_ms": entry.duration_ms,
                }
                self._enqueue(session, "review", payload, entry.reviewed_at)
            return state

    def _add_review(self, session: Session, entry: ReviewLogEntry) -> tuple[CardState, bool]:
        """Log a review and update its card's cached state; (state, whether it was new)."""
        spec = CardSpec.parse(entry.card_id)  # refuse a log entry no card could ever show
        known = session.get(ReviewLogRow, entry.id)
        row = session.get(ReviewCardRow, entry.card_id)
        if known is not None:
            if _entry(known) != entry:
                raise ValueError(f"review {entry.id} was already recorded differently")
            cached = None if row is None else _state_from_json(row.card_id, row.state)
            if cached is not None:
                return cached, False
            logs = self._logs(session, entry.card_id)
            return replay(entry.card_id, logs, self.review_scheduler), False
        session.add(
            ReviewLogRow(
                id=entry.id,
                card_id=entry.card_id,
                rating=int(entry.rating),
                reviewed_at=_to_db(entry.reviewed_at),
                device_id=entry.device_id,
                duration_ms=entry.duration_ms,
            )
        )
        if row is None:
            # A review synced from another device can arrive before this device has met the
            # card; the card is then introduced by that review.
            at = _to_db(entry.reviewed_at)
            row = self._card_row(spec, at, self._next_ordinal(session), new_state(spec.card_id))
            session.add(row)
        cached = _state_from_json(row.card_id, row.state)
        if cached is not None and (cached.last_key is None or entry.key > cached.last_key):
            state = apply_review(cached, entry, self.review_scheduler)
        else:
            # The entry sorts before one already applied (late sync) or the cache is stale:
            # history changed, so the whole log is replayed.
            session.flush()
            state = replay(entry.card_id, self._logs(session, entry.card_id), self.review_scheduler)
        _keep_state(row, state)
        return state, True

    def card_count(self) -> int:
        """How many review cards exist (cheap: no state is read)."""
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(ReviewCardRow)) or 0

    def card_states(self) -> dict[str, CardState]:
        with self._session() as session:
            rows = session.execute(
                select(ReviewCardRow.card_id, ReviewCardRow.state).order_by(
                    ReviewCardRow.introduced_at, ReviewCardRow.ordinal
                )
            )
            cached = {card_id: _state_from_json(card_id, text) for card_id, text in rows}
            return {
                card_id: state
                if state is not None
                else replay(card_id, self._logs(session, card_id), self.review_scheduler)
                for card_id, state in cached.items()
            }

    def queue_states(self, now: datetime, limit: int, new_limit: int) -> dict[str, CardState]:
        """The few states today's queue is built from, without reading every card.

        For any `new_per_day <= new_limit`, `due_queue(s, now, limit, new_per_day,
        introduced_today(s, now))` over these states gives the same queue as over all of
        `card_states()`: they hold the `limit` cards due soonest at `now` (by due, then card id),
        the first `new_limit` new cards, and every card first reviewed on `now`'s calendar day
        (in `now`'s zone), in introduction order.
        """
        # The queue is rebuilt each time the review screen opens: reading and parsing every
        # card's JSON state takes half a second at 50,000 cards, these three indexed queries a
        # few milliseconds. They read the `due` column kept next to the cached state
        # (`_keep_state`) and the log, the truth for when a card was first reviewed.
        _to_db(now)  # a naive clock is a bug here as in due_queue
        today = now.date()
        zone = now.tzinfo
        start = _to_db(datetime.combine(today, time(), tzinfo=zone))
        end = _to_db(datetime.combine(today + timedelta(days=1), time(), tzinfo=zone))
        columns = (
            ReviewCardRow.card_id,
            ReviewCardRow.state,
            ReviewCardRow.introduced_at,
            ReviewCardRow.ordinal,
        )
        earlier = aliased(ReviewLogRow)
        first_today = (
            select(ReviewLogRow.card_id)
            .where(ReviewLogRow.reviewed_at >= start, ReviewLogRow.reviewed_at < end)
            .where(
                ~exists().where(
                    earlier.card_id == ReviewLogRow.card_id, earlier.reviewed_at < start
                )
            )
        )
        queries = [
            select(*columns)
            .where(ReviewCardRow.due <= _to_db(now))
            .order_by(ReviewCardRow.due, ReviewCardRow.card_id)
            .limit(max(0, limit)),
            select(*columns)
            .where(ReviewCardRow.due.is_(None))
            .order_by(ReviewCardRow.introduced_at, ReviewCardRow.ordinal)
            .limit(max(0, new_limit)),
            select(*columns).where(ReviewCardRow.card_id.in_(first_today)),
        ]
        with self._session() as session:
            rows = {row.card_id: row for query in queries for row in session.execute(query)}
            ordered = sorted(rows.values(), key=lambda row: (row.introduced_at, row.ordinal))
            states = {row.card_id: _state_from_json(row.card_id, row.state) for row in ordered}
            return {
                card_id: state
                if state is not None
                else replay(card_id, self._logs(session, card_id), self.review_scheduler)
                for card_id, state in states.items()
            }

    def review_logs(self, card_id: str | None = None) -> list[ReviewLogEntry]:
        with self._session() as session:
            if card_id is not None:
                return self._logs(session, card_id)
            return [
                _entry(row) for row in session.execute(select(*_LOG_COLUMNS).order_by(*_LOG_ORDER))
            ]

    def reviews_per_day(self, since: datetime) -> dict[date, int]:
        zone = since.tzinfo
        with self._session() as session:
            times = session.scalars(
                select(ReviewLogRow.reviewed_at).where(ReviewLogRow.reviewed_at >= _to_db(since))
            )
            # Days are the learner's days: grouped in the zone of `since`, not in UTC.
            counts = Counter(_from_db(moment).astimezone(zone).date() for moment in times)
        return dict(sorted(counts.items()))

    def rebuild_states(self) -> int:
        with self._sessions.begin() as session:
            cards = {row.card_id: row for row in session.scalars(select(ReviewCardRow))}
            rows = session.execute(
                select(*_LOG_COLUMNS).order_by(ReviewLogRow.card_id, *_LOG_ORDER)
            )
            replayed: set[str] = set()
            ordinal = self._next_ordinal(session)
            for card_id, group in itertools.groupby(rows, key=lambda row: row.card_id):
                entries = [_entry(row) for row in group]
                state = replay(card_id, entries, self.review_scheduler)
                card = cards.get(card_id)
                if card is None:  # a logged card whose row is missing: bring it back
                    assert state.first_review is not None
                    card = self._card_row(
                        CardSpec.parse(card_id), _to_db(state.first_review), ordinal, state
                    )
                    ordinal += 1
                    session.add(card)
                    cards[card_id] = card
                _keep_state(card, state)
                replayed.add(card_id)
            for card_id, card in cards.items():
                if card_id not in replayed:
                    _keep_state(card, new_state(card_id))
            return len(cards)

    @staticmethod
    def _logs(session: Session, card_id: str) -> list[ReviewLogEntry]:
        rows = session.execute(
            select(*_LOG_COLUMNS).where(ReviewLogRow.card_id == card_id).order_by(*_LOG_ORDER)
        )
        return [_entry(row) for row in rows]

    @staticmethod
    def _next_ordinal(session: Session) -> int:
        highest = session.scalar(select(func.max(ReviewCardRow.ordinal)))
        return 0 if highest is None else highest + 1

    @staticmethod
    def _card_row(spec: CardSpec, at: datetime, ordinal: int, state: CardState) -> ReviewCardRow:
        row = ReviewCardRow(
            card_id=spec.card_id,
            course_id=spec.course,
            unit_id=spec.unit,
            item_id=spec.item,
            facet=spec.facet.value,
            introduced_at=at,
            ordinal=ordinal,
        )
        _keep_state(row, state)
        return row
