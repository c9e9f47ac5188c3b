"""Review cards and the review log on real SQLite files, and the 0001 -> 0002 migration."""

import random
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect

from app.content.loader import load_library
from app.domain.course import CourseId, UnitId
from app.domain.session import Attempt, UnitResult
from app.domain.srs import (
    CardSpec,
    Facet,
    Phase,
    Rating,
    ReviewLogEntry,
    cards_for_unit,
    new_state,
    replay,
)
from app.paths import LESSONS_DIR
from app.store.db import MIGRATIONS, head_revision, open_database
from app.store.repository import SqlStore
from tests.domain.factories import REF

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KST = timezone(timedelta(hours=9))
SPECS = [
    CardSpec(CourseId("level1"), UnitId("u01"), item, facet)
    for facet in (Facet.RECOGNIZE, Facet.LISTEN)
    for item in ("v01", "v02", "v03")
]
CARD = SPECS[0].card_id


def entry(
    n: int, rating: int, at: datetime, device: str = "phone", card: str = CARD
) -> ReviewLogEntry:
    return ReviewLogEntry(
        f"00000000-0000-4000-8000-{n:012d}", card, Rating(rating), at, device, 1500
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


@pytest.fixture
def store(path: Path):
    db = open_database(path)
    yield SqlStore(db)
    db.engine.dispose()


# -- cards -----------------------------------------------------------------------------------


def test_cards_are_added_once_and_keep_their_introduction_order(store: SqlStore) -> None:
    assert store.ensure_cards(SPECS[3:], T0) == 3
    assert store.ensure_cards([*SPECS, SPECS[0]], T0 + timedelta(days=1)) == 3  # only the new ones
    states = store.card_states()
    assert list(states) == [s.card_id for s in SPECS[3:] + SPECS[:3]]
    assert all(state == new_state(card_id) for card_id, state in states.items())


# -- recording reviews -----------------------------------------------------------------------


def test_recording_the_same_review_twice_keeps_it_once(store: SqlStore) -> None:
    store.ensure_cards(SPECS, T0)
    first = store.record_review(entry(1, 3, T0))
    again = store.record_review(entry(1, 3, T0))
    assert first == again and first.reps == 1 and first.phase is Phase.LEARNING
    assert store.review_logs() == [entry(1, 3, T0)]
    assert store.card_states()[CARD] == first


def test_an_id_reused_for_a_different_review_is_refused(store: SqlStore) -> None:
    store.record_review(entry(1, 3, T0))
    with pytest.raises(ValueError, match="already recorded"):
        store.record_review(entry(1, 1, T0))


def test_a_review_of_an_unknown_card_introduces_it(store: SqlStore) -> None:
    state = store.record_review(entry(1, 4, T0, card="level2/u03/v07:produce"))
    assert list(store.card_states()) == ["level2/u03/v07:produce"]
    assert state.phase is Phase.REVIEW


def test_a_review_for_no_card_at_all_is_refused_before_anything_is_written(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="card id"):
        store.record_review(entry(1, 3, T0, card="not-a-card"))
    assert store.review_logs() == []


def test_a_late_review_from_another_device_rewrites_history_by_replay(store: SqlStore) -> None:
    store.ensure_cards(SPECS, T0)
    store.record_review(entry(2, 3, T0 + timedelta(days=3), device="phone"))
    late = entry(1, 1, T0 + timedelta(days=1), device="pc")  # happened earlier, synced now
    state = store.record_review(late)
    logs = store.review_logs(CARD)
    assert [e.device_id for e in logs] == ["pc", "phone"]
    assert state == replay(CARD, logs) and state.reps == 2
    assert store.card_states()[CARD] == state


def test_times_come_back_as_the_same_instants(store: SqlStore) -> None:
    written = entry(1, 3, datetime(2026, 12, 1, 23, 30, 15, 123456, tzinfo=KST))
    store.record_review(written)
    [read] = store.review_logs(CARD)
    assert read == written and read.reviewed_at.tzinfo is UTC


def test_the_review_log_refuses_updates(store: SqlStore, path: Path) -> None:
    store.record_review(entry(1, 3, T0))
    raw = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            raw.execute("UPDATE review_logs SET rating = 4")
    finally:
        raw.close()


def test_logs_are_listed_in_replay_order_per_card_or_all(store: SqlStore) -> None:
    other = SPECS[1].card_id
    entries = [
        entry(3, 3, T0, device="phone"),
        entry(2, 3, T0, device="pc"),
        entry(1, 3, T0 - timedelta(hours=1), card=other),
        entry(4, 1, T0, device="pc"),
    ]
    for e in entries:
        store.record_review(e)
    assert [e.id[-1] for e in store.review_logs()] == ["1", "2", "4", "3"]
    assert [e.id[-1] for e in store.review_logs(CARD)] == ["2", "4", "3"]


# -- rebuilding the cache --------------------------------------------------------------------


def record_shuffled(store: SqlStore, count: int, seed: int) -> list[ReviewLogEntry]:
    rng = random.Random(seed)
    entries = [
        entry(
            n,
            rng.randint(1, 4),
            T0 + timedelta(minutes=rng.randint(0, 200 * 24 * 60)),
            device=rng.choice(["phone", "pc"]),
            card=rng.choice(SPECS).card_id,
        )
        for n in range(count)
    ]
    for e in entries:  # in arrival order, not time order: some come late
        store.record_review(e)
    return entries


def test_rebuilt_states_equal_the_cached_ones(store: SqlStore) -> None:
    store.ensure_cards(SPECS, T0)
    entries = record_shuffled(store, 120, seed=7)
    cached = store.card_states()
    assert cached == {s.card_id: replay(s.card_id, entries) for s in SPECS}
    assert store.rebuild_states() == len(SPECS)
    assert store.card_states() == cached


def test_a_damaged_or_outdated_cache_is_replayed_and_rebuilt(store: SqlStore, path: Path) -> None:
    store.ensure_cards(SPECS, T0)
    record_shuffled(store, 40, seed=3)
    expected = store.card_states()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE review_cards SET state = 'garbage' WHERE card_id = ?", (CARD,))
    raw.execute(
        "UPDATE review_cards SET state = '{\"v\": 0}' WHERE card_id = ?", (SPECS[1].card_id,)
    )
    raw.commit()
    assert store.card_states() == expected  # read falls back to the log
    store.rebuild_states()
    (text,) = raw.execute("SELECT state FROM review_cards WHERE card_id = ?", (CARD,)).fetchone()
    raw.close()
    assert text.startswith('{"v":1')
    assert store.card_states() == expected


def test_rebuild_brings_back_a_card_row_that_was_lost(store: SqlStore, path: Path) -> None:
    store.record_review(entry(1, 3, T0))
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM review_cards")
    raw.commit()
    raw.close()
    store.rebuild_states()
    assert store.card_states() == {CARD: replay(CARD, store.review_logs())}


review_batches = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.integers(0, 400 * 24 * 60),
        st.sampled_from(["phone", "pc"]),
        st.sampled_from([s.card_id for s in SPECS[:2]]),
    ),
    max_size=15,
)


