"""Benchmark: pushing progress events to the platform server on PostgreSQL, against the database's
own ceiling.

Run from the repository root against the PostgreSQL on this machine (trust auth; a fresh schema
per run, dropped at the end). Nothing is asserted, it prints a Markdown report:

    .venv/bin/python bench/sync_push.py                 # full run, 4-5 minutes
    .venv/bin/python bench/sync_push.py --quick         # smoke run, about 1.5 minutes
    .venv/bin/python bench/sync_push.py --append        # also append the report to RESULTS.md

What it measures, in one run:

(a) the ceiling: `INSERT ... ON CONFLICT DO NOTHING` of 100-row batches (one multi-row VALUES
    statement, prepared, autocommit: one transaction and one commit per batch, like a push)
    straight into the server's real `events` table, from 8, 32 and 100 connections
    (psycopg RawCursor with $n placeholders, one thread per connection). Events/s, batch
    latency p50/p99.
(b) the push endpoint closed loop: real uvicorn server processes (`python -m sync.server serve
    --workers N`), `--learners` simulated learners, each its own account and enrolled device,
    each sending a batch of 100 events (`POST /v1/events`) as soon as the previous one was
    acknowledged. asyncio on uvloop, one minimal HTTP/1.1 keep-alive client per learner (one
    process; its CPU and event-loop lag are reported). Events/s, request p50/p99,
    then every acknowledged id is looked up in the database (none lost, none twice, every feed's
    sequence numbers without gaps).
(c) the push endpoint open loop at half the best ceiling of (a): requests are scheduled on a
    clock (fixed rate, round-robin over the learners) whether or not earlier ones finished, and
    latency is measured from the scheduled send time, so a slow server cannot hide its queue
    (no coordinated omission). Achieved against offered rate, p50/p99, the same checks.
    Requests still unanswered 30 s after the last was due are abandoned (infinitely late).
(c2) the same open loop at half of what (b) measured: the latency at a load the server carries.

Each phase reports where the machine's CPU went (this client, the server processes, PostgreSQL
backends, everything else on the machine) from /proc, so a saturated load generator or a busy
machine shows up. At the end one push is taken apart in-process (no HTTP) to show where a
request's time goes: the token check, parsing and validating the body, the pool, the push's
Python and its one SQL call, and the response.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION  # noqa: E402
from sync.server.db import make_engine, migrate, sessions  # noqa: E402
from sync.server.store import canonical, create_user  # noqa: E402

PG_URL = os.environ.get("SSOC_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse 42"
CLK = os.sysconf("SC_CLK_TCK")
WARMUP = 3.0  # seconds run before each measured window (connections, caches, prepared plans)
DRAIN = 30.0  # seconds an open-loop run waits for answers after its last scheduled request
COLUMNS = (
    "id",
    "feed",
    "seq",
    "learner_id",
    "device_id",
    "device_seq",
    "hlc",
    "type",
    "payload",
    "received_at",
)


# -- small helpers ---------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def fmt_ms(value: float) -> str:
    return "unanswered" if value == float("inf") else f"{value:,.1f}"


def event_id() -> str:
    """A UUIDv7-shaped id (version nibble 7), as the app's outbox makes them."""
    return str(uuid.UUID(int=(uuid.uuid4().int & ~(0xF << 76)) | (0x7 << 76)))


def attempt_payload(seq: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "course_id": "level1",
        "unit_id": f"u{seq % 12 + 1:02d}",
        "exercise_id": f"e{seq % 17 + 1:02d}",
        "response": "저는 학생이에요",
        "correct": seq % 5 != 0,
        "first_try": True,
        "answered_at": f"2026-12-01T09:{seq // 60 % 60:02d}:{seq % 60:02d}+00:00",
    }


