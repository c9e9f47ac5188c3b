from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.helpers import Database, Server, database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The server's database, once on a SQLite file and once on PostgreSQL (a fresh schema)."""
    with database(request.param, tmp_path) as found:
        yield found


@pytest.fixture
def server(db: Database, tmp_path: Path) -> Iterator[Server]:
    running = Server(db, tmp_path)
    yield running
    running.stop()
