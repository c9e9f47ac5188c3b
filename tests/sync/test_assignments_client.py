"""The app's side of tutor assignments against a real server process (SQLite): the sync
fetches and merges them, and a tutor's calls create, list and remove them."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete

from app.domain.course import CourseId, UnitId, UnitRef
from app.domain.session import Attempt, UnitResult
from app.store.repository import SqlStore
from sync.client import LAST_SYNCED_KEY, LEARNER_KEY, ROLE_KEY, Problem, SyncClient, SyncError
from sync.protocol import AssignmentIn
from sync.server.db import sessions
from sync.server.models import Membership
from sync.server.store import add_member, create_class
from tests.sync.helpers import PASSWORD, Database, Server, device, signed_in

U01 = UnitRef(CourseId("level1"), UnitId("u01"))
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


# The client's side: the server's own tests cover both databases, SQLite is enough here.
pytestmark = pytest.mark.parametrize("db", ["sqlite"], indirect=True)


class Classroom:
    """A class on the server with one tutor and one learner, made with the server's store."""

    def __init__(self, db: Database, name: str = "Tuesday evening class") -> None:
        self.tutor, _ = db.learner(role="tutor")
        self.learner, self.learner_id = db.learner()
        with sessions(db.engine).begin() as session:
            self.id = create_class(session, name).id
            add_member(session, self.id, self.tutor, "tutor")
            add_member(session, self.id, self.learner, "learner")
        self.name = name


def test_a_learner_gets_her_tutors_assignment_and_its_changes_by_syncing(
    db: Database, server: Server, tmp_path: Path
) -> None:
    room = Classroom(db)
    tutor = signed_in(device(tmp_path, "tutor"), server, room.tutor)
    learner_store = device(tmp_path, "learner")
    learner = signed_in(learner_store, server, room.learner)
    assert tutor.role == "tutor" and learner.role == "learner"

    given = tutor.assign(
        room.id,
        AssignmentIn(
            course_id="level1",
            unit_id="u01",
            due=date(2026, 12, 24),
            note="Read the dialogue aloud",
        ),
    )
    assert given.version == 1 and given.class_name == room.name

    report = learner.sync()
    assert report.assignments == 1
    [kept] = learner_store.assignments()
    assert (kept.id, kept.unit, kept.due, kept.note, kept.class_name) == (
        given.id,
        U01,
        date(2026, 12, 24),
        "Read the dialogue aloud",
        room.name,
    )
    assert learner.sync().assignments == 0  # nothing new: nothing changes

    changed = tutor.update_assignment(
        room.id,
        given.id,
        AssignmentIn(course_id="level1", unit_id="u01", due=None, note="Only the vocabulary"),
    )
    assert changed.version == 2
    learner.sync()
    [kept] = learner_store.assignments()
    assert (kept.version, kept.due, kept.note) == (2, None, "Only the vocabulary")

    removed = tutor.remove_assignment(room.id, given.id)
    assert removed.deleted and removed.version == 3
    assert learner.sync().assignments == 1
    assert learner_store.assignments() == []
    assert learner_store.assignment_versions() == {given.id: 3}  # the tombstone is kept


def test_leaving_a_class_takes_its_assignments_off_her_device(
    db: Database, server: Server, tmp_path: Path
) -> None:
    room = Classroom(db)
    tutor = signed_in(device(tmp_path, "tutor"), server, room.tutor)
    learner_store = device(tmp_path, "learner")
    learner = signed_in(learner_store, server, room.learner)
    tutor.assign(room.id, AssignmentIn(course_id="level1", unit_id="u02"))
    learner.sync()
    assert [a.unit_id for a in learner_store.assignments()] == ["u02"]
    with sessions(db.engine).begin() as session:  # the city moves her to another class
        session.execute(
            delete(Membership).where(
                Membership.class_id == room.id, Membership.user_id == room.learner_id
            )
        )
    assert learner.sync().assignments == 1
    assert learner_store.assignments() == [] and learner_store.assignment_versions() == {}


def test_a_tutor_sees_her_classes_and_who_has_done_each_assignment(
    db: Database, server: Server, tmp_path: Path
) -> None:
    room = Classroom(db)
    tutor = signed_in(device(tmp_path, "tutor"), server, room.tutor)
    classes = tutor.my_classes()
    assert [(c.id, c.name, c.role) for c in classes] == [(room.id, room.name, "tutor")]
    given = tutor.assign(room.id, AssignmentIn(course_id="level1", unit_id="u01"))

    [status] = tutor.class_assignments(room.id)
    assert status.assignment.id == given.id
    assert [(p.username, p.done) for p in status.learners] == [(room.learner, False)]

    learner_store = device(tmp_path, "learner")
    learner_store.record_result(UnitResult("r1", U01, 8, 10, T0, ("e02", "e07")))
    signed_in(learner_store, server, room.learner).sync()
    [status] = tutor.class_assignments(room.id)
    [progress] = status.learners
    assert (progress.done, progress.best_correct, progress.best_total) == (True, 8, 10)


