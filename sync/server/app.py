"""The city platform's HTTP API (FastAPI). Stateless: every request reads what it needs from
the database, so any number of replicas can run behind a load balancer.

The generated OpenAPI document is at /openapi.json and browsable at /docs.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import psycopg
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import (
    MAX_PAGE,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    Catalog,
    EnrolRequest,
    PackInfo,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    RegisterRequest,
    Rejection,
    Tokens,
)
from sync.protocol import StoredEvent as WireEvent
from sync.server import store
from sync.server.db import make_engine, sessions, shared_secret
from sync.server.models import Device, StoredEvent, User
from sync.server.security import BadSignature, Signer, check_password, digest, new_refresh_token


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///ssoc-server.db"
    packs_dir: Path = Path("packs")
    access_ttl: int = 900  # seconds an access token lives
    rate_per_minute: int = 600  # requests per device per minute
    max_body: int = 2 * 1024 * 1024  # bytes
    open_registration: bool = True  # learners may create their own account

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL", cls.database_url),
            packs_dir=Path(env.get("SSOC_PACKS_DIR", str(cls.packs_dir))),
            access_ttl=int(env.get("SSOC_ACCESS_TTL", cls.access_ttl)),
            rate_per_minute=int(env.get("SSOC_RATE_PER_MINUTE", cls.rate_per_minute)),
            max_body=int(env.get("SSOC_MAX_BODY", cls.max_body)),
            open_registration=env.get("SSOC_OPEN_REGISTRATION", "1") != "0",
        )


class ApiError(HTTPException):
    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None):
        super().__init__(status, detail, headers)
        self.error = error


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, before the app reads them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(self.limit, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(self.limit, send)


class _TooLarge(Exception):
    pass


async def _too_large(limit: int, send: Send) -> None:
    body = json.dumps(
        {"error": "too_large", "detail": f"the request body is over {limit} bytes"}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


@dataclass
class Context:
    settings: Settings
    factory: sessionmaker[Session]
    signer: Signer
    clock: Callable[[], float] = field(default=time.time)
    push_connections: PushConnections | None = None  # PostgreSQL only


@dataclass(frozen=True)
class Caller:
    user: User
    device: Device


def _ctx(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def _check_protocol(version: str | None) -> int:
    number = int(version) if version and version.isdigit() else 0
    if number < MIN_PROTOCOL_VERSION:
        raise ApiError(
            426,
            "upgrade_required",
            f"this app is too old for the server (protocol {number}, the server needs "
            f"{MIN_PROTOCOL_VERSION}-{PROTOCOL_VERSION}): update the app; nothing you "
            "studied is lost, it stays on the device until then",
            {"Upgrade": f"ssoc/{PROTOCOL_VERSION}"},
        )
    return number


async def _protocol(  # async: FastAPI would run a plain def in a worker thread
    version: Annotated[str | None, Header(alias=PROTOCOL_HEADER)] = None,
) -> int:
    return _check_protocol(version)


Auth = Annotated[str | None, Header(alias="Authorization")]


@contextmanager
def _transaction(request: Request) -> Iterator[Session]:
    """One session, one transaction, one connection for a request, committed on success.

    Opened and closed inside the endpoint's own worker thread: a connection never waits for
    a free thread to be given back (with a small pool that would starve under load)."""
    with _ctx(request).factory.begin() as session:
        yield session


@contextmanager
def _authed(request: Request, authorization: str | None) -> Iterator[tuple[Session, Caller]]:
    with _transaction(request) as session:
        yield session, _caller(_ctx(request), session, authorization)


def _claims(ctx: Context, authorization: str | None) -> tuple[str, str]:
    """(user id, device id) of a valid, unexpired access token; no database needed."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthenticated", "sign in: no access token was sent")
    try:
        claims = ctx.signer.verify("access", token)
    except BadSignature:
        raise ApiError(401, "unauthenticated", "the access token is not valid") from None
    if float(claims.get("exp", 0)) < ctx.clock():
        raise ApiError(401, "token_expired", "the access token has expired; refresh it")
    return str(claims.get("u")), str(claims.get("d"))