@settings(max_examples=20, deadline=None)
@given(review_batches)
def test_the_cached_state_always_equals_a_replay_of_the_log(batch: list) -> None:
    entries = [entry(n, r, T0 + timedelta(minutes=m), d, c) for n, (r, m, d, c) in enumerate(batch)]
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "p.db")
        try:
            store = SqlStore(db)
            for e in entries:
                store.record_review(e)
            states = store.card_states()
            assert states == {c: replay(c, entries) for c in {e.card_id for e in entries}}
            store.rebuild_states()
            assert store.card_states() == states
        finally:
            db.engine.dispose()


# -- reviews per day -------------------------------------------------------------------------


def test_reviews_are_counted_per_day_in_the_learners_time_zone(store: SqlStore) -> None:
    times = [
        datetime(2026, 11, 30, 12, 0, tzinfo=UTC),  # before `since`
        datetime(2026, 12, 1, 14, 30, tzinfo=UTC),  # 23:30 on 1 Dec in Seoul
        datetime(2026, 12, 1, 15, 30, tzinfo=UTC),  # 00:30 on 2 Dec in Seoul
        datetime(2026, 12, 2, 1, 0, tzinfo=UTC),
    ]
    for n, at in enumerate(times):
        store.record_review(entry(n, 3, at))
    since = datetime(2026, 12, 1, 0, 0, tzinfo=KST)
    assert store.reviews_per_day(since) == {date(2026, 12, 1): 1, date(2026, 12, 2): 2}
    assert store.reviews_per_day(datetime(2026, 12, 1, tzinfo=UTC)) == {
        date(2026, 12, 1): 2,
        date(2026, 12, 2): 1,
    }
    assert store.reviews_per_day(datetime(2027, 1, 1, tzinfo=UTC)) == {}