def run_async(coro: Any) -> Any:
    """asyncio.run on uvloop (uvicorn's loop, installed with it) when it is there."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sh(command: str) -> str:
    try:
        return subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20
    return float("nan")


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# -- where the CPU goes ----------------------------------------------------------------------


def _procs() -> Iterator[tuple[int, int, str, int, int]]:
    """(pid, ppid, comm, utime+stime ticks, cutime+cstime ticks: its exited children's) of
    every process (all threads included)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        rest = raw[raw.rindex(")") + 2 :].split()
        own, reaped = int(rest[11]) + int(rest[12]), int(rest[13]) + int(rest[14])
        yield int(entry.name), int(rest[1]), comm, own, reaped


def _machine_busy() -> int:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle


@dataclass
class CpuSample:
    at: float
    busy: int
    client: int
    server: int
    postgres: int


def cpu_sample(server_roots: list[int]) -> CpuSample:
    procs = list(_procs())
    children: dict[int, list[int]] = {}
    for pid, ppid, *_ in procs:
        children.setdefault(ppid, []).append(pid)
    servers: set[int] = set()
    todo = list(server_roots)
    while todo:
        pid = todo.pop()
        if pid not in servers:
            servers.add(pid)
            todo.extend(children.get(pid, []))
    me = os.getpid()
    client = server = pg = 0
    postgres = {pid for pid, _, comm, *_ in procs if comm.startswith("postgres")}
    for pid, ppid, _, ticks, reaped in procs:
        if pid == me:
            client += ticks
        elif pid in servers:
            server += ticks
        elif pid in postgres:
            pg += ticks
            if ppid not in postgres:  # the postmaster: add the backends that have exited
                pg += reaped
    return CpuSample(time.perf_counter(), _machine_busy(), client, server, pg)


@dataclass
class CpuUse:
    """Cores (1.0 = one CPU busy all the time) used during a window."""

    client: float
    server: float
    postgres: float
    other: float
    idle: float

    @classmethod
    def between(cls, a: CpuSample, b: CpuSample) -> CpuUse:
        span = (b.at - a.at) * CLK
        client = (b.client - a.client) / span
        server = (b.server - a.server) / span
        pg = (b.postgres - a.postgres) / span
        busy = (b.busy - a.busy) / span
        cores = os.cpu_count() or 1
        return cls(
            client, server, pg, max(0.0, busy - client - server - pg), max(0.0, cores - busy)
        )

    def text(self) -> str:
        return (
            f"client {self.client:.2f}, server {self.server:.2f}, PostgreSQL {self.postgres:.2f}, "
            f"other {self.other:.2f}, idle {self.idle:.2f}"
        )


# -- results ---------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    setup: str
    events_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    cpu: CpuUse
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def window_stats(
    spans: list[tuple[float, float, int]], begin: float, end: float
) -> tuple[float, list[float], int]:
    """Events/s of what completed inside [begin, end] and latencies (ms) of what started there."""
    done = sum(n for _, t1, n in spans if begin <= t1 <= end)
    lat = [(t1 - t0) * 1000 for t0, t1, _ in spans if begin <= t0 <= end]
    return done / (end - begin), lat, len(lat)


# -- (a) the ceiling ------------------------------------------------------------------------


def ceiling(url: str, conns: int, batch: int, duration: float) -> Result:
    connections: list[psycopg.Connection[Any]] = []
    notes: list[str] = []
    for _ in range(conns):
        try:
            connections.append(
                psycopg.connect(url, autocommit=True, cursor_factory=psycopg.RawCursor)
            )
        except psycopg.OperationalError as exc:
            notes.append(f"only {len(connections)} of {conns} connections opened: {exc}".strip())
            break
    # $n placeholders and a RawCursor: psycopg sends the text as it is instead of parsing a
    # 1,000-placeholder query in Python for every batch (it caches only short queries), so the
    # client spends as little CPU as it can and PostgreSQL gets the machine.
    width = len(COLUMNS)
    rows = (
        "(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")" for r in range(batch)
    )
    columns = ", ".join(COLUMNS)
    sql = f"INSERT INTO events ({columns}) VALUES {', '.join(rows)} ON CONFLICT DO NOTHING"
    payload = canonical(attempt_payload(7))
    spans: list[list[tuple[float, float, int]]] = [[] for _ in connections]
    errors: list[str] = []
    ready = threading.Barrier(len(connections) + 1)
    stop_at = [0.0]

    def run(index: int, conn: psycopg.Connection[Any]) -> None:
        learner = str(uuid.uuid4())
        feed = f"learner:{learner}"
        device = f"bench-dev-{index}"
        seq = 0
        out = spans[index]
        ready.wait()
        try:
            while time.perf_counter() < stop_at[0]:
                received = datetime.now(UTC)
                params: list[Any] = []
                for _ in range(batch):
                    seq += 1
                    params += (
                        event_id(),
                        feed,
                        seq,
                        learner,
                        device,
                        seq,
                        f"{1796115600000 + seq:015d}.000000",
                        "attempt",
                        payload,
                        received,
                    )
                t0 = time.perf_counter()
                cursor = conn.execute(sql, params, prepare=True)
                out.append((t0, time.perf_counter(), cursor.rowcount))
        except psycopg.Error as exc:
            errors.append(str(exc))

    threads = [
        threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(connections)
    ]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    stop_at[0] = start + WARMUP + duration
    ready.wait()
    time.sleep(WARMUP)
    a = cpu_sample([])
    time.sleep(duration)
    b = cpu_sample([])
    for thread in threads:
        thread.join()
    for conn in connections:
        conn.close()
    flat = [s for per in spans for s in per]
    rate, lat, count = window_stats(flat, a.at, b.at)
    if errors:
        notes.append(f"{len(errors)} connections failed: {errors[0][:200]}")
    return Result(
        "(a) ceiling: raw INSERT … ON CONFLICT DO NOTHING",
        f"{len(connections)} connections",
        rate,
        pct(lat, 50),
        pct(lat, 99),
        count,
        CpuUse.between(a, b),
        notes,
    )


