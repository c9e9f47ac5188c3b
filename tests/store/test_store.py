"""The local store on real SQLite files: migrations, WAL, round trips, and bad files."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

from app.domain.session import Attempt, UnitResult
from app.store.db import StoreError, StoreProblem, head_revision, open_database, set_aside
from app.store.repository import SqlStore
from tests.domain.factories import REF

T0 = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


def test_an_empty_file_is_upgraded_to_head_in_wal_mode(tmp_path: Path) -> None:
    db = open_database(tmp_path / "progress.db")
    tables = set(inspect(db.engine).get_table_names())
    assert {"settings", "attempts", "unit_results", "alembic_version"} <= tables
    raw = sqlite3.connect(tmp_path / "progress.db")
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    db.engine.dispose()


def test_opening_twice_is_harmless(tmp_path: Path) -> None:
    open_database(tmp_path / "p.db").engine.dispose()
    open_database(tmp_path / "p.db").engine.dispose()


def test_attempts_results_and_settings_survive_reopening(tmp_path: Path) -> None:
    store = SqlStore(open_database(tmp_path / "p.db"))
    attempt = Attempt("a1", REF, "e01", "0", True, T0, True)
    store.record_attempt(attempt)
    store.record_attempt(attempt)  # idempotent: the same answer is kept once
    result = UnitResult("r1", REF, 9, 10, T0, ("e05",))
    store.record_result(result)
    store.set("ui_language", "vi")
    reopened = SqlStore(open_database(tmp_path / "p.db"))
    assert reopened.attempts(REF) == [attempt]
    assert reopened.results() == [result]
    assert reopened.get("ui_language") == "vi" and reopened.get("missing") is None


def test_naive_times_are_refused(tmp_path: Path) -> None:
    store = SqlStore(open_database(tmp_path / "p.db"))
    with pytest.raises(ValueError, match="timezone"):
        store.record_attempt(Attempt("a", REF, "e", "x", False, datetime(2026, 1, 1), True))


def test_a_damaged_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    garbage = b"this is not sqlite " * 500
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert caught.value.problem is StoreProblem.DAMAGED
    assert path.read_bytes() == garbage


def test_set_aside_keeps_the_damaged_file_and_a_fresh_one_starts(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    path.write_bytes(b"garbage" * 100)
    kept = set_aside(path, T0)
    assert (
        kept.name == "progress.db.damaged-20261128-093000" and kept.read_bytes() == b"garbage" * 100
    )
    open_database(path).engine.dispose()


def test_a_locked_file_is_reported_as_locked(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        with pytest.raises(StoreError) as caught:
            open_database(path)
        assert caught.value.problem is StoreProblem.LOCKED
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_file_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    open_database(path).engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert caught.value.problem is StoreProblem.TOO_NEW


def test_an_unwritable_place_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as caught:
        open_database(blocker / "sub" / "progress.db")
    assert caught.value.problem is StoreProblem.UNWRITABLE