def test_a_learner_may_not_assign_and_is_told_so(
    db: Database, server: Server, tmp_path: Path
) -> None:
    room = Classroom(db)
    learner = signed_in(device(tmp_path, "learner"), server, room.learner)
    with pytest.raises(SyncError) as caught:
        learner.assign(room.id, AssignmentIn(course_id="level1", unit_id="u01"))
    assert caught.value.problem is Problem.FORBIDDEN
    assert learner.signed_in  # a refusal is not a sign-out


class FailingAssignments(httpx.BaseTransport):
    """The network breaks exactly when the assignments are asked for."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/me/assignments":
            raise httpx.ConnectError("the network went away", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_failure_fetching_assignments_keeps_what_was_pushed_and_pulled(
    db: Database, server: Server, tmp_path: Path
) -> None:
    room = Classroom(db)
    tutor = signed_in(device(tmp_path, "tutor"), server, room.tutor)
    tutor.assign(room.id, AssignmentIn(course_id="level1", unit_id="u01"))
    other = device(tmp_path, "phone")
    other.record_attempt(Attempt("a-phone", U01, "e01", "0", True, T0, True))
    signed_in(other, server, room.learner).sync()

    store = device(tmp_path, "laptop")
    store.record_attempt(Attempt("a-laptop", U01, "e02", "1", False, T0, True))

    def broken(base_url: str) -> httpx.Client:
        return httpx.Client(base_url=base_url, transport=FailingAssignments())

    client = signed_in(store, server, room.learner, http=broken)
    with pytest.raises(SyncError) as caught:
        client.sync()
    assert caught.value.problem is Problem.OFFLINE  # reported like any other sync problem
    assert store.pending_count() == 0 and db.count() == 2  # pushed
    assert {a.id for a in store.attempts(U01)} == {"a-phone", "a-laptop"}  # pulled
    assert store.assignments() == []

    client.http = lambda base_url: httpx.Client(base_url=base_url)
    report = client.sync()
    assert (report.pushed, report.pulled, report.assignments) == (0, 0, 1)
    assert len(store.assignments()) == 1


def test_tutor_calls_refresh_an_expired_access_token(db: Database, tmp_path: Path) -> None:
    room = Classroom(db)
    server = Server(db, tmp_path, SSOC_ACCESS_TTL="1")
    try:
        tutor = signed_in(device(tmp_path, "tutor"), server, room.tutor)
        before = tutor.store.get("sync.access")
        time.sleep(1.5)
        assert [c.id for c in tutor.my_classes()] == [room.id]
        assert tutor.store.get("sync.access") != before
    finally:
        server.stop()


def test_tutor_calls_offline_say_so(db: Database, server: Server, tmp_path: Path) -> None:
    room = Classroom(db)
    tutor = signed_in(device(tmp_path, "tutor"), server, room.tutor)
    server.stop()
    with pytest.raises(SyncError) as caught:
        tutor.class_assignments(room.id)
    assert caught.value.problem is Problem.OFFLINE
    with pytest.raises(SyncError) as caught:
        SyncClient(device(tmp_path, "new")).my_classes()
    assert caught.value.problem is Problem.NOT_SET_UP


def test_the_role_is_forgotten_at_sign_out_and_another_persons_assignments_go(
    db: Database, server: Server, tmp_path: Path
) -> None:
    room = Classroom(db)
    signed_in(device(tmp_path, "tutor"), server, room.tutor).assign(
        room.id, AssignmentIn(course_id="level1", unit_id="u01")
    )
    store: SqlStore = device(tmp_path, "shared")
    client = signed_in(store, server, room.learner)
    client.sync()
    assert store.get(ROLE_KEY) == "learner" and len(store.assignments()) == 1
    client.sign_out()
    assert store.get(ROLE_KEY) == "" and client.role == ""
    assert len(store.assignments()) == 1  # still hers on this device while signed out

    client.sign_in(server.url, room.learner, PASSWORD)  # she comes back: nothing is lost
    assert store.get(ROLE_KEY) == "learner" and len(store.assignments()) == 1

    # The last account on this device was someone else's (e.g. on another server).
    store.set(LEARNER_KEY, "someone-else")
    client.sign_in(server.url, room.learner, PASSWORD)
    assert store.assignments() == []  # another person's assignments go with her feed


def test_a_server_from_before_assignments_still_syncs_everything_else(
    db: Database, server: Server, tmp_path: Path
) -> None:
    room = Classroom(db)

    class BeforeAssignments(httpx.HTTPTransport):
        """The real server, as one released before assignments answers that path: 404."""

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/v1/me/assignments":
                return httpx.Response(404, json={"detail": "Not Found"})
            return super().handle_request(request)

    store = device(tmp_path, "learner")
    learner = signed_in(
        store,
        server,
        room.learner,
        http=lambda url: httpx.Client(base_url=url, transport=BeforeAssignments()),
    )
    store.record_result(UnitResult("r1", U01, 8, 10, T0, ()))
    report = learner.sync()
    assert report.pushed >= 1 and report.assignments == 0 and store.pending_count() == 0
    assert store.get(LAST_SYNCED_KEY)  # the sync finished
