"""Open the learner's SQLite file: WAL mode, migrations to head, clear errors when it cannot."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DB_NAME = "progress.db"


class StoreProblem(StrEnum):
    LOCKED = "locked"  # another copy of the app holds the file
    DAMAGED = "damaged"  # the file is not a readable database
    UNWRITABLE = "unwritable"  # no permission / disk full / folder missing
    TOO_NEW = "too_new"  # made by a newer version of the app


class StoreError(Exception):
    """The store cannot be opened; the file is left exactly as it was."""

    def __init__(self, problem: StoreProblem, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {problem.value}: {detail}")
        self.problem = problem
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class Database:
    engine: Engine
    path: Path


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 3000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; fsync at checkpoints
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
    # Let SQLAlchemy say when transactions begin (below) instead of pysqlite, which starts one
    # only at the first write: a SAVEPOINT issued before that would begin and, on release,
    # commit a transaction of its own, so a "nested" step would be committed alone.
    dbapi_connection.isolation_level = None


def _on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate the store at `path`; StoreError if impossible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(StoreProblem.UNWRITABLE, path, str(exc)) from exc
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        migrate(engine)
    except StoreError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError, sqlite3.Error) as exc:
        engine.dispose()
        raise _classify(path, exc) from exc
    return Database(engine, path)


def migrate(engine: Engine) -> None:
    """Upgrade the schema to head; refuse a file written by a newer app."""
    with engine.begin() as connection:
        tables = inspect(connection).get_table_names()
        if "alembic_version" in tables:
            current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            known = {
                rev.revision
                for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
            }
            if current is not None and current not in known:
                raise StoreError(
                    StoreProblem.TOO_NEW,
                    Path(engine.url.database or ""),
                    f"schema {current} comes from a newer version of the app",
                )
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _classify(path: Path, exc: Exception) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(StoreProblem.LOCKED, path, str(getattr(exc, "orig", exc)))
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return StoreError(StoreProblem.DAMAGED, path, str(getattr(exc, "orig", exc)))
    return StoreError(StoreProblem.UNWRITABLE, path, str(getattr(exc, "orig", exc)))


def set_aside(path: Path, now: datetime) -> Path:
    """Rename a damaged store (and its WAL files) so a fresh one can start; nothing is deleted."""
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.rename(target.with_name(target.name + suffix))
    return target
