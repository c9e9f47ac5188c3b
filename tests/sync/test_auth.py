"""Who may read and write what (7): scopes are derived on the server, never trusted."""

from __future__ import annotations

import httpx

from sync.server.db import sessions
from sync.server.store import add_member, create_class
from tests.sync.helpers import HEADERS, PASSWORD, Database, Server, auth, event, tokens


def test_tutors_read_only_their_classes_and_nobody_forges_scope_or_cursor(
    db: Database, server: Server
) -> None:
    learner_a, id_a = db.learner()
    learner_b, id_b = db.learner()
    tutor_a, _ = db.learner(role="tutor")
    with sessions(db.engine).begin() as session:
        class_a, class_b = create_class(session, "A").id, create_class(session, "B").id
        add_member(session, class_a, learner_a, "learner")
        add_member(session, class_b, learner_b, "learner")
        add_member(session, class_a, tutor_a, "tutor")
    a = tokens(server, learner_a, "dev-a")["access_token"]
    b = tokens(server, learner_b, "dev-b")["access_token"]
    tutor = tokens(server, tutor_a, "dev-t")["access_token"]
    httpx.post(
        f"{server.url}/v1/events", headers=auth(a), json={"events": [event(id_a, "dev-a", 1)]}
    )
    httpx.post(
        f"{server.url}/v1/events", headers=auth(b), json={"events": [event(id_b, "dev-b", 1)]}
    )

    def pull(access: str, **params: str) -> httpx.Response:
        return httpx.get(f"{server.url}/v1/events", headers=auth(access), params=params)

    # The tutor of A reads A's learner, lists class A, and nothing of class B.
    assert len(pull(tutor, scope=f"learner:{id_a}").json()["events"]) == 1
    listed = httpx.get(f"{server.url}/v1/classes/{class_a}/learners", headers=auth(tutor))
    assert [row["learner_id"] for row in listed.json()] == [id_a]
    assert pull(tutor, scope=f"learner:{id_b}").status_code == 403
    forbidden = httpx.get(f"{server.url}/v1/classes/{class_b}/learners", headers=auth(tutor))
    assert forbidden.status_code == 403
    # A learner reads only herself.
    assert pull(a, scope=f"learner:{id_b}").status_code == 403
    # A cursor is bound to its feed and signed: moving or editing it is refused.
    cursor_a = pull(tutor, scope=f"learner:{id_a}").json()["cursor"]
    moved = pull(tutor, scope=f"learner:{id_b}", cursor=cursor_a)
    assert moved.status_code == 403  # the scope is checked before the cursor
    own_cursor = pull(b).json()["cursor"]
    replayed = pull(a, cursor=own_cursor)  # b's cursor used on a's feed
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_cursor"
    body, _, mac = cursor_a.partition(".")
    tampered = pull(tutor, scope=f"learner:{id_a}", cursor=body[:-2] + "xx." + mac)
    assert tampered.status_code == 400 and tampered.json()["error"] == "invalid_cursor"
    assert pull(tutor, scope="class:anything").status_code == 400


def test_a_learner_cannot_push_for_someone_else_or_another_device(
    db: Database, server: Server
) -> None:
    learner_a, id_a = db.learner()
    _, id_b = db.learner()
    a = tokens(server, learner_a, "dev-a")["access_token"]
    batch = [event(id_b, "dev-a", 1), event(id_a, "dev-z", 2), event(id_a, "dev-a", 3)]
    body = httpx.post(f"{server.url}/v1/events", headers=auth(a), json={"events": batch}).json()
    assert body["acks"] == [batch[2]["id"]]
    assert body["rejected"] == [
        {"id": batch[0]["id"], "reason": "learner_id is not the signed-in learner"},
        {"id": batch[1]["id"], "reason": "device_id is not this device"},
    ]
    assert db.count() == 1


def test_a_revoked_device_gets_401_and_its_refresh_token_dies(db: Database, server: Server) -> None:
    learner, _ = db.learner()
    issued = tokens(server, learner, "dev-a")
    other = tokens(server, learner, "dev-b")
    revoke = httpx.post(
        f"{server.url}/v1/devices/revoke",
        headers=auth(other["access_token"]),
        params={"device_id": "dev-a"},
    )
    assert revoke.status_code == 200
    response = httpx.get(f"{server.url}/v1/events", headers=auth(issued["access_token"]))
    assert response.status_code == 401 and response.json()["error"] == "device_revoked"
    learner_id = issued["learner_id"]
    pushed = httpx.post(
        f"{server.url}/v1/events",
        headers=auth(issued["access_token"]),
        json={"events": [event(learner_id, "dev-a", 1)]},
    )
    assert pushed.status_code == 401 and pushed.json()["error"] == "device_revoked"
    assert db.count() == 0
    refreshed = httpx.post(
        f"{server.url}/v1/devices/refresh",
        headers=HEADERS,
        json={"refresh_token": issued["refresh_token"]},
    )
    assert refreshed.status_code == 401
    wrong = httpx.post(
        f"{server.url}/v1/devices",
        headers=HEADERS,
        json={"username": learner, "password": PASSWORD + "x", "device_id": "dev-c"},
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "bad_credentials"


def test_export_and_delete_my_data(db: Database, server: Server) -> None:
    learner, learner_id = db.learner()
    access = tokens(server, learner, "dev-a")["access_token"]
    httpx.post(
        f"{server.url}/v1/events",
        headers=auth(access),
        json={"events": [event(learner_id, "dev-a", 1)]},
    )
    exported = httpx.get(f"{server.url}/v1/me/export", headers=auth(access)).json()
    assert exported["account"]["username"] == learner
    assert len(exported["events"]) == 1 and exported["devices"][0]["id"] == "dev-a"
    deleted = httpx.delete(f"{server.url}/v1/me", headers=auth(access))
    assert deleted.json() == {"events_deleted": 1}
    assert db.count() == 0
    gone = httpx.get(f"{server.url}/v1/events", headers=auth(access))
    assert gone.status_code == 401
