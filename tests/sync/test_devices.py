"""Real app stores syncing through a real server: convergence, crashes, a large backlog."""

from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.domain.session import Attempt
from app.domain.srs import ReviewLogEntry
from app.store.repository import SqlStore
from sync.client import SyncClient
from tests.domain.factories import REF
from tests.sync.helpers import ROOT, Database, Server, device, signed_in

CARDS = [f"level1/u01/v{n:02d}:recognize" for n in range(1, 9)]


class SkewedClock:
    """A device clock: the simulated 'real' time plus this device's error."""

    def __init__(self, world: list[datetime], skew: timedelta) -> None:
        self.world = world
        self.skew = skew

    def __call__(self) -> datetime:
        return self.world[0] + self.skew


def review(store: SqlStore, clock: SkewedClock, card: str, rating: int, name: str) -> None:
    store.record_review(
        ReviewLogEntry(f"{name}-{card}-{clock()}", card, rating, clock(), store.device_id(), 4000)
    )


@pytest.mark.parametrize("first", ["phone", "laptop"])
def test_two_devices_offline_for_a_week_with_skewed_clocks_converge(
    db: Database, server: Server, tmp_path: Path, first: str
) -> None:
    """(5) A week offline, clocks 2 h fast and 2 h slow, the same cards reviewed on both;
    synced in either order: the same card states everywhere and both logs in full."""
    name, _ = db.learner()
    world = [datetime(2026, 12, 1, 8, 0, tzinfo=UTC)]
    clocks = {
        "phone": SkewedClock(world, timedelta(hours=2)),
        "laptop": SkewedClock(world, timedelta(hours=-2)),
    }
    stores = {d: device(tmp_path, d) for d in clocks}
    clients = {d: signed_in(stores[d], server, name, clock=clocks[d]) for d in clocks}
    for day in range(7):
        for hour, who in ((8, "phone"), (20, "laptop")):
            world[0] = datetime(2026, 12, 1, hour, 0, tzinfo=UTC) + timedelta(days=day)
            for i, card in enumerate(CARDS):
                rating = 1 + (day + i + (who == "laptop")) % 4
                review(stores[who], clocks[who], card, rating, who)
    order = [first, "laptop" if first == "phone" else "phone"]
    for who in [*order, *order]:  # one round to upload, one to receive the other's
        clients[who].sync()
    phone, laptop = stores["phone"], stores["laptop"]
    assert phone.card_states() == laptop.card_states()
    assert len(phone.review_logs()) == len(laptop.review_logs()) == 2 * 7 * len(CARDS)
    assert phone.review_logs() == laptop.review_logs()
    assert phone.pending_count() == laptop.pending_count() == 0


def test_progress_moves_between_devices_of_one_learner(
    db: Database, server: Server, tmp_path: Path
) -> None:
    name, _ = db.learner()
    phone, laptop = device(tmp_path, "phone"), device(tmp_path, "laptop")
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    phone.record_attempt(Attempt("a1", REF, "e01", "0", True, at, True))
    from app.domain.session import UnitResult

    phone.record_result(UnitResult("r1", REF, 17, 18, at, ("e05",)))
    signed_in(phone, server, name).sync()
    report = signed_in(laptop, server, name).sync()
    assert report.pulled == 2 and report.applied == 2
    assert laptop.results() == phone.results()
    assert laptop.attempts(REF) == phone.attempts(REF)
    assert laptop.pending_count() == 0  # received events are not sent back


APPLY_SCRIPT = """
import sys
from pathlib import Path
from app.store.db import open_database
from app.store.repository import SqlStore
from sync.client import SyncClient
store = SqlStore(open_database(Path(sys.argv[1])))
SyncClient(store, page=int(sys.argv[2])).sync()
print("done", flush=True)
"""


def _cursor_seq(cursor: str) -> int:
    body = cursor.partition(".")[0]
    return int(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["s"])


def test_a_client_killed_while_applying_pages_resumes_with_cursor_and_data_agreeing(
    db: Database, server: Server, tmp_path: Path
) -> None:
    """(3) SIGKILL in the middle of pulling: after restart the stored cursor never points
    past what is stored, and the next sync completes the rest exactly once."""
    name, _ = db.learner()
    source = device(tmp_path, "phone")
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for n in range(3000):
        at = start + timedelta(seconds=n)
        source.record_attempt(Attempt(f"a{n:05d}", REF, "e01", str(n), True, at, True))
    signed_in(source, server, name).sync()

    target = tmp_path / "laptop" / "progress.db"
    laptop = device(tmp_path, "laptop")
    signed_in(laptop, server, name)
    killed_at = None
    for attempt in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", APPLY_SCRIPT, str(target), "100"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if _applied(target) >= 300 * (attempt + 1):
                os.kill(process.pid, signal.SIGKILL)
                killed_at = _applied(target)
                break
            time.sleep(0.02)
        process.wait()
        if process.returncode == -signal.SIGKILL:
            cursor = laptop.get("sync.cursor") or ""
            stored = _applied(target)
            seq = _cursor_seq(cursor) if cursor else 0
            assert seq <= stored, "the cursor points past the data"
            assert stored == seq  # one transaction per page: both or neither
        else:
            break
    assert killed_at is not None, "the client finished before it could be killed"
    SyncClient(laptop).sync()
    assert _applied(target) == 3000
    assert laptop.attempts(REF) == source.attempts(REF)


def _applied(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute("SELECT count(*) FROM attempts").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_a_100k_event_backlog_syncs_in_bounded_memory_and_resumes(
    tmp_path: Path,
) -> None:
    """(9) 100,000 queued events: memory stays bounded (pages of 500), an interruption
    half-way loses nothing and repeats nothing."""
    from tests.sync.helpers import database

    with database("sqlite", tmp_path) as db:
        server = Server(db, tmp_path)
        try:
            name, _ = db.learner()
            store = device(tmp_path, "phone")
            _fill_outbox(tmp_path / "phone" / "progress.db", 100_000)
            assert store.pending_count() == 100_000
            pushes = [0]

            class DropsAfter60Pushes(httpx.HTTPTransport):
                def handle_request(self, request: httpx.Request) -> httpx.Response:
                    if request.url.path == "/v1/events" and request.method == "POST":
                        pushes[0] += 1
                        if pushes[0] == 61:
                            raise httpx.ConnectError("network gone", request=request)
                    return super().handle_request(request)

            client = signed_in(
                store,
                server,
                name,
                http=lambda url: httpx.Client(
                    base_url=url, transport=DropsAfter60Pushes(), timeout=120
                ),
            )
            tracemalloc.start()
            with pytest.raises(Exception, match="no connection"):
                client.sync()
            assert store.pending_count() == 100_000 - 60 * 500
            assert db.count() == 60 * 500
            client.sync()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert store.pending_count() == 0 and db.count() == 100_000
            assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
        finally:
            server.stop()


def _fill_outbox(path: Path, count: int) -> None:
    """Queue `count` attempt events as the app would have (written directly for speed)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(count):
        at = start + timedelta(seconds=n)
        payload = {
            "id": f"bulk-{n}",
            "course_id": "level1",
            "unit_id": "u01",
            "exercise_id": "e01",
            "response": "0",
            "correct": True,
            "first_try": True,
            "answered_at": at.isoformat(),
        }
        stamp = f"{int(at.timestamp() * 1000):015d}.000000"
        event_id = f"{n:08x}-0000-7000-8000-{n:012x}"
        rows.append((event_id, stamp, "attempt", json.dumps(payload)))
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO outbox (id, hlc, type, payload) VALUES (?, ?, ?, ?)", rows
        )
