"""The push/pull protocol against real server processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from sync.client import Problem, SyncClient, SyncError
from tests.sync.helpers import (
    HEADERS,
    Database,
    Server,
    auth,
    database,
    device,
    event,
    signed_in,
    tokens,
)


def push(server: Server, access: str, events: list[dict[str, object]]) -> dict[str, object]:
    response = httpx.post(
        f"{server.url}/v1/events", headers=auth(access), json={"events": events}, timeout=300
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def pull_all(server: Server, access: str, limit: int = 100) -> list[dict[str, object]]:
    seen: list[dict[str, object]] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = httpx.get(f"{server.url}/v1/events", headers=auth(access), params=params).json()
        seen += page["events"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return seen


def test_a_lost_push_response_is_retried_without_duplicates(
    db: Database, server: Server, tmp_path: Path
) -> None:
    """(1) The server commits, the response never arrives; the retry changes nothing."""
    name, _ = db.learner()
    store = device(tmp_path, "phone")
    lost: list[str] = []

    class LoseFirstPushResponse(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            if request.method == "POST" and request.url.path == "/v1/events" and not lost:
                response.read()  # the server has answered: it committed
                lost.append(request.url.path)
                raise httpx.ReadError("connection reset", request=request)
            return response

    client = signed_in(
        store,
        server,
        name,
        http=lambda url: httpx.Client(base_url=url, transport=LoseFirstPushResponse()),
    )
    for n in range(30):
        store.record_attempt(_attempt(n))
    with pytest.raises(SyncError) as failed:
        client.sync()
    assert failed.value.problem is Problem.OFFLINE
    assert db.count() == 30 and store.pending_count() == 30  # stored there, still queued here
    client.sync()
    assert db.count() == 30 and store.pending_count() == 0


def test_resending_a_batch_returns_the_same_acks(db: Database, server: Server) -> None:
    name, learner = db.learner()
    access = tokens(server, name, "dev-a")["access_token"]
    batch = [event(learner, "dev-a", n) for n in range(1, 51)]
    first = push(server, access, batch)
    again = push(server, access, batch)
    assert first == again == {"acks": [e["id"] for e in batch], "rejected": []}
    assert db.count() == 50


def test_an_id_used_by_another_event_is_refused_and_the_rest_of_the_batch_stored(
    db: Database, server: Server
) -> None:
    name, learner = db.learner()
    access = tokens(server, name, "dev-a")["access_token"]
    stored = event(learner, "dev-a", 1)
    assert push(server, access, [stored])["acks"] == [stored["id"]]
    changed = {**stored, "device_seq": 99}
    assert push(server, access, [changed]) == {
        "acks": [],
        "rejected": [{"id": stored["id"], "reason": "id already used by another event"}],
    }
    # A batch mixing: the same event again, the same id twice with different content, an
    # event with another learner's event id, and two new events.
    twin = event(learner, "dev-a", 2)
    twin_changed = {**twin, "hlc": "0"}
    new_a, new_b = event(learner, "dev-a", 3), event(learner, "dev-a", 4)
    other_name, other = db.learner()
    other_access = tokens(server, other_name, "dev-b")["access_token"]
    theirs = event(other, "dev-b", 1)
    assert push(server, other_access, [theirs])["acks"] == [theirs["id"]]
    mine_with_their_id = {**event(learner, "dev-a", 5), "id": theirs["id"]}
    body = push(server, access, [new_a, stored, twin, twin_changed, mine_with_their_id, new_b])
    assert body["acks"] == [new_a["id"], stored["id"], twin["id"], new_b["id"]]
    assert sorted((r["id"], r["reason"]) for r in body["rejected"]) == sorted(  # type: ignore[union-attr, index]
        [
            (twin["id"], "id sent twice with different content"),
            (theirs["id"], "id already used by another event"),
        ]
    )
    mine = pull_all(server, access)
    assert [e["id"] for e in mine] == [stored["id"], new_a["id"], twin["id"], new_b["id"]]
    assert [e["seq"] for e in mine] == [1, 2, 3, 4]  # no gaps: refused events took no number
    assert mine[2]["hlc"] == twin["hlc"] and db.count() == 5


def test_an_id_taken_by_another_learner_while_a_push_waits_leaves_no_gap(
    tmp_path: Path,
) -> None:
    """PostgreSQL only (SQLite writes one transaction at a time): another learner's uncommitted
    event holds an id of this batch; the push waits for it, then refuses that id and numbers
    the rest without a gap."""
    with database("postgresql", tmp_path) as db:
        server = Server(db, tmp_path)
        try:
            name, learner = db.learner()
            _, other = db.learner()
            access = tokens(server, name, "dev-a")["access_token"]
            push(server, access, [event(learner, "dev-a", 1)])  # seq 1
            batch = [event(learner, "dev-a", n) for n in range(2, 6)]
            contested = batch[1]["id"]
            with db.engine.connect() as rival:  # a transaction of another learner's push
                rival.execute(
                    text(
                        "INSERT INTO events (id, feed, seq, learner_id, device_id, device_seq,"
                        " hlc, type, payload, received_at) VALUES (:id, :feed, 1, :learner,"
                        " 'dev-b', 1, '0', 'attempt', '{}', now())"
                    ),
                    {"id": contested, "feed": f"learner:{other}", "learner": other},
                )
                with ThreadPoolExecutor(1) as pool:
                    answer = pool.submit(push, server, access, batch)
                    time.sleep(1.5)  # the push is now waiting on the rival's row
                    assert not answer.done()
                    rival.commit()
                    body = answer.result(timeout=60)
            assert body["acks"] == [e["id"] for e in batch if e["id"] != contested]
            assert body["rejected"] == [
                {"id": contested, "reason": "id already used by another event"}
            ]
            mine = pull_all(server, access)
            assert [e["seq"] for e in mine] == [1, 2, 3, 4]
            assert [e["id"] for e in mine[1:]] == body["acks"]
            again = push(server, access, [event(learner, "dev-a", 6)])
            assert [e["seq"] for e in pull_all(server, access)][-1] == 5 and again["acks"]
        finally:
            server.stop()


def test_a_push_after_postgresql_dropped_the_servers_connections_goes_through(
    tmp_path: Path,
) -> None:
    with database("postgresql", tmp_path) as db:
        server = Server(db, tmp_path)
        try:
            name, learner = db.learner()
            access = tokens(server, name, "dev-a")["access_token"]
            push(server, access, [event(learner, "dev-a", 1)])
            with db.engine.connect() as admin:  # what a PostgreSQL restart does to the pool
                dropped = admin.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE pid <> pg_backend_pid() AND query LIKE '%ssoc_push(%'"
                    )
                ).scalar_one()
            assert dropped >= 1
            body = push(server, access, [event(learner, "dev-a", 2)])
            assert len(body["acks"]) == 1 and db.count() == 2
        finally:
            server.stop()


def test_replayed_out_of_order_and_concurrently_on_two_servers_stores_each_once(
    tmp_path: Path,
) -> None:
    """(2) Two server processes sharing one PostgreSQL; the same batch sent many ways at once."""
    from tests.sync.helpers import database

    with database("postgresql", tmp_path) as shared:
        a, b = Server(shared, tmp_path), Server(shared, tmp_path)
        try:
            name, learner = shared.learner()
            access = tokens(a, name, "dev-a")["access_token"]
            batch = [event(learner, "dev-a", n) for n in range(1, 301)]
            variants = [batch, batch[::-1], random.sample(batch, len(batch)), batch]
            with ThreadPoolExecutor(8) as pool:
                results = list(
                    pool.map(
                        lambda job: push(job[0], access, job[1]),
                        [(srv, v) for v in variants for srv in (a, b)],
                    )
                )
            for result in results:
                assert sorted(result["acks"]) == sorted(e["id"] for e in batch)  # type: ignore[arg-type]
                assert result["rejected"] == []
            assert shared.count() == 300
            seqs = [e["seq"] for e in pull_all(a, access)]
            assert seqs == list(range(1, 301))  # each stored once, numbered without gaps
        finally:
            a.stop()
            b.stop()


def test_a_puller_sees_every_event_of_50_concurrent_pushers(db: Database, server: Server) -> None:
    """(4) Sequence numbers are allocated inside the writing transaction: a row that commits
    late is never skipped by a reader that already moved past a later one."""
    name, learner = db.learner()
    devices = [tokens(server, name, f"dev-{i}")["access_token"] for i in range(50)]
    reader = tokens(server, name, "reader")["access_token"]
    sent: list[str] = []
    done = threading.Event()
    seen: list[str] = []

    def pusher(index: int) -> None:
        for round_ in range(4):
            batch = [event(learner, f"dev-{index}", round_ * 10 + n + 1) for n in range(10)]
            push(server, devices[index], batch)
            sent.extend(e["id"] for e in batch)  # type: ignore[misc]

    def puller() -> None:
        cursor = None
        while True:
            finished = done.is_set()
            params: dict[str, object] = {"limit": 37}
            if cursor:
                params["cursor"] = cursor
            page = httpx.get(
                f"{server.url}/v1/events", headers=auth(reader), params=params, timeout=300
            ).json()
            seen.extend(e["id"] for e in page["events"])
            cursor = page["cursor"]
            if finished and not page["has_more"]:
                return

    watcher = threading.Thread(target=puller)
    watcher.start()
    with ThreadPoolExecutor(50) as pool:
        list(pool.map(pusher, range(50)))
    done.set()
    watcher.join(120)
    assert len(sent) == 2000
    assert sorted(seen) == sorted(sent)  # every event, none twice


def test_an_old_client_is_told_to_upgrade_and_keeps_its_outbox(
    db: Database, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(10) An explicit 'upgrade required'; nothing queued on the device is lost."""
    name, _ = db.learner()
    store = device(tmp_path, "phone")
    client = signed_in(store, server, name)
    store.record_attempt(_attempt(1))
    response = httpx.get(f"{server.url}/v1/events", headers={"X-SSOC-Protocol": "0"})
    assert response.status_code == 426
    assert response.json()["error"] == "upgrade_required"
    monkeypatch.setattr("sync.client.PROTOCOL_VERSION", 0)  # this app is now the old one
    with pytest.raises(SyncError) as failed:
        client.sync()
    assert failed.value.problem is Problem.UPGRADE_REQUIRED
    assert "update the app" in failed.value.detail
    assert store.pending_count() == 1 and db.count() == 0