def _caller(ctx: Context, session: Session, authorization: str | None) -> Caller:
    user_id, device_id = _claims(ctx, authorization)
    user, device = store.admit(
        session, device_id, user_id, ctx.settings.rate_per_minute, ctx.clock()
    )
    return Caller(user, device)


PUSH_POOL_SIZE = 10  # PostgreSQL connections per worker process for pushes (see db.py for the rest)
POOL_WAIT = 10.0  # seconds a push waits for a connection before answering 503


class PushConnections:
    """PostgreSQL connections for the push endpoint: psycopg's async pool, in autocommit mode
    (`ssoc_push` is then its own transaction), used from the event loop itself, so a push takes
    no worker thread. Opened at the first push, because a pool belongs to one event loop."""

    def __init__(self, url: str, size: int) -> None:
        self.conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.size = size
        self.pool: AsyncConnectionPool | None = None
        self.opening = asyncio.Lock()

    async def get(self) -> AsyncConnectionPool:
        if self.pool is not None:
            return self.pool
        async with self.opening:
            if self.pool is None:
                pool = AsyncConnectionPool(
                    self.conninfo,
                    min_size=1,
                    max_size=self.size,
                    kwargs={"autocommit": True},
                    timeout=POOL_WAIT,
                    open=False,
                )
                await pool.open()
                self.pool = pool
        return self.pool

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self.pool = None


async def _push(ctx: Context, user_id: str, device_id: str, body: bytes) -> PushResponse:
    """Validate the batch, admit the device and store the batch, committed before the answer is
    sent (an ack means stored). PostgreSQL does it in one statement; SQLite in Python, in one
    transaction, in a worker thread. Raises ValidationError, Denied or ApiError.

    The body is parsed and validated from its bytes in one step (pydantic-core), not json.loads
    into Python objects first: about half the CPU for a 100-event batch."""
    events = PushRequest.model_validate_json(body).events
    per_minute, moment = ctx.settings.rate_per_minute, ctx.clock()
    if ctx.push_connections is not None:
        pool = await ctx.push_connections.get()
        for attempt in (1, 2):
            try:
                async with pool.connection() as connection:
                    acks, rejected = await store.push_in_one_statement(
                        connection, user_id, device_id, events, per_minute, moment
                    )
                break
            except psycopg.OperationalError:
                # A pooled connection broken since its last use (PostgreSQL restarted): the
                # pool drops it. A push is idempotent, so once more, on a fresh connection.
                if attempt == 2:
                    raise
    else:

        def in_sqlite() -> tuple[list[str], list[Rejection]]:
            with ctx.factory.begin() as session:
                store.admit(session, device_id, user_id, per_minute, moment)
                return store.push(session, user_id, device_id, events)

        acks, rejected = await run_in_threadpool(in_sqlite)
    return PushResponse(acks=acks, rejected=rejected)


class FastPush:
    """POST /v1/events, the endpoint that carries the load, answered in front of FastAPI's
    routing: no dependency solving, response validation or route matching per request, which
    cost about a third of the server's CPU per push. The checks, their order and the answers
    are those of the documented route in create_app (kept for /openapi.json and served only
    without this in front): protocol header (426), access token (401), body (422), device and
    rate limit (401, 429). BodyLimit, outside this, answers 413."""

    def __init__(self, app: ASGIApp, ctx: Context) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/v1/events" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {name: value.decode("latin-1") for name, value in scope["headers"]}
        try:
            _check_protocol(headers.get(_PROTOCOL_KEY))
            user_id, device_id = _claims(self.ctx, headers.get(b"authorization"))
            body = await _read_body(receive)
            if body is None:  # the client went away
                return
            answer = await _push(self.ctx, user_id, device_id, body)
            response: Response = Response(answer.model_dump_json(), media_type="application/json")
        except (ApiError, store.Denied, ValidationError) as exc:
            response = _problem(exc)
        except (PoolTimeout, psycopg.OperationalError):
            response = JSONResponse(
                {"error": "unavailable", "detail": "the server cannot reach its database now"},
                503,
                headers={"Retry-After": "10"},
            )
        await response(scope, receive, send)