# -- the server and the learners -------------------------------------------------------------


class Servers:
    """`python -m sync.server serve --workers W` processes (each on its own port)."""

    def __init__(self, url: str, count: int, workers: int, tmp: Path) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []
        self.urls: list[str] = []
        self.logs: list[Path] = []
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": url,
                "SSOC_PACKS_DIR": str(tmp / "packs"),
                "SSOC_RATE_PER_MINUTE": "1000000",  # counted as always, never refused
            }
        )
        for _ in range(count):
            port = free_port()
            log = tmp / f"server-{port}.log"
            self.logs.append(log)
            command = [sys.executable, "-m", "sync.server", "serve", "--port", str(port)]
            command += ["--workers", str(workers)]
            with log.open("wb") as out:
                self.processes.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                )
            self.urls.append(f"http://127.0.0.1:{port}")
        for process, base, log in zip(self.processes, self.urls, self.logs, strict=True):
            self._wait(process, base, log)

    @staticmethod
    def _wait(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start in 60 s")

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class Learner:
    username: str
    learner_id: str
    device_id: str
    base: str
    headers: dict[str, str] = field(default_factory=dict)
    raw_headers: bytes = b""  # the same, as HTTP header lines
    seq: int = 0
    busy: int = 0  # pushes under way

    def batch(self, size: int) -> tuple[list[str], bytes]:
        """`size` new events as the request body. Filled into a JSON template (the same bytes
        json.dumps gives) so that the load generator spends little CPU per request."""
        template = _event_template(self.learner_id, self.device_id)
        ids, parts = [], []
        for _ in range(size):
            self.seq += 1
            seq = self.seq
            ids.append(fast_uuid(7))
            parts.append(
                template
                % (
                    ids[-1],
                    seq,
                    1796115600000 + seq,
                    fast_uuid(4),
                    seq % 12 + 1,
                    seq % 17 + 1,
                    "false" if seq % 5 == 0 else "true",
                    seq // 60 % 60,
                    seq % 60,
                )
            )
        return ids, ('{"events": [' + ", ".join(parts) + "]}").encode()


_TEMPLATES: dict[tuple[str, str], str] = {}


def _event_template(learner_id: str, device_id: str) -> str:
    key = (learner_id, device_id)
    if key not in _TEMPLATES:
        payload = attempt_payload(0)
        payload.update(
            id="@PID@",
            unit_id="u@UNIT@",
            exercise_id="e@EX@",
            correct="@OK@",
            answered_at="2026-12-01T09:@MM@:@SS@+00:00",
        )
        sample = {
            "id": "@ID@",
            "learner_id": learner_id,
            "device_id": device_id,
            "device_seq": "@SEQ@",
            "hlc": "@HLC@.000000",
            "type": "attempt",
            "payload": payload,
        }
        text = json.dumps(sample).replace("%", "%%")
        for mark, fmt in (
            ('"@SEQ@"', "%d"),
            ('"@OK@"', "%s"),
            ("@ID@", "%s"),
            ("@HLC@", "%015d"),
            ("@PID@", "%s"),
            ("@UNIT@", "%02d"),
            ("@EX@", "%02d"),
            ("@MM@", "%02d"),
            ("@SS@", "%02d"),
        ):
            text = text.replace(mark, fmt)
        _TEMPLATES[key] = text
    return _TEMPLATES[key]


def fast_uuid(version: int) -> str:
    """A random UUID string of this version (cheaper than uuid.uuid4())."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-{version}{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def make_learners(engine: Engine, count: int, bases: list[str]) -> list[Learner]:
    """Accounts made with store.create_user, each device enrolled through POST /v1/devices."""
    factory = sessions(engine)
    run = uuid.uuid4().hex[:6]

    def one(i: int) -> Learner:
        name = f"bench-{run}-{i:04d}"
        with factory.begin() as session:
            user = create_user(session, name, PASSWORD, "learner")
            return Learner(name, user.id, f"dev-{run}-{i:04d}", bases[i % len(bases)])

    with ThreadPoolExecutor(4) as pool:  # argon2 hashing releases the GIL
        learners = list(pool.map(one, range(count)))

    async def enrol_all() -> None:
        limit = asyncio.Semaphore(4)
        async with httpx.AsyncClient(timeout=60) as client:

            async def enrol(learner: Learner) -> None:
                async with limit:
                    response = await client.post(
                        f"{learner.base}/v1/devices",
                        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
                        json={
                            "username": learner.username,
                            "password": PASSWORD,
                            "device_id": learner.device_id,
                            "device_name": "bench",
                        },
                    )
                    response.raise_for_status()
                    learner.headers = {
                        PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                        "Authorization": f"Bearer {response.json()['access_token']}",
                        "Content-Type": "application/json",
                    }
                    learner.raw_headers = "".join(
                        f"{name}: {value}\r\n" for name, value in learner.headers.items()
                    ).encode()

            await asyncio.gather(*(enrol(learner) for learner in learners))

    run_async(enrol_all())
    return learners


@dataclass
class Ledger:
    """What the server acknowledged, to be checked against the database."""

    acked: set[str] = field(default_factory=set)
    sent_events: int = 0
    rejected: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    abandoned: int = 0  # events in requests given up on (they may or may not be stored)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def push(client: RawHttp, learner: Learner, batch: int, ledger: Ledger) -> tuple[float, int]:
    """One batch, re-sent (same ids, as the app's outbox would) until acknowledged.
    Returns (when the batch was first sent, events acknowledged)."""
    ids, body = learner.batch(batch)
    ledger.sent_events += len(ids)
    started = time.perf_counter()
    for attempt in range(10):
        if attempt:
            ledger.retries += 1
            await asyncio.sleep(0.5)
        try:
            status, answer = await client.post(b"/v1/events", learner.raw_headers, body)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            ledger.error(type(exc).__name__)
            continue
        if status != 200:
            ledger.error(f"HTTP {status}")
            continue
        data = json.loads(answer)
        ledger.acked.update(data["acks"])
        ledger.rejected += len(data["rejected"])
        return started, len(data["acks"])
    return started, 0


class RawHttp:
    """A minimal HTTP/1.1 keep-alive client for the pushes: pre-built header bytes, the body
    as bytes, `Content-Length` framing. It costs the load generator a small fraction of what
    httpx does per request (measured: 4.4 CPU ms per request with httpx), so the machine's
    two cores go to the server and PostgreSQL. Up to `connections` requests at once, each on
    its own connection; a broken connection is dropped and a new one opened on the next try."""

    def __init__(self, base: str, connections: int) -> None:
        host, _, port = base.removeprefix("http://").partition(":")
        self.host, self.port = host, int(port)
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(connections)

    async def post(self, path: bytes, headers: bytes, body: bytes) -> tuple[int, bytes]:
        async with self.slots:
            if self.idle:
                reader, writer = self.idle.pop()
            else:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            try:
                writer.write(
                    b"POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n"
                    % (path, self.host.encode(), len(body), headers)
                    + body
                )
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                answer = await reader.readexactly(length)
            except BaseException:
                writer.close()
                raise
            self.idle.append((reader, writer))
            return status, answer

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


class LoopLag:
    """How late this process's event loop wakes up from a 10 ms sleep: a starved or overloaded
    load generator shows here (busy with its own work, or not given the CPU)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(0.01)
            self.samples.append((time.perf_counter() - t0 - 0.01) * 1000)

    def stop(self) -> str:
        self.task.cancel()
        return (
            f"client event-loop lag (10 ms timer) p50/p99/max {pct(self.samples, 50):.1f}/"
            f"{pct(self.samples, 99):.1f}/{max(self.samples, default=0):.1f} ms"
        )


@contextmanager
def device_clients(learners: list[Learner], connections: int) -> Iterator[dict[str, RawHttp]]:
    """One client per simulated device, each with its own keep-alive connections."""
    clients = {learner.device_id: RawHttp(learner.base, connections) for learner in learners}
    try:
        yield clients
    finally:
        for client in clients.values():
            client.close()


async def closed_loop(
    learners: list[Learner], batch: int, duration: float, server_pids: list[int]
) -> tuple[Result, Ledger]:
    ledger = Ledger()
    spans: list[tuple[float, float, int]] = []
    with device_clients(learners, 1) as clients:
        stop_at = time.perf_counter() + WARMUP + duration
        lag = LoopLag()

        async def learner_loop(learner: Learner) -> None:
            client = clients[learner.device_id]
            while time.perf_counter() < stop_at:
                started, acked = await push(client, learner, batch, ledger)
                spans.append((started, time.perf_counter(), acked))

        tasks = [asyncio.create_task(learner_loop(learner)) for learner in learners]
        await asyncio.sleep(WARMUP)
        a = cpu_sample(server_pids)
        await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
        b = cpu_sample(server_pids)
        lagged = lag.stop()
        await asyncio.gather(*tasks)
    rate, lat, count = window_stats(spans, a.at, b.at)
    result = Result(
        "(b) POST /v1/events, closed loop",
        f"{len(learners)} learners",
        rate,
        pct(lat, 50),
        pct(lat, 99),
        count,
        CpuUse.between(a, b),
        [lagged],
    )
    return result, ledger


async def open_loop(
    learners: list[Learner],
    batch: int,
    duration: float,
    offered_events: float,
    server_pids: list[int],
    name: str = "(c) POST /v1/events, open loop",
) -> tuple[Result, Ledger]:
    """Requests on a fixed clock; each one's latency counts from when it was due. Requests still
    unanswered DRAIN seconds after the last one was due are abandoned (counted as infinitely
    late), so an overloaded server cannot stretch the run without end."""
    ledger = Ledger()
    rate = offered_events / batch  # requests per second
    total = max(1, int(rate * duration))
    latencies: list[float] = []
    lateness: list[float] = []
    completed: list[float] = []
    overlapped = [0]
    with device_clients(learners, 8) as clients:

        async def scheduled(learner: Learner, due: float) -> None:
            lateness.append((time.perf_counter() - due) * 1000)
            if learner.busy:  # this learner's previous push has not come back yet
                overlapped[0] += 1
            learner.busy += 1
            try:
                await push(clients[learner.device_id], learner, batch, ledger)
            finally:
                learner.busy -= 1
            done = time.perf_counter()
            latencies.append((done - due) * 1000)
            completed.append(done)

        lag = LoopLag()
        start = time.perf_counter() + 0.2
        a = None
        tasks = []
        for k in range(total):
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if a is None:
                a = cpu_sample(server_pids)
            learner = learners[k % len(learners)]
            tasks.append(asyncio.create_task(scheduled(learner, due)))
        b = cpu_sample(server_pids)
        lagged = lag.stop()
        _, pending = await asyncio.wait(tasks, timeout=DRAIN)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        abandoned = len(pending)
        latencies += [float("inf")] * abandoned
        ledger.abandoned = abandoned * batch
    assert a is not None
    last = max(completed) if completed else time.perf_counter()
    if abandoned:
        last = max(last, start + duration + DRAIN)
    achieved = len(ledger.acked) / (last - start)
    notes = [
        f"offered {offered_events:,.0f} events/s ({rate:.1f} requests/s, {total} requests "
        f"over {duration:.0f} s); achieved {achieved:,.0f} events/s "
        f"(acknowledged events / time from the first scheduled send to the last answer, "
        f"{last - start:.1f} s)"
        + (
            f"; {abandoned} requests still unanswered {DRAIN:.0f} s after the last was due "
            "were abandoned and count as infinitely late"
            if abandoned
            else ""
        ),
        f"client send lateness p50/p99 {pct(lateness, 50):.1f}/{pct(lateness, 99):.1f} ms, "
        f"{overlapped[0]} sends found the same learner's previous push still open",
        lagged,
    ]
    result = Result(
        name,
        f"{rate:.1f} requests/s offered",
        achieved,
        pct(latencies, 50),
        pct(latencies, 99),
        len(latencies),
        CpuUse.between(a, b),
        notes,
        {"offered": offered_events, "achieved": achieved, "abandoned": abandoned},
    )
    return result, ledger


def verify(engine: Engine, ledger: Ledger) -> str:
    """Every acknowledged id stored exactly once; no stored event left unacknowledged; every
    feed's sequence numbers contiguous. Waits first until the server has stopped writing (it
    finishes requests whose client gave up)."""
    count = text("SELECT count(*) FROM events")
    previous, deadline = -1, time.monotonic() + 120
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            now_count = connection.execute(count).scalar_one()
        if now_count == previous:
            break
        previous = now_count
        time.sleep(2)
    with engine.connect() as connection:
        rows, distinct = connection.execute(
            text("SELECT count(*), count(DISTINCT id) FROM events")
        ).one()
        stored = {r[0] for r in connection.execute(text("SELECT id FROM events"))}
        gaps = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT feed FROM events GROUP BY feed "
                "HAVING max(seq) - min(seq) + 1 <> count(*)) AS g"
            )
        ).scalar_one()
    lost = len(ledger.acked - stored)
    unacked = len(stored - ledger.acked)
    errors = ", ".join(f"{k} x{v}" for k, v in sorted(ledger.errors.items())) or "none"
    fine = lost == 0 and rows == distinct and not gaps and unacked <= ledger.abandoned
    verdict = "OK" if fine else "FAIL"
    abandoned = f", {ledger.abandoned:,} in abandoned requests" if ledger.abandoned else ""
    return (
        f"{verdict}: {ledger.sent_events:,} events sent{abandoned}, "
        f"{len(ledger.acked):,} acknowledged, "
        f"{rows:,} rows / {distinct:,} distinct ids in the database, {lost} acknowledged but "
        f"missing, {unacked} stored but never acknowledged, {rows - distinct} duplicated, "
        f"{gaps} feeds with gaps in seq; {ledger.rejected} rejected, errors {errors}, "
        f"{ledger.retries} re-sends"
    )


