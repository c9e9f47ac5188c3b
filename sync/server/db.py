"""The server's database: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from sync.server.models import ServerSetting

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite gets WAL and immediate transactions (one writer at a time,
    no upgrade deadlocks); PostgreSQL a pool for the endpoints' worker threads."""
    if url.startswith("sqlite"):
        # One connection: SQLite has one writer at a time anyway, and requests then wait their
        # turn in the pool's queue (first come, first served) instead of in SQLite's busy loop.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=1,
            max_overflow=0,
            pool_timeout=120,
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not pysqlite's
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # Pushes have their own pool (app.PushConnections); this one serves everything else. Per
    # worker process at most 20 + 10 connections: with PostgreSQL's default max_connections
    # (100), run at most 3 workers per database, or raise it (README).
    return create_engine(url, pool_size=10, max_overflow=10, pool_recycle=300)


def migrate(engine: Engine) -> None:
    """Upgrade the schema to head (run once per deployment, before the replicas start)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def shared_secret(factory: sessionmaker[Session]) -> bytes:
    """The key that signs tokens and cursors, kept in the database so every replica has it."""
    with factory.begin() as session:
        row = session.get(ServerSetting, "signing_key")
        if row is None:
            session.add(ServerSetting(key="signing_key", value=secrets.token_hex(32)))
    # Read back after commit: of two replicas racing to create it, the committed one wins.
    with factory() as session:
        value = session.scalar(
            select(ServerSetting.value).where(ServerSetting.key == "signing_key")
        )
    assert value is not None
    return bytes.fromhex(value)
