"""(6) A Hypothesis state machine: devices of one learner study, review and sync through a
real server, with lost responses and dropped connections; after everyone syncs they all hold
exactly the reference model's history and the same card states."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from app.domain.session import Attempt
from app.domain.srs import ReviewLogEntry
from app.store.repository import SqlStore
from sync.client import SyncClient, SyncError
from tests.domain.factories import REF
from tests.sync.helpers import Database, Server, database, device, signed_in

DEVICES = 3
CARDS = [f"level1/u01/v{n:02d}:recognize" for n in range(1, 5)]
FAULTS = ["none", "lose_response", "refuse_connection"]
_ids = itertools.count()


class Faulty(httpx.HTTPTransport):
    """Real HTTP, with the next request's fate decided by the test."""

    def __init__(self) -> None:
        super().__init__()
        self.next_fault = "none"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault, self.next_fault = self.next_fault, "none"
        if fault == "refuse_connection":
            raise httpx.ConnectError("network down", request=request)
        response = super().handle_request(request)
        if fault == "lose_response":
            response.read()
            raise httpx.ReadError("reply lost", request=request)
        return response


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Server]]:
    tmp = tmp_path_factory.mktemp("convergence")
    with database("sqlite", tmp) as db:
        server = Server(db, tmp)
        yield db, server
        server.stop()


class Devices(RuleBasedStateMachine):
    db: Database
    server: Server

    @initialize()
    def setup(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="devices-"))
        name, _ = self.db.learner()
        self.stores: list[SqlStore] = []
        self.clients: list[SyncClient] = []
        self.transports: list[Faulty] = []
        self.clock = [datetime(2026, 12, 1, 8, 0, tzinfo=UTC) for _ in range(DEVICES)]
        for index in range(DEVICES):
            store = device(self.tmp, f"d{index}")
            transport = Faulty()
            self.transports.append(transport)
            self.stores.append(store)
            self.clients.append(
                signed_in(
                    store,
                    self.server,
                    name,
                    http=lambda url, t=transport: httpx.Client(base_url=url, transport=t),
                )
            )
        self.attempts: set[str] = set()
        self.reviews: set[str] = set()

    def _tick(self, index: int, minutes: int) -> datetime:
        self.clock[index] += timedelta(minutes=minutes)
        return self.clock[index]

    @rule(index=st.integers(0, DEVICES - 1), minutes=st.integers(1, 600))
    def study(self, index: int, minutes: int) -> None:
        attempt_id = f"a{next(_ids)}"
        at = self._tick(index, minutes)
        self.stores[index].record_attempt(Attempt(attempt_id, REF, "e01", "0", True, at, True))
        self.attempts.add(attempt_id)

    @rule(
        index=st.integers(0, DEVICES - 1),
        card=st.sampled_from(CARDS),
        rating=st.integers(1, 4),
        minutes=st.integers(1, 3000),
    )
    def review(self, index: int, card: str, rating: int, minutes: int) -> None:
        review_id = f"r{next(_ids)}"
        at = self._tick(index, minutes)
        store = self.stores[index]
        store.record_review(ReviewLogEntry(review_id, card, rating, at, store.device_id()))
        self.reviews.add(review_id)

    @rule(index=st.integers(0, DEVICES - 1), fault=st.sampled_from(FAULTS))
    def sync(self, index: int, fault: str) -> None:
        self.transports[index].next_fault = fault
        try:
            self.clients[index].sync()
        except SyncError:
            assert fault != "none"

    def teardown(self) -> None:
        if not hasattr(self, "clients"):
            return
        for _ in range(2):
            for client in self.clients:
                client.sync()
        states = [store.card_states() for store in self.stores]
        for store in self.stores:
            assert {a.id for a in store.attempts(REF)} == self.attempts
            assert {r.id for r in store.review_logs()} == self.reviews
            assert store.pending_count() == 0
        assert all(state == states[0] for state in states)
        for store in self.stores:
            store._sessions.kw["bind"].dispose()  # type: ignore[attr-defined]


def test_devices_converge_to_the_reference_model(shared_server: tuple[Database, Server]) -> None:
    Devices.db, Devices.server = shared_server
    runner = Devices.TestCase
    runner.settings = settings(
        max_examples=12,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    runner().runTest()