def test_bad_requests_get_clear_4xx_errors(db: Database, server: Server) -> None:
    name, learner = db.learner()
    access = tokens(server, name, "dev-a")["access_token"]
    too_many = [event(learner, "dev-a", n) for n in range(1, 502)]
    response = httpx.post(
        f"{server.url}/v1/events", headers=auth(access), json={"events": too_many}
    )
    assert response.status_code == 422 and "events" in response.json()["detail"]
    huge = httpx.post(
        f"{server.url}/v1/events",
        headers={**auth(access), "content-type": "application/json"},
        content=b"{" + b" " * (3 * 1024 * 1024) + b"}",
    )
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"
    malformed = event(learner, "dev-a", 1)
    malformed["payload"] = {"id": "x"}
    body = push(server, access, [malformed])
    assert body["acks"] == []
    assert body["rejected"] == [
        {
            "id": malformed["id"],
            "reason": "payload lacks course_id, unit_id, exercise_id, correct, answered_at",
        }
    ]
    unsigned = httpx.get(f"{server.url}/v1/events", headers=HEADERS)
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "unauthenticated"


def test_the_push_endpoint_is_documented_with_its_body_and_answers_errors_the_same_way(
    db: Database, server: Server
) -> None:
    spec = httpx.get(f"{server.url}/openapi.json").json()
    post = spec["paths"]["/v1/events"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    event_schema = body["properties"]["events"]["items"]
    assert body["properties"]["events"]["maxItems"] == 500
    assert {"id", "learner_id", "device_id", "device_seq", "hlc", "type", "payload"} <= set(
        event_schema["properties"]
    )
    assert "PushResponse" in str(post["responses"]["200"])
    # Refusals have the {error, detail} shape of every other endpoint, in the same order of
    # checks: the protocol header, then the token, then the body.
    name, _ = db.learner()
    access = tokens(server, name, "dev-a")["access_token"]
    url = f"{server.url}/v1/events"
    old = httpx.post(url, headers={"Authorization": f"Bearer {access}"}, content=b"{")
    assert old.status_code == 426 and old.json()["error"] == "upgrade_required"
    assert old.headers["Upgrade"] == "ssoc/1"
    unsigned = httpx.post(url, headers=HEADERS, content=b"{")
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "unauthenticated"
    broken = httpx.post(url, headers=auth(access), content=b'{"events": [{"id": 1}]}')
    assert broken.status_code == 422 and broken.json()["error"] == "invalid_request"
    assert broken.json()["detail"].startswith("body.events.0.id: ")
    not_json = httpx.post(url, headers=auth(access), content=b"events")
    assert not_json.status_code == 422 and not_json.json()["detail"].startswith("body: ")
    assert "JSON" in not_json.json()["detail"]
    # Located like another endpoint's 422 (FastAPI's own validation).
    enrol = httpx.post(f"{server.url}/v1/devices", headers=HEADERS, json={"username": 1})
    assert enrol.status_code == 422 and enrol.json()["detail"].startswith("body.username: ")


def test_a_device_over_its_rate_gets_429_with_retry_after(db: Database, tmp_path: Path) -> None:
    limited = Server(db, tmp_path, SSOC_RATE_PER_MINUTE="5")
    try:
        name, _ = db.learner()
        access = tokens(limited, name, "dev-a")["access_token"]
        # Windows are whole minutes: at most one boundary falls inside this burst, so a 429
        # comes by the 11th request at the latest.
        codes = []
        while 429 not in codes and len(codes) < 11:
            codes.append(httpx.get(f"{limited.url}/v1/events", headers=auth(access)).status_code)
        assert codes[:5] == [200] * 5 and codes[-1] == 429
        refused = httpx.get(f"{limited.url}/v1/events", headers=auth(access))
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        # Pushes count against the same limit (on PostgreSQL inside the push's one statement).
        enrolled = tokens(limited, name, "dev-c")  # another device: its own count
        learner, other = enrolled["learner_id"], enrolled["access_token"]
        answers = []
        while 429 not in answers and len(answers) < 11:
            body = {"events": [event(learner, "dev-c", len(answers) + 1)]}
            answers.append(
                httpx.post(f"{limited.url}/v1/events", headers=auth(other), json=body).status_code
            )
        assert answers[:5] == [200] * 5 and answers[-1] == 429
        pushed = httpx.post(f"{limited.url}/v1/events", headers=auth(other), json={"events": []})
        assert pushed.status_code == 429 and pushed.json()["error"] == "rate_limited"
        assert int(pushed.headers["Retry-After"]) >= 1
    finally:
        limited.stop()


def _attempt(n: int):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from app.domain.session import Attempt
    from tests.domain.factories import REF

    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC) + timedelta(seconds=n)
    return Attempt(f"a{n}", REF, f"e{n % 17 + 1:02d}", "0", True, at, True)


_ = SyncClient
