"""Real platform servers (uvicorn subprocesses) on SQLite files or PostgreSQL, and real clients."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select, text

from app.store.db import open_database
from app.store.repository import SqlStore
from sync.client import SyncClient
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server.db import make_engine, migrate, sessions
from sync.server.models import StoredEvent
from sync.server.store import create_user

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("SSOC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
PASSWORD = "correct horse 42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Database:
    """One server database: a SQLite file, or a fresh schema in the PostgreSQL `test` db."""

    url: str
    engine: Engine = field(init=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.url)

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(StoredEvent)).scalar_one()
            )

    def learner(self, username: str | None = None, role: str = "learner") -> tuple[str, str]:
        """A new account: (username, id)."""
        name = username or f"u{uuid.uuid4().hex[:10]}"
        with sessions(self.engine).begin() as session:
            user = create_user(session, name, PASSWORD, role)
            return name, user.id


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[Database]:
    if kind == "sqlite":
        db = Database(f"sqlite:///{tmp / 'server.db'}")
        migrate(db.engine)
        yield db
        db.engine.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_ADMIN_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    db = Database(f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}")
    migrate(db.engine)
    try:
        yield db
    finally:
        db.engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


class Server:
    """`python -m sync.server serve` in its own process."""

    def __init__(self, db: Database, tmp: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"server-{self.port}.log"
        environ = dict(os.environ)
        environ.update(
            {
                "DATABASE_URL": db.url,
                "SSOC_PACKS_DIR": str(tmp / "packs"),
                "SSOC_RATE_PER_MINUTE": "100000",
                **env,
            }
        )
        command = [sys.executable, "-m", "sync.server", "serve", "--port", str(self.port)]
        self._log = self.log.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environ,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 30 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def device(tmp: Path, name: str) -> SqlStore:
    """A learner's device: the app's real store in its own SQLite file."""
    return SqlStore(open_database(tmp / name / "progress.db"))


def signed_in(store: SqlStore, server: Server, username: str, **kwargs: object) -> SyncClient:
    client = SyncClient(store, **kwargs)  # type: ignore[arg-type]
    client.sign_in(server.url, username, PASSWORD)
    client.give_consent()
    return client


def tokens(server: Server, username: str, device_id: str | None = None) -> dict[str, str]:
    response = httpx.post(
        f"{server.url}/v1/devices",
        headers=HEADERS,
        json={
            "username": username,
            "password": PASSWORD,
            "device_id": device_id or f"d-{uuid.uuid4().hex[:12]}",
        },
    )
    response.raise_for_status()
    data: dict[str, str] = response.json()
    return data


def auth(access: str) -> dict[str, str]:
    return {**HEADERS, "Authorization": f"Bearer {access}"}


def event(learner_id: str, device_id: str, seq: int, kind: str = "attempt") -> dict[str, object]:
    """A well-formed wire event (UUIDv7-shaped id)."""
    event_id = str(uuid.UUID(int=(uuid.uuid4().int & ~(0xF << 76)) | (0x7 << 76)))
    payloads: dict[str, dict[str, object]] = {
        "attempt": {
            "id": str(uuid.uuid4()),
            "course_id": "level1",
            "unit_id": "u01",
            "exercise_id": f"e{seq % 17 + 1:02d}",
            "response": "0",
            "correct": True,
            "first_try": True,
            "answered_at": f"2026-12-01T09:{seq // 60 % 60:02d}:{seq % 60:02d}+00:00",
        },
    }
    return {
        "id": event_id,
        "learner_id": learner_id,
        "device_id": device_id,
        "device_seq": seq,
        "hlc": f"{1796115600000 + seq:015d}.000000",
        "type": kind,
        "payload": payloads[kind],
    }
