"""The wire protocol between the app and the platform server (version 1).

Every request carries `X-SSOC-Protocol: <n>`. A server that no longer speaks a client's version
answers 426 with `{"error": "upgrade_required", ...}`; the client keeps its outbox and tells the
learner to update the app, so nothing is lost.

Progress travels as append-only events. An event's id (UUIDv7) makes every push idempotent:
the server stores an id once and acknowledges it again on every re-send.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
MIN_PROTOCOL_VERSION = 1  # the oldest client version the server still accepts
PROTOCOL_HEADER = "X-SSOC-Protocol"
MAX_BATCH = 500
MAX_PAGE = 1000

EventType = Literal["attempt", "unit_result", "review"]


class Event(BaseModel):
    """One recorded piece of progress, exactly as the device wrote it to its outbox."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=36, max_length=36)  # UUIDv7
    learner_id: str = Field(min_length=1, max_length=64)
    device_id: str = Field(min_length=1, max_length=64)
    device_seq: int = Field(ge=1)
    hlc: str = Field(min_length=1, max_length=100)  # hybrid logical clock, sortable text
    type: EventType
    payload: dict[str, Any]


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[Event] = Field(max_length=MAX_BATCH)


class Rejection(BaseModel):
    id: str
    reason: str


class PushResponse(BaseModel):
    acks: list[str]  # stored now or before: the device may forget them
    rejected: list[Rejection]  # never stored; the reason says why


class StoredEvent(Event):
    seq: int  # position in its feed


class PullResponse(BaseModel):
    events: list[StoredEvent]
    cursor: str  # opaque; send it back to continue after the last event
    has_more: bool


class EnrolRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=64)
    device_name: str = Field(default="", max_length=100)


class RegisterRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    password: str = Field(min_length=8, max_length=256)


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    learner_id: str
    role: str


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=200)


class ErrorBody(BaseModel):
    error: str  # a stable code: upgrade_required, rate_limited, invalid_cursor, …
    detail: str  # plain words for a person


class PackInfo(BaseModel):
    course: str
    version: int
    file: str
    sha256: str
    size: int


class Catalog(BaseModel):
    """The city's course catalog: the courses the platform offers, with their latest packs."""

    courses: list[PackInfo]


# -- tutor assignments: server-authoritative, with versions and tombstones -------------------

_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
_UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class AssignmentIn(BaseModel):
    """What a tutor sends to create or replace an assignment."""

    model_config = ConfigDict(extra="forbid")

    course_id: str = Field(min_length=1, max_length=64, pattern=_ID_PATTERN)
    unit_id: str = Field(min_length=1, max_length=64, pattern=_ID_PATTERN)
    due: date | None = None
    note: str = Field(default="", max_length=500)
    # A new assignment's id, chosen by the app (POST only): sent again after a lost answer, the
    # same assignment comes back instead of a second one. Without it the server picks one.
    id: str | None = Field(default=None, pattern=_UUID_PATTERN)


class Assignment(BaseModel):
    """A unit a tutor gave a class. Clients keep, per id, the highest version they saw."""

    id: str  # uuid4 string
    class_id: str
    class_name: str
    course_id: str
    unit_id: str
    due: date | None
    note: str
    version: int  # 1 when created, +1 on every change
    deleted: bool  # a tombstone: the tutor removed it (kept so offline devices learn it)
    updated_at: datetime


class AssignmentList(BaseModel):
    assignments: list[Assignment]


class ClassInfo(BaseModel):
    id: str
    name: str
    role: str  # "tutor" | "learner": my role in that class


class LearnerProgress(BaseModel):
    learner_id: str
    username: str
    done: bool  # a unit_result event for this course+unit exists in the learner's feed
    best_correct: int | None  # the best unit_result (highest correct/total), None if not done
    best_total: int | None
    finished_at: datetime | None  # of the first unit_result


class AssignmentStatus(BaseModel):
    assignment: Assignment
    learners: list[LearnerProgress]  # every learner of the class, by username