_PROTOCOL_KEY = PROTOCOL_HEADER.lower().encode()


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _problem(exc: ApiError | store.Denied | ValidationError) -> JSONResponse:
    """The `{error, detail}` answer to a refused request."""
    if isinstance(exc, ApiError):
        return JSONResponse(
            {"error": exc.error, "detail": exc.detail}, exc.status_code, headers=exc.headers
        )
    if isinstance(exc, store.Denied):
        status, detail = _DENIED[exc.reason]
        headers = {"Retry-After": str(exc.retry_after)} if exc.reason == "rate_limited" else None
        return JSONResponse({"error": exc.reason, "detail": detail}, status, headers=headers)
    # Located like FastAPI's own 422s for every other endpoint: "body.events.0.id: …".
    return _invalid_request(
        [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
    )


def _invalid_request(errors: Sequence[Any]) -> JSONResponse:
    problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[:20]]
    return JSONResponse({"error": "invalid_request", "detail": "; ".join(problems)}, 422)


_DENIED = {
    "rate_limited": (429, "too many requests from this device; wait and try again"),
    "device_revoked": (401, "this device was signed out; sign in again"),
    "unauthenticated": (401, "the account no longer exists"),
}


V1 = [Depends(_protocol)]


def _inline_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its `$defs` written in place, for an OpenAPI requestBody
    (where `#/$defs/...` would point at the root of the OpenAPI document)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


