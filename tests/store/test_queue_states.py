"""SqlStore.queue_states: the few states today's queue needs give the queue all states give."""

import random
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.course import CourseId, UnitId
from app.domain.srs import (
    CardSpec,
    CardState,
    Facet,
    Rating,
    ReviewLogEntry,
    due_queue,
    introduced_today,
)
from app.store.db import open_database
from app.store.repository import SqlStore

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KST = timezone(timedelta(hours=9))
SPECS = [
    CardSpec(CourseId("level1"), UnitId(f"u0{unit}"), f"v{item:04d}", facet)
    for unit in (1, 2)
    for item in range(3)
    for facet in (Facet.RECOGNIZE, Facet.LISTEN, Facet.PRODUCE)
]
IDS = [spec.card_id for spec in SPECS]


def entry(n: int, card: str, rating: int, at: datetime, device: str = "phone") -> ReviewLogEntry:
    return ReviewLogEntry(f"00000000-0000-4000-8000-{n:012d}", card, Rating(rating), at, device)


@pytest.fixture
def store(tmp_path: Path):
    db = open_database(tmp_path / "progress.db")
    yield SqlStore(db)
    db.engine.dispose()


def queue(states: dict[str, CardState], now: datetime, limit: int, new_per_day: int) -> list[str]:
    """What Controller.review_queue does with the states it is given."""
    values = states.values()
    return due_queue(values, now, limit, new_per_day, introduced_today(values, now))


def introduce(store: SqlStore) -> None:
    """Unit 2 first, then unit 1 a day later: introduction order is not card id order."""
    store.ensure_cards(SPECS[9:], T0 - timedelta(days=30))
    store.ensure_cards(SPECS[:9], T0 - timedelta(days=29))


def test_the_queue_from_queue_states_is_the_queue_from_all_states(store: SqlStore) -> None:
    introduce(store)
    rng = random.Random(5)
    n = 0
    for card in rng.sample(IDS, 12):  # six cards stay new
        at = T0 - timedelta(days=rng.randint(1, 25), minutes=rng.randint(0, 600))
        for _ in range(rng.randint(1, 4)):
            store.record_review(entry(n, card, rng.randint(1, 4), at))
            n += 1
            at += timedelta(days=rng.randint(0, 6), minutes=rng.randint(1, 600))
    all_states = store.card_states()
    for now in (T0, T0 + timedelta(days=3), (T0 + timedelta(days=40)).astimezone(KST)):
        for limit in (0, 1, 3, 200):
            for new_per_day in (0, 2, 10):
                states = store.queue_states(now, limit=limit, new_limit=new_per_day)
                assert queue(states, now, limit, new_per_day) == queue(
                    all_states, now, limit, new_per_day
                )
                assert introduced_today(states.values(), now) == introduced_today(
                    all_states.values(), now
                )
                assert all(all_states[card_id] == state for card_id, state in states.items())


def test_it_reads_only_the_soonest_due_the_first_new_and_todays_first_reviews(
    store: SqlStore,
) -> None:
    introduce(store)
    now = T0 + timedelta(days=10)
    # Three cards reviewed at the same instant with the same answer: the same due time, so the
    # queue breaks the tie by card id.
    for n, card in enumerate([IDS[5], IDS[2], IDS[4]]):
        store.record_review(entry(n, card, 3, T0))
    store.record_review(entry(10, IDS[0], 3, now - timedelta(hours=2)))  # first review today
    store.record_review(entry(11, IDS[1], 3, T0 - timedelta(days=2)))
    store.record_review(entry(12, IDS[1], 3, now - timedelta(hours=1)))  # not its first
    states = store.queue_states(now, limit=2, new_limit=1)
    # In introduction order: unit 2's first card (new), then unit 1's cards.
    assert list(states) == [IDS[9], IDS[0], IDS[2], IDS[4]]
    assert queue(states, now, 2, 1) == [IDS[2], IDS[4]]
    assert introduced_today(states.values(), now) == 1


def test_today_is_the_learners_calendar_day(store: SqlStore) -> None:
    store.ensure_cards(SPECS[:1], T0)
    store.record_review(entry(1, IDS[0], 3, datetime(2026, 12, 1, 14, 30, tzinfo=UTC)))
    # 23:30 on 1 Dec in Seoul: yesterday for a learner in Seoul on 2 Dec, today in UTC.
    seoul = datetime(2026, 12, 2, 8, 0, tzinfo=KST)
    assert list(store.queue_states(seoul, limit=0, new_limit=0)) == []
    utc = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    assert list(store.queue_states(utc, limit=0, new_limit=0)) == [IDS[0]]


def test_a_damaged_cache_is_replayed_from_the_log(store: SqlStore, tmp_path: Path) -> None:
    store.ensure_cards(SPECS[:2], T0)
    store.record_review(entry(1, IDS[0], 1, T0))
    expected = store.card_states()[IDS[0]]
    raw = sqlite3.connect(tmp_path / "progress.db")
    raw.execute("UPDATE review_cards SET state = 'garbage' WHERE card_id = ?", (IDS[0],))
    raw.commit()
    raw.close()
    states = store.queue_states(T0 + timedelta(days=1), limit=10, new_limit=10)
    assert states == {IDS[0]: expected, IDS[1]: store.card_states()[IDS[1]]}


def test_a_naive_clock_is_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.queue_states(datetime(2026, 12, 1), limit=10, new_limit=10)


reviews = st.lists(
    st.tuples(
        st.sampled_from(IDS),
        st.integers(1, 4),
        st.integers(0, 40 * 24),  # hours after the start; many share an instant
        st.sampled_from(["phone", "pc"]),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None)
@given(
    reviews,
    st.integers(0, 45 * 24),
    st.sampled_from([UTC, KST]),
    st.integers(0, 8),
    st.integers(0, 4),
)
def test_any_log_gives_the_same_queue(
    batch: list, hours: int, zone: timezone, limit: int, new_per_day: int
) -> None:
    start = T0 - timedelta(days=20)
    now = (start + timedelta(hours=hours)).astimezone(zone)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "p.db")
        try:
            store = SqlStore(db)
            introduce(store)
            for n, (card, rating, hour, device) in enumerate(batch):
                store.record_review(entry(n, card, rating, start + timedelta(hours=hour), device))
            all_states = store.card_states()
            states = store.queue_states(now, limit=limit, new_limit=new_per_day)
            assert queue(states, now, limit, new_per_day) == queue(
                all_states, now, limit, new_per_day
            )
            assert introduced_today(states.values(), now) == introduced_today(
                all_states.values(), now
            )
        finally:
            db.engine.dispose()