# -- where one request's time goes (in-process, no HTTP) -------------------------------------


def anatomy(
    url: str, engine: Engine, learner: Learner, batch: int, rounds: int
) -> list[tuple[str, float, float]]:
    """(step, median wall ms, median CPU ms of this thread) of each step of a push, done as
    app.push_events does it, one request at a time, in this process (no HTTP). The push step's
    CPU is the Python part (checks, canonical JSON, binary arrays, psycopg); its wall time less
    its CPU is the round trip and PostgreSQL's work."""
    from pydantic import TypeAdapter

    from sync.protocol import PushRequest, PushResponse
    from sync.server import store
    from sync.server.app import Context, Settings, _claims
    from sync.server.db import shared_secret
    from sync.server.security import Signer

    factory = sessions(engine)
    settings = Settings(database_url=str(engine.url), rate_per_minute=10**9)
    ctx = Context(settings, factory, Signer(shared_secret(factory)))
    token = learner.headers["Authorization"]
    response_adapter = TypeAdapter(PushResponse)
    steps: dict[str, list[tuple[float, float]]] = {}
    loop = asyncio.new_event_loop()
    connection = loop.run_until_complete(psycopg.AsyncConnection.connect(url, autocommit=True))

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        value = fn()
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        steps.setdefault(name, []).append((wall * 1000, cpu * 1000))
        return value

    for _ in range(rounds):
        _, body = learner.batch(batch)
        wall, cpu = time.perf_counter(), time.thread_time()
        user_id, device_id = timed("token: HMAC check (no database)", lambda: _claims(ctx, token))
        request = timed(
            f"body: parsed and validated from bytes, {batch} events (model_validate_json)",
            lambda b=body: PushRequest.model_validate_json(b),
        )
        acks, rejected = timed(
            "push: checks, canonical JSON, binary arrays, one call of ssoc_push (rate window, "
            "device, feed lock, insert, commit: one round trip)",
            lambda r=request, u=user_id, d=device_id: loop.run_until_complete(
                store.push_in_one_statement(connection, u, d, r.events, 10**9, time.time())
            ),
        )
        timed(
            "response: PushResponse validated and dumped as FastAPI does",
            lambda a=acks, r=rejected: response_adapter.dump_json(
                response_adapter.validate_python(PushResponse(acks=a, rejected=r))
            ),
        )
        steps.setdefault("total, in-process", []).append(
            ((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000)
        )
    loop.run_until_complete(connection.close())
    loop.close()
    return [
        (name, statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in steps.items()
    ]


async def sequential_latency(learner: Learner, batch: int, rounds: int) -> float:
    """Median ms of one push over HTTP with nothing else running (one client, keep-alive)."""
    ledger = Ledger()
    times = []
    client = RawHttp(learner.base, 1)
    for _ in range(rounds):
        started, _ = await push(client, learner, batch, ledger)
        times.append((time.perf_counter() - started) * 1000)
    client.close()
    return statistics.median(times[2:] or times)


# -- the run ---------------------------------------------------------------------------------


@contextmanager
def fresh_schema(admin_url: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{admin_url}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def vacuum(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE events")
        conn.execute("VACUUM ANALYZE events")
        conn.execute("CHECKPOINT")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of each measurement")
    parser.add_argument("--learners", type=int, default=100, help="simulated learners in (b)")
    parser.add_argument("--batch", type=int, default=100, help="events per batch / request")
    parser.add_argument("--connections", default="8,32,100", help="(a): connection counts")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn --workers per server")
    parser.add_argument("--servers", type=int, default=1, help="server processes (own ports)")
    parser.add_argument("--offered", type=float, help="(c) events/s (default: ceiling / 2)")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    if args.quick:
        args.duration = min(args.duration, 4)
        args.learners = min(args.learners, 20)
    levels = [int(x) for x in args.connections.split(",")]

    uptime_before = sh("uptime")
    load_samples = [loadavg()]
    started = time.time()
    results: list[Result] = []
    checks: dict[str, str] = {}
    parts: list[tuple[str, float, float]] = []
    single = float("nan")
    print(f"uptime before: {uptime_before}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp, fresh_schema(PG_URL) as url:
        engine = make_engine(url)
        migrate(engine)
        for conns in levels:
            vacuum(url)
            result = ceiling(url, conns, args.batch, args.duration)
            results.append(result)
            load_samples.append(loadavg())
            print(f"{result.setup}: {result.events_per_s:,.0f} events/s", flush=True)
        best = max(r.events_per_s for r in results)
        vacuum(url)

        servers = Servers(url, args.servers, args.workers, Path(tmp))
        try:
            learners = make_learners(engine, args.learners, servers.urls)
            print(f"{len(learners)} learners enrolled", flush=True)
            setup = (
                f"{args.servers} x `serve --workers {args.workers}`, "
                f"{len(learners)} learners x {args.batch} events"
            )
            result, ledger = run_async(
                closed_loop(learners, args.batch, args.duration, servers.pids)
            )
            result.setup = setup
            results.append(result)
            load_samples.append(loadavg())
            checks["b"] = verify(engine, ledger)
            print(f"(b): {result.events_per_s:,.0f} events/s; {checks['b']}", flush=True)

            vacuum(url)
            offered = args.offered or best / 2
            result, ledger = run_async(
                open_loop(learners, args.batch, args.duration, offered, servers.pids)
            )
            result.setup = f"{setup}; {result.setup}"
            results.append(result)
            load_samples.append(loadavg())
            checks["c"] = verify(engine, ledger)
            print(f"(c): {result.notes[0]}; {checks['c']}", flush=True)

            # The same open loop at a rate this server can carry: half of what (b) measured.
            vacuum(url)
            sustainable = results[-2].events_per_s / 2
            result, ledger = run_async(
                open_loop(
                    learners,
                    args.batch,
                    args.duration,
                    sustainable,
                    servers.pids,
                    "(c2) POST /v1/events, open loop at half of (b)",
                )
            )
            result.setup = f"{setup}; {result.setup}"
            results.append(result)
            load_samples.append(loadavg())
            checks["c2"] = verify(engine, ledger)
            print(f"(c2): {result.notes[0]}; {checks['c2']}", flush=True)

            single = run_async(sequential_latency(learners[0], args.batch, 20))
        finally:
            servers.stop()
        parts = anatomy(url, engine, learners[1], args.batch, 10 if args.quick else 40)
        engine.dispose()
    uptime_after = sh("uptime")
    print(f"uptime after: {uptime_after}\n", flush=True)

    report = render(
        args, results, checks, parts, single, best, uptime_before, uptime_after, load_samples
    )
    report += f"\nThe run took {time.time() - started:.0f} s.\n"
    print(report)
    if args.append:
        path = ROOT / "bench" / "RESULTS.md"
        with path.open("a", encoding="utf-8") as out:
            out.write("\n" + report)
        print(f"appended to {path}")
    return 0


def render(
    args: argparse.Namespace,
    results: list[Result],
    checks: dict[str, str],
    parts: list[tuple[str, float, float]],
    single: float,
    best: float,
    uptime_before: str,
    uptime_after: str,
    load_samples: list[float],
) -> str:
    with psycopg.connect(PG_URL) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        pg_settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
            for name in ("max_connections", "shared_buffers", "synchronous_commit", "fsync")
        }
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("fastapi", "uvicorn", "pydantic", "SQLAlchemy", "psycopg", "httpx")
    )
    command = " ".join([".venv/bin/python bench/sync_push.py", *sys.argv[1:]])
    lines = [
        f"## Sync push on PostgreSQL: ceiling, closed loop, open loop, {time.strftime('%Y-%m-%d')}",
        "",
        f"Machine: {os.cpu_count()} CPUs (`nproc`), {cpu_model()}, {ram_gib():.1f} GiB RAM, "
        f"Python {platform.python_version()}, PostgreSQL {pg_version} on the same machine "
        f"({', '.join(f'{k} {v}' for k, v in pg_settings.items())}), {versions}.",
        f"Command: `{command}` (measured windows of {args.duration:g} s after {WARMUP:g} s of "
        f"warm-up; batches of {args.batch} events).",
        f"`uptime` before: `{uptime_before}`; after: `{uptime_after}`.",
    ]
    if max(load_samples) > (os.cpu_count() or 1):
        lines.append(
            f"**Other processes were running on the machine**: the 1-minute load average was "
            f"{min(load_samples):.1f}-{max(load_samples):.1f} during the run on "
            f"{os.cpu_count()} CPUs (see `other` in the CPU column: cores used by processes "
            f"that are neither this benchmark, the server nor PostgreSQL)."
        )
    lines += [
        "",
        "| measure | setup | events/s | p50 ms | p99 ms | batches / requests | CPU cores used "
        "(client / server / PostgreSQL / other / idle) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        cpu = r.cpu
        lines.append(
            f"| {r.name} | {r.setup} | {r.events_per_s:,.0f} | {fmt_ms(r.p50_ms)} "
            f"| {fmt_ms(r.p99_ms)} "
            f"| {r.requests:,} | {cpu.client:.2f} / {cpu.server:.2f} / {cpu.postgres:.2f} / "
            f"{cpu.other:.2f} / {cpu.idle:.2f} |"
        )
    closed = next((r for r in results if r.name.startswith("(b)")), None)
    opened = next((r for r in results if r.name.startswith("(c) ")), None)
    lines.append("")
    if closed:
        share = closed.events_per_s / best
        lines.append(
            f"- Target (b) ≥ half the ceiling ({best / 2:,.0f} events/s): "
            f"{closed.events_per_s:,.0f} events/s = {share:.0%} of the best ceiling: "
            f"**{'met' if share >= 0.5 else 'not met'}**."
        )
    if opened:
        achieved = opened.extra["achieved"] / opened.extra["offered"]
        met = opened.p99_ms < 250 and achieved > 0.95
        lines.append(
            f"- Target (c) p99 < 250 ms at {opened.extra['offered']:,.0f} events/s offered: "
            f"p99 {fmt_ms(opened.p99_ms)} ms, achieved {achieved:.0%} of the offered rate: "
            f"**{'met' if met else 'not met'}**."
        )
    for r in results:
        for note in r.notes:
            lines.append(f"- {r.name}: {note}")
    for phase, check in checks.items():
        lines.append(f"- Lost/duplicated check after ({phase}): {check}.")
    if closed:
        per_s = max(closed.events_per_s / args.batch, 1e-9)
        lines.append(
            f"- Load generator (b): {closed.cpu.client:.2f} of a core for {per_s:,.0f} "
            f"requests/s ({1000 * closed.cpu.client / per_s:.1f} CPU ms per request); server "
            f"{1000 * closed.cpu.server / per_s:.1f} CPU ms and PostgreSQL "
            f"{1000 * closed.cpu.postgres / per_s:.1f} CPU ms per request."
        )
    ceilings = [r for r in results if r.name.startswith("(a)")]
    if ceilings:
        top = max(ceilings, key=lambda r: r.events_per_s)
        per = top.events_per_s / args.batch
        lines.append(
            f"- Ceiling at {top.setup}: PostgreSQL {1000 * top.cpu.postgres / per:.1f} CPU ms "
            f"and the client {1000 * top.cpu.client / per:.1f} CPU ms per {args.batch}-row batch."
        )
    if parts:
        lines += [
            "",
            f"One push of {args.batch} events taken apart in-process (median of "
            f"{10 if args.quick else 40}, one at a time, after the server was stopped; CPU is "
            f"this thread's own, so it does not grow when the machine is busy, wall does; the "
            f"same push over HTTP with nothing else of ours running took {single:.1f} ms):",
            "",
            "| step | wall ms | CPU ms |",
            "|---|---|---|",
        ]
        lines += [f"| {name} | {wall:.2f} | {cpu:.2f} |" for name, wall, cpu in parts]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
