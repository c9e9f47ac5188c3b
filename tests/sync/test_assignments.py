"""Tutor assignments against real server processes, on SQLite and on PostgreSQL: versions and
tombstones, who may see and change what, and progress computed from pushed unit results."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from typing import Any

import httpx

from sync.server.db import sessions
from sync.server.store import AccountError, add_member, create_class
from tests.sync.helpers import HEADERS, ROOT, Database, Server, auth, event, tokens

Json = Any


def _classes(db: Database, *names: str) -> list[str]:
    with sessions(db.engine).begin() as session:
        return [create_class(session, name).id for name in names]


def _members(db: Database, class_id: str, *people: tuple[str, str]) -> None:
    with sessions(db.engine).begin() as session:
        for username, role in people:
            add_member(session, class_id, username, role)


def _access(server: Server, username: str) -> str:
    return tokens(server, username, f"dev-{username}")["access_token"]


def _call(server: Server, access: str, method: str, path: str, **kwargs: Json) -> httpx.Response:
    return httpx.request(method, f"{server.url}{path}", headers=auth(access), **kwargs)


def _ok(response: httpx.Response, status: int = 200) -> Json:
    assert response.status_code == status, response.text
    return response.json()


def _error(response: httpx.Response, status: int, error: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error, body
    detail: str = body["detail"]
    return detail


def _unit_result(
    learner_id: str,
    device_id: str,
    seq: int,
    unit: str,
    correct: int,
    total: int,
    finished_at: str,
    course: str = "level1",
) -> dict[str, object]:
    wire = event(learner_id, device_id, seq)
    wire["type"] = "unit_result"
    wire["payload"] = {
        "id": f"r-{wire['id']}",
        "course_id": course,
        "unit_id": unit,
        "correct": correct,
        "total": total,
        "missed": [],
        "finished_at": finished_at,
    }
    return wire


def _when(assignment: Json) -> datetime:
    return datetime.fromisoformat(assignment["updated_at"])


def _push(server: Server, access: str, events: list[dict[str, object]]) -> None:
    body = _ok(_call(server, access, "POST", "/v1/events", json={"events": events}))
    assert len(body["acks"]) == len(events) and body["rejected"] == [], body


def test_a_tutor_creates_edits_and_deletes_and_learners_get_every_version_and_tombstone(
    db: Database, server: Server
) -> None:
    learner_a, _ = db.learner()
    learner_b, _ = db.learner()
    tutor, _ = db.learner(role="tutor")
    class_a, class_b = _classes(db, "Tuesday class", "Thursday class")
    _members(db, class_a, (learner_a, "learner"), (tutor, "tutor"))
    _members(db, class_b, (learner_b, "learner"))
    t, a, b = _access(server, tutor), _access(server, learner_a), _access(server, learner_b)
    path = f"/v1/classes/{class_a}/assignments"

    first = _ok(_call(server, t, "POST", path, json={"course_id": "level1", "unit_id": "u01"}), 201)
    assert first["version"] == 1 and first["deleted"] is False
    assert (first["class_id"], first["class_name"]) == (class_a, "Tuesday class")
    assert (first["due"], first["note"]) == (None, "")
    dated = {"course_id": "level1", "unit_id": "u02", "due": "2026-12-24", "note": "before Xmas"}
    second = _ok(_call(server, t, "POST", path, json=dated), 201)
    assert second["id"] != first["id"] and second["due"] == "2026-12-24"

    # Every change raises the version; sending the same content again changes nothing.
    edited_body = {**dated, "due": "2026-12-31", "note": "새해 전에"}
    edited = _ok(_call(server, t, "PUT", f"{path}/{second['id']}", json=edited_body))
    assert (edited["version"], edited["due"], edited["note"]) == (2, "2026-12-31", "새해 전에")
    assert _when(edited) >= _when(second)
    again = _ok(_call(server, t, "PUT", f"{path}/{second['id']}", json=edited_body))
    assert again == edited
    deleted = _ok(_call(server, t, "DELETE", f"{path}/{first['id']}"))
    assert (deleted["version"], deleted["deleted"], deleted["unit_id"]) == (2, True, "u01")
    assert _ok(_call(server, t, "DELETE", f"{path}/{first['id']}")) == deleted
    # The tutor's view leaves tombstones out.
    listed = _ok(_call(server, t, "GET", path))
    assert [s["assignment"]["id"] for s in listed] == [second["id"]]

    # The learner of the class gets both, the tombstone too, in (updated_at, id) order.
    mine = _ok(_call(server, a, "GET", "/v1/me/assignments"))["assignments"]
    assert mine == sorted([edited, deleted], key=lambda x: (_when(x), x["id"]))
    # A learner of another class sees nothing of it.
    assert _ok(_call(server, b, "GET", "/v1/me/assignments")) == {"assignments": []}
    # The tutor is no learner of it: her own list is empty too.
    assert _ok(_call(server, t, "GET", "/v1/me/assignments")) == {"assignments": []}

    # Putting a tombstone back brings it back, with a higher version.
    back = _ok(_call(server, t, "PUT", f"{path}/{first['id']}", json={**dated, "unit_id": "u03"}))
    assert (back["version"], back["deleted"], back["unit_id"]) == (3, False, "u03")
    versions = {
        x["id"]: x["version"]
        for x in _ok(_call(server, a, "GET", "/v1/me/assignments"))["assignments"]
    }
    assert versions == {first["id"]: 3, second["id"]: 2}

    # The tutor's account can go; the class keeps its assignments.
    assert _call(server, t, "DELETE", "/v1/me").status_code == 200
    still = _ok(_call(server, a, "GET", "/v1/me/assignments"))["assignments"]
    assert {x["id"] for x in still} == {first["id"], second["id"]}


def test_only_tutors_of_the_class_and_admins_manage_its_assignments(
    db: Database, server: Server
) -> None:
    learner, _ = db.learner()
    tutor_a, _ = db.learner(role="tutor")
    tutor_b, _ = db.learner(role="tutor")
    admin, _ = db.learner(role="admin")
    class_a, class_b = _classes(db, "A", "B")
    _members(db, class_a, (learner, "learner"), (tutor_a, "tutor"))
    _members(db, class_b, (tutor_b, "tutor"))
    la, ta, tb = _access(server, learner), _access(server, tutor_a), _access(server, tutor_b)
    body = {"course_id": "level1", "unit_id": "u01"}
    in_a = _ok(_call(server, ta, "POST", f"/v1/classes/{class_a}/assignments", json=body), 201)
    in_b = _ok(_call(server, tb, "POST", f"/v1/classes/{class_b}/assignments", json=body), 201)

    # A learner of the class may not assign, change, remove or list the tutor's view.
    for method, path, payload in [
        ("POST", f"/v1/classes/{class_a}/assignments", body),
        ("PUT", f"/v1/classes/{class_a}/assignments/{in_a['id']}", body),
        ("DELETE", f"/v1/classes/{class_a}/assignments/{in_a['id']}", None),
        ("GET", f"/v1/classes/{class_a}/assignments", None),
    ]:
        detail = _error(_call(server, la, method, path, json=payload), 403, "forbidden")
        assert "not a tutor" in detail
        # Nor may the tutor of class B touch class A.
        _error(_call(server, tb, method, path, json=payload), 403, "forbidden")
    # Class A's URL with an assignment of class B: not found, and B's assignment is unchanged.
    wrong = f"/v1/classes/{class_a}/assignments/{in_b['id']}"
    _error(_call(server, ta, "PUT", wrong, json={**body, "note": "x"}), 404, "not_found")
    _error(_call(server, ta, "DELETE", wrong), 404, "not_found")
    [status_b] = _ok(_call(server, tb, "GET", f"/v1/classes/{class_b}/assignments"))
    assert status_b["assignment"] == in_b
    # Unknown classes and assignments.
    detail = _error(
        _call(server, ta, "POST", "/v1/classes/nope/assignments", json=body), 404, "not_found"
    )
    assert "no class 'nope'" in detail
    _error(_call(server, ta, "GET", "/v1/classes/nope/assignments"), 404, "not_found")
    missing = f"/v1/classes/{class_a}/assignments/00000000-0000-4000-8000-000000000000"
    _error(_call(server, ta, "PUT", missing, json=body), 404, "not_found")
    _error(_call(server, ta, "DELETE", missing), 404, "not_found")
    # No token, no access.
    anonymous = httpx.get(f"{server.url}/v1/classes/{class_a}/assignments", headers=HEADERS)
    assert anonymous.status_code == 401
    # An admin manages every class.
    ad = _access(server, admin)
    made = _ok(_call(server, ad, "POST", f"/v1/classes/{class_b}/assignments", json=body), 201)
    _ok(_call(server, ad, "DELETE", f"/v1/classes/{class_b}/assignments/{made['id']}"))
    assert len(_ok(_call(server, ad, "GET", f"/v1/classes/{class_a}/assignments"))) == 1


def test_invalid_assignments_are_refused_naming_the_field(db: Database, server: Server) -> None:
    tutor, _ = db.learner(role="tutor")
    (class_a,) = _classes(db, "A")
    _members(db, class_a, (tutor, "tutor"))
    t = _access(server, tutor)
    path = f"/v1/classes/{class_a}/assignments"
    good = {"course_id": "level1", "unit_id": "u01"}
    created = _ok(_call(server, t, "POST", path, json=good), 201)
    for wrong, field in [
        ({**good, "course_id": "Level 1"}, "body.course_id"),
        ({**good, "course_id": "c" * 65}, "body.course_id"),
        ({**good, "unit_id": ""}, "body.unit_id"),
        ({"course_id": "level1"}, "body.unit_id"),
        ({**good, "due": "2026-13-40"}, "body.due"),
        ({**good, "due": "next week"}, "body.due"),
        ({**good, "note": "x" * 501}, "body.note"),
        ({**good, "class_id": "other"}, "body.class_id"),
    ]:
        for method, target in [("POST", path), ("PUT", f"{path}/{created['id']}")]:
            response = _call(server, t, method, target, json=wrong)
            detail = _error(response, 422, "invalid_request")
            assert detail.startswith(f"{field}: "), (wrong, detail)
    # Nothing was stored or changed by the refused requests.
    [only] = _ok(_call(server, t, "GET", path))
    assert only["assignment"] == created


def test_tutors_see_progress_from_the_unit_results_learners_pushed(
    db: Database, server: Server
) -> None:
    amy, amy_id = db.learner("amy")
    bob, bob_id = db.learner("bob")
    cho, _ = db.learner("cho")
    dan, dan_id = db.learner("dan")  # in another class
    tutor, _ = db.learner("teacher", role="tutor")
    class_a, class_b = _classes(db, "A", "B")
    _members(db, class_a, (cho, "learner"), (amy, "learner"), (bob, "learner"), (tutor, "tutor"))
    _members(db, class_b, (dan, "learner"))
    t = _access(server, tutor)
    path = f"/v1/classes/{class_a}/assignments"

    def assign(unit: str, due: str | None = None) -> str:
        made = _ok(
            _call(
                server, t, "POST", path, json={"course_id": "level1", "unit_id": unit, "due": due}
            ),
            201,
        )
        assert isinstance(made["id"], str)
        return made["id"]

    u01, u02, u03 = assign("u01", "2026-12-10"), assign("u02"), assign("u03", "2026-12-05")
    gone = assign("u04", "2026-12-01")
    _ok(_call(server, t, "DELETE", f"{path}/{gone}"))
    a, b, d = _access(server, amy), _access(server, bob), _access(server, dan)
    _push(
        server,
        a,
        [
            _unit_result(amy_id, f"dev-{amy}", 1, "u01", 5, 10, "2026-12-02T10:00:00+00:00"),
            _unit_result(amy_id, f"dev-{amy}", 2, "u01", 9, 10, "2026-12-03T10:00:00+00:00"),
            # Finished first, sent last (from an offline phone): the first finish counts.
            _unit_result(amy_id, f"dev-{amy}", 3, "u01", 8, 10, "2026-12-01T09:30:00+09:00"),
            _unit_result(amy_id, f"dev-{amy}", 4, "u04", 4, 4, "2026-12-01T10:00:00+00:00"),
        ],
    )
    _push(
        server,
        b,
        [
            _unit_result(bob_id, f"dev-{bob}", 1, "u02", 3, 4, "2026-12-04T08:00:00+00:00"),
            _unit_result(bob_id, f"dev-{bob}", 2, "u02", 6, 8, "2026-12-05T08:00:00+00:00"),
            _unit_result(bob_id, f"dev-{bob}", 3, "u02", 2, 8, "2026-12-06T08:00:00+00:00"),
            # The same unit id in another course is another unit.
            _unit_result(
                bob_id, f"dev-{bob}", 4, "u01", 10, 10, "2026-12-04T08:00:00+00:00", "level2"
            ),
            event(bob_id, f"dev-{bob}", 5),  # an answer in level1 u01 is not a finished unit
        ],
    )
    # A learner of another class finishing u01 is not in class A's report.
    _push(server, d, [_unit_result(dan_id, f"dev-{dan}", 1, "u01", 1, 1, "2026-12-02T00:00:00Z")])

    report = _ok(_call(server, t, "GET", path))
    # By due date, undated last; the deleted one is left out.
    assert [s["assignment"]["id"] for s in report] == [u03, u01, u02]
    progress = {
        s["assignment"]["unit_id"]: [
            (p["username"], p["done"], p["best_correct"], p["best_total"], p["finished_at"])
            for p in s["learners"]
        ]
        for s in report
    }
    nothing = (False, None, None, None)
    assert progress == {
        "u03": [("amy", *nothing), ("bob", *nothing), ("cho", *nothing)],
        "u01": [
            ("amy", True, 9, 10, "2026-12-01T00:30:00Z"),
            ("bob", *nothing),
            ("cho", *nothing),
        ],
        "u02": [
            ("amy", *nothing),
            ("bob", True, 6, 8, "2026-12-04T08:00:00Z"),  # 6/8 = 3/4 with more questions
            ("cho", *nothing),
        ],
    }
    assert [p["learner_id"] for p in report[1]["learners"]][:2] == [amy_id, bob_id]
    # The learners' own view is the plain list, without anybody's progress.
    assert {
        x["unit_id"] for x in _ok(_call(server, a, "GET", "/v1/me/assignments"))["assignments"]
    } == {
        "u01",
        "u02",
        "u03",
        "u04",
    }


def test_a_unit_result_with_odd_ids_cannot_break_the_tutors_report(
    db: Database, server: Server
) -> None:
    amy, amy_id = db.learner()
    tutor, _ = db.learner(role="tutor")
    [class_a] = _classes(db, "A")
    _members(db, class_a, (amy, "learner"), (tutor, "tutor"))
    t = _access(server, tutor)
    path = f"/v1/classes/{class_a}/assignments"
    _ok(_call(server, t, "POST", path, json={"course_id": "level1", "unit_id": "u01"}), 201)
    odd = _unit_result(amy_id, f"dev-{amy}", 1, "u01", 1, 1, "2026-12-02T00:00:00Z")
    odd["payload"]["unit_id"] = ["u01"]  # type: ignore[index]
    fine = _unit_result(amy_id, f"dev-{amy}", 2, "u01", 3, 4, "2026-12-03T00:00:00Z")
    _push(server, _access(server, amy), [odd, fine])
    [status] = _ok(_call(server, t, "GET", path))
    [mine] = status["learners"]
    assert (mine["done"], mine["best_correct"], mine["best_total"]) == (True, 3, 4)


def test_an_assignment_sent_again_with_its_id_is_made_once(db: Database, server: Server) -> None:
    learner, _ = db.learner()
    tutor, _ = db.learner(role="tutor")
    class_a, class_b = _classes(db, "A", "B")
    _members(db, class_a, (learner, "learner"), (tutor, "tutor"))
    _members(db, class_b, (tutor, "tutor"))
    t = _access(server, tutor)
    path = f"/v1/classes/{class_a}/assignments"
    body = {
        "course_id": "level1",
        "unit_id": "u02",
        "due": "2026-12-24",
        "id": "0b7e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
    }
    first = _ok(_call(server, t, "POST", path, json=body), 201)
    again = _ok(_call(server, t, "POST", path, json=body), 201)  # the answer was lost: again
    assert first == again and first["id"] == body["id"] and first["version"] == 1
    listed = _ok(_call(server, _access(server, learner), "GET", "/v1/me/assignments"))
    assert [a["id"] for a in listed["assignments"]] == [body["id"]]
    other = {**body, "note": "something else"}
    detail = _error(_call(server, t, "POST", path, json=other), 409, "id_taken")
    assert body["id"] in detail
    elsewhere = f"/v1/classes/{class_b}/assignments"
    _error(_call(server, t, "POST", elsewhere, json=body), 409, "id_taken")
    _error(
        _call(server, t, "POST", path, json={**body, "id": "not-a-uuid"}), 422, "invalid_request"
    )


def test_only_tutor_accounts_tutor_a_class(db: Database) -> None:
    learner, _ = db.learner()
    [class_a] = _classes(db, "A")
    try:
        _members(db, class_a, (learner, "tutor"))
    except AccountError as exc:
        assert "only tutor accounts tutor a class" in str(exc)
    else:
        raise AssertionError("a learner account was made a class's tutor")


def test_my_classes_for_tutors_learners_and_admins(db: Database, server: Server) -> None:
    learner, _ = db.learner()
    tutor, _ = db.learner(role="tutor")
    admin, _ = db.learner(role="admin")
    loner, _ = db.learner()
    class_a, class_b, class_c = _classes(db, "Beta", "Alpha", "Gamma")
    _members(db, class_a, (learner, "learner"), (tutor, "tutor"))
    _members(db, class_b, (tutor, "learner"))  # a tutor may also learn in another class

    def classes(username: str) -> list[tuple[str, str, str]]:
        found = _ok(_call(server, _access(server, username), "GET", "/v1/me/classes"))
        return [(c["id"], c["name"], c["role"]) for c in found]

    assert classes(learner) == [(class_a, "Beta", "learner")]
    assert classes(tutor) == [(class_b, "Alpha", "learner"), (class_a, "Beta", "tutor")]
    assert classes(admin) == [
        (class_b, "Alpha", "tutor"),
        (class_a, "Beta", "tutor"),
        (class_c, "Gamma", "tutor"),
    ]
    assert classes(loner) == []


def test_the_admin_cli_assigns_a_unit(db: Database, server: Server) -> None:
    learner, _ = db.learner()
    (class_a,) = _classes(db, "A")
    _members(db, class_a, (learner, "learner"))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sync.server", "assign", *args],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": db.url},
            capture_output=True,
            text=True,
            timeout=60,
        )

    done = cli("--class", class_a, "--course", "level1", "--unit", "u02", "--due", "2026-12-24")
    assert done.returncode == 0, done.stderr
    [mine] = _ok(_call(server, _access(server, learner), "GET", "/v1/me/assignments"))[
        "assignments"
    ]
    assert mine["id"] == done.stdout.strip()
    assert (mine["unit_id"], mine["due"], mine["version"]) == ("u02", "2026-12-24", 1)
    unknown = cli("--class", "nope", "--course", "level1", "--unit", "u02")
    assert unknown.returncode == 1 and "no class 'nope'" in unknown.stderr
    invalid = cli("--class", class_a, "--course", "Level 1", "--unit", "u02")
    assert invalid.returncode == 1 and "course_id" in invalid.stderr
    bad_date = cli("--class", class_a, "--course", "level1", "--unit", "u02", "--due", "24.12.")
    assert bad_date.returncode == 2 and "--due" in bad_date.stderr


def test_the_progress_report_takes_the_same_few_queries_for_any_class_size(db: Database) -> None:
    from sqlalchemy import event as sa_event

    from sync.protocol import AssignmentIn
    from sync.server.assignments import class_status, create_assignment
    from sync.server.models import SchoolClass

    def statements(learners: int, units: int) -> int:
        names = [db.learner()[0] for _ in range(learners)]
        with sessions(db.engine).begin() as session:
            school_class = create_class(session, f"{learners}x{units}")
            for name in names:
                add_member(session, school_class.id, name, "learner")
            for n in range(units):
                body = AssignmentIn(course_id="level1", unit_id=f"u{n:02d}")
                create_assignment(session, school_class, body, None)
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        with sessions(db.engine).begin() as session:
            found = session.get(SchoolClass, school_class.id)
            assert found is not None
            sa_event.listen(db.engine, "before_cursor_execute", count)
            try:
                report = class_status(session, found)
            finally:
                sa_event.remove(db.engine, "before_cursor_execute", count)
        assert len(report) == units and all(len(s.learners) == learners for s in report)
        return len(seen)

    assert statements(1, 1) == statements(12, 9) == 3