def test_reviews_and_cards_survive_reopening(path: Path) -> None:
    first = open_database(path)
    SqlStore(first).ensure_cards(SPECS, T0)
    state = SqlStore(first).record_review(entry(1, 3, T0))
    first.engine.dispose()
    again = open_database(path)
    try:
        store = SqlStore(again)
        assert store.card_states()[CARD] == state and len(store.card_states()) == len(SPECS)
        assert store.review_logs() == [entry(1, 3, T0)]
    finally:
        again.engine.dispose()


# -- migrations ------------------------------------------------------------------------------


def alembic_on(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def test_an_empty_file_is_upgraded_to_head_with_the_review_tables(path: Path) -> None:
    db = open_database(path)
    tables = set(inspect(db.engine).get_table_names())
    db.engine.dispose()
    assert {"review_logs", "review_cards"} <= tables
    assert head_revision() == "0004"
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)
    raw.close()


def test_a_0001_file_is_upgraded_keeping_its_rows_and_queueing_them_for_sync(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_on(connection), "0001")
        # Rows as version 0001 of the app wrote them (naive UTC times).
        connection.exec_driver_sql(
            "INSERT INTO attempts VALUES ('a1', 'level1', 'u01', 'e01', '0', 1, 1, "
            "'2026-12-01 09:00:00.000000')"
        )
        connection.exec_driver_sql(
            "INSERT INTO unit_results VALUES ('r1', 'level1', 'u01', 9, 10, 'e05', "
            "'2026-12-01 09:00:00.000000')"
        )
        connection.exec_driver_sql("INSERT INTO settings VALUES ('ui_language', 'uz')")
    assert "review_logs" not in inspect(engine).get_table_names()
    engine.dispose()
    attempt = Attempt("a1", REF, "e01", "0", True, T0, True)
    result = UnitResult("r1", REF, 9, 10, T0, ("e05",))

    db = open_database(path)
    try:
        store = SqlStore(db)
        assert store.attempts(REF) == [attempt]
        assert store.results() == [result]
        assert store.get("ui_language") == "uz"
        assert store.card_states() == {} and store.review_logs() == []
        # History from before sync existed waits in the outbox: nothing is left behind.
        queued = store.pending(10)
        assert [(e.type, e.payload["id"]) for e in queued] == [
            ("attempt", "a1"),
            ("unit_result", "r1"),
        ]
        assert queued[0].payload["answered_at"] == "2026-12-01T09:00:00+00:00"
        store.record_review(entry(1, 3, T0))  # and the new tables work
        assert len(store.review_logs()) == 1
        assert store.pending_count() == 3
    finally:
        db.engine.dispose()


def test_downgrading_to_0001_drops_only_the_review_tables(path: Path) -> None:
    db = open_database(path)
    store = SqlStore(db)
    store.record_attempt(Attempt("a1", REF, "e01", "0", True, T0, True))
    store.record_review(entry(1, 3, T0))
    with db.engine.begin() as connection:
        command.downgrade(alembic_on(connection), "0001")
    tables = set(inspect(db.engine).get_table_names())
    assert "review_logs" not in tables and "review_cards" not in tables
    assert len(store.attempts(REF)) == 1
    db.engine.dispose()


def test_card_count_counts_cards_without_reading_states(tmp_path: Path) -> None:
    store = SqlStore(open_database(tmp_path / "p.db"))
    assert store.card_count() == 0
    unit = load_library(LESSONS_DIR).course("level1").unit("u01")
    added = store.ensure_cards(cards_for_unit(unit), datetime(2026, 11, 28, tzinfo=UTC))
    assert store.card_count() == added == len(cards_for_unit(unit))