_PUSH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inline_schema(PushRequest.model_json_schema())}
        },
    }
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    factory = sessions(engine)
    ctx = Context(settings, factory, Signer(shared_secret(factory)))
    if engine.dialect.name == "postgresql":
        ctx.push_connections = PushConnections(settings.database_url, PUSH_POOL_SIZE)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if ctx.push_connections is not None:
            await ctx.push_connections.close()
        engine.dispose()

    api = FastAPI(
        lifespan=lifespan,
        title="SSOC Korean platform",
        version=str(PROTOCOL_VERSION),
        description="Sync, accounts and course packs for the SSOC Korean app. Every /v1 "
        f"request carries the header {PROTOCOL_HEADER}.",
    )
    api.state.ctx = ctx

    @api.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _problem(exc)

    @api.exception_handler(store.Denied)
    async def _denied(_: Request, exc: store.Denied) -> JSONResponse:
        return _problem(exc)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid_request(exc.errors())

    def tokens_for(session: Session, user: User, device: Device) -> Tokens:
        refresh = new_refresh_token()
        device.refresh_hash = digest(refresh)
        access = ctx.signer.sign(
            "access",
            {"u": user.id, "d": device.id, "exp": ctx.clock() + ctx.settings.access_ttl},
        )
        return Tokens(
            access_token=access,
            refresh_token=refresh,
            expires_in=ctx.settings.access_ttl,
            learner_id=user.id,
            role=user.role,
        )

    @api.post("/v1/accounts", dependencies=V1, status_code=201, tags=["accounts"])
    def register(body: RegisterRequest, request: Request) -> dict[str, str]:
        """Create a learner account (when the city allows open registration)."""
        with _transaction(request) as session:
            if not ctx.settings.open_registration:
                raise ApiError(403, "registration_closed", "ask your tutor for an account")
            try:
                user = store.create_user(session, body.username, body.password, "learner")
            except store.AccountError as exc:
                raise ApiError(409, "username_taken", str(exc)) from None
            return {"learner_id": user.id, "username": user.username}

    @api.post("/v1/devices", dependencies=V1, tags=["accounts"])
    def enrol(body: EnrolRequest, request: Request) -> Tokens:
        """Sign a device in: a short-lived access token and a revocable refresh token."""
        with _transaction(request) as session:
            user = session.scalar(select(User).where(User.username == body.username))
            if user is None or not check_password(user.password_hash, body.password):
                raise ApiError(401, "bad_credentials", "the username or password is wrong")
            device = session.get(Device, body.device_id)
            if device is not None and device.user_id != user.id:
                raise ApiError(409, "device_taken", "this device is signed in to another account")
            if device is None:
                device = Device(
                    id=body.device_id,
                    user_id=user.id,
                    name=body.device_name,
                    refresh_hash="",
                    created_at=store.now(),
                )
                session.add(device)
            device.revoked_at = None
            return tokens_for(session, user, device)

    @api.post("/v1/devices/refresh", dependencies=V1, tags=["accounts"])
    def refresh(body: RefreshRequest, request: Request) -> Tokens:
        """A new access token (and a new refresh token; the old one stops working)."""
        with _transaction(request) as session:
            device = session.scalar(
                select(Device).where(Device.refresh_hash == digest(body.refresh_token))
            )
            if device is None or device.revoked_at is not None:
                raise ApiError(401, "device_revoked", "this device was signed out; sign in again")
            user = session.get(User, device.user_id)
            assert user is not None
            return tokens_for(session, user, device)

    @api.post("/v1/devices/revoke", dependencies=V1, tags=["accounts"])
    def revoke(
        request: Request,
        authorization: Auth = None,
        device_id: Annotated[str | None, Query()] = None,
    ) -> dict[str, str]:
        """Sign a device out (this one, or another of my devices)."""
        with _authed(request, authorization) as (session, me):
            target = session.get(Device, device_id or me.device.id)
            if target is None or target.user_id != me.user.id:
                raise ApiError(404, "not_found", "no such device of yours")
            target.revoked_at = store.now()
            return {"revoked": target.id}

    @api.post(
        "/v1/events",
        dependencies=V1,
        tags=["sync"],
        openapi_extra=_PUSH_BODY,
    )
    async def push_events(request: Request, authorization: Auth = None) -> PushResponse:
        """Store a batch (≤ 500) in one transaction; re-sending it returns the same acks."""
        # Served by FastPush in front of the app; this route documents the endpoint.
        user_id, device_id = _claims(ctx, authorization)
        try:
            return await _push(ctx, user_id, device_id, await request.body())
        except ValidationError as exc:
            return _problem(exc)  # type: ignore[return-value]

    @api.get("/v1/events", dependencies=V1, tags=["sync"])
    def pull_events(
        request: Request,
        authorization: Auth = None,
        scope: Annotated[str | None, Query(description="learner:<id>; default: mine")] = None,
        cursor: Annotated[str | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
    ) -> PullResponse:
        """Events after `cursor` in one learner's feed, oldest first."""
        with _authed(request, authorization) as (session, me):
            scope = scope or store.learner_feed(me.user.id)
            kind, _, learner_id = scope.partition(":")
            if kind != "learner" or not learner_id:
                raise ApiError(400, "invalid_scope", "scope must be learner:<id>")
            if not store.may_read(session, me.user, learner_id):
                raise ApiError(403, "forbidden", "you may not read this learner's progress")
            after = 0
            if cursor:
                try:
                    claims = ctx.signer.verify("cursor", cursor)
                except BadSignature:
                    raise ApiError(
                        400, "invalid_cursor", "the cursor was changed or is not ours"
                    ) from None
                if claims.get("f") != scope or not isinstance(claims.get("s"), int):
                    raise ApiError(400, "invalid_cursor", "the cursor belongs to another feed")
                after = claims["s"]
            rows, has_more = store.pull(session, scope, after, limit)
            last = rows[-1].seq if rows else after
            return PullResponse(
                events=[_wire(row) for row in rows],
                cursor=ctx.signer.sign("cursor", {"f": scope, "s": last}),
                has_more=has_more,
            )

    @api.get("/v1/classes/{class_id}/learners", dependencies=V1, tags=["classes"])
    def learners(
        class_id: str, request: Request, authorization: Auth = None
    ) -> list[dict[str, str]]:
        """A class's learners (for its tutors): pull their progress with scope learner:<id>."""
        with _authed(request, authorization) as (session, me):
            found = store.class_learners(session, me.user, class_id)
            if found is None:
                raise ApiError(403, "forbidden", "you are not a tutor of this class")
            return [{"learner_id": u.id, "username": u.username} for u in found]

    @api.get("/v1/me/export", dependencies=V1, tags=["privacy"])
    def export(request: Request, authorization: Auth = None) -> dict[str, Any]:
        """Everything the platform keeps about me."""
        with _authed(request, authorization) as (session, me):
            events = session.scalars(
                select(StoredEvent)
                .where(StoredEvent.learner_id == me.user.id)
                .order_by(StoredEvent.feed, StoredEvent.seq)
            )
            devices = session.scalars(select(Device).where(Device.user_id == me.user.id))
            return {
                "account": {
                    "learner_id": me.user.id,
                    "username": me.user.username,
                    "role": me.user.role,
                    "created_at": me.user.created_at.isoformat(),
                },
                "devices": [
                    {
                        "id": d.id,
                        "name": d.name,
                        "created_at": d.created_at.isoformat(),
                        "revoked": d.revoked_at is not None,
                    }
                    for d in devices
                ],
                "events": [_wire(row).model_dump() for row in events],
            }

    @api.delete("/v1/me", dependencies=V1, tags=["privacy"])
    def delete_me(request: Request, authorization: Auth = None) -> dict[str, int]:
        """Delete my account and everything kept about me."""
        with _authed(request, authorization) as (session, me):
            removed = store.delete_learner_data(session, me.user)
            return {"events_deleted": removed}

    @api.get("/v1/packs", dependencies=V1, tags=["content"])
    def packs() -> list[PackInfo]:
        """Published course packs (immutable files; the newest version of each course last)."""
        return _pack_index(ctx.settings.packs_dir)

    @api.get("/v1/catalog", dependencies=V1, tags=["content"])
    def catalog() -> Catalog:
        """The city's course catalog: each course's newest pack."""
        newest: dict[str, PackInfo] = {}
        for info in _pack_index(ctx.settings.packs_dir):
            if info.course not in newest or info.version > newest[info.course].version:
                newest[info.course] = info
        return Catalog(courses=sorted(newest.values(), key=lambda p: p.course))

    @api.get("/v1/packs/{name}", tags=["content"])
    def pack_file(name: str) -> FileResponse:
        """A pack file: immutable, with an ETag, resumable with Range requests."""
        index = {p.file: p for p in _pack_index(ctx.settings.packs_dir)}
        info = index.get(name)
        if info is None:
            raise ApiError(404, "not_found", f"no pack '{name}'")
        return FileResponse(
            ctx.settings.packs_dir / info.file,
            media_type="application/zip",
            headers={
                "ETag": f'"{info.sha256}"',
                "Cache-Control": "public, max-age=31536000, immutable",
            },
        )

    from sync.server.assignments import router as assignments  # imports this module

    api.include_router(assignments)
    api.add_middleware(FastPush, ctx=ctx)
    api.add_middleware(BodyLimit, limit=settings.max_body)  # the outer one: before FastPush
    return api


def _wire(row: StoredEvent) -> WireEvent:
    return WireEvent(
        id=row.id,
        learner_id=row.learner_id,
        device_id=row.device_id,
        device_seq=row.device_seq,
        hlc=row.hlc,
        type=row.type,  # type: ignore[arg-type]
        payload=json.loads(row.payload),
        seq=row.seq,
    )


def _pack_index(packs_dir: Path) -> list[PackInfo]:
    index = packs_dir / "index.json"
    if not index.is_file():
        return []
    return [PackInfo.model_validate(item) for item in json.loads(index.read_text("utf-8"))]
