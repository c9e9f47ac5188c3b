"""The app's sync engine: push the outbox until it is empty, then pull until done.

- Push sends the oldest 500 outbox events; acknowledged ones leave the outbox, refused ones are
  moved aside with the server's reason (never silently dropped). A lost response is harmless:
  re-sending the batch returns the same acks.
- Pull asks for the learner's feed after the stored cursor; each page is applied together with
  its new cursor in one local transaction, so a crash at any moment leaves cursor and data
  agreeing.
- Failures become a `SyncError` with a plain-words message for the learner; `SyncRunner` retries
  in the background with exponential backoff and jitter, and never blocks study.

Nothing is uploaded before the learner has agreed (`consent`), and the app works fully
without an account.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from sync.protocol import (
    MAX_BATCH,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    Assignment,
    AssignmentIn,
    AssignmentList,
    AssignmentStatus,
    ClassInfo,
)

SERVER_KEY = "sync.server"
LEARNER_KEY = "sync.learner_id"
USERNAME_KEY = "sync.username"
ACCESS_KEY = "sync.access"
REFRESH_KEY = "sync.refresh"
CONSENT_KEY = "sync.consent"
LAST_SYNCED_KEY = "sync.last_synced"
CURSOR_KEY = "sync.cursor"
ROLE_KEY = "sync.role"  # the signed-in account's role: learner, tutor or admin


class PendingEvent(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def device_seq(self) -> int: ...
    @property
    def hlc(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...


class SyncStore(Protocol):
    """What the engine needs from the app's store (app.store.repository.SqlStore)."""

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def device_id(self) -> str: ...
    def pending(self, limit: int) -> Sequence[PendingEvent]: ...
    def pending_count(self) -> int: ...
    def rejected_count(self) -> int: ...
    def acknowledge(
        self, acked: Sequence[str], rejected: Sequence[tuple[str, str]], now: datetime
    ) -> None: ...
    def apply_pulled(
        self, events: Sequence[dict[str, Any]], cursor: str, now: datetime, cursor_key: str
    ) -> int: ...
    def merge_assignments(
        self, assignments: Sequence[Assignment], complete: bool = False
    ) -> int: ...
    def forget_assignments(self) -> None: ...


class PackInstaller(Protocol):
    """Where course packs go (app.packs.PackStore)."""

    root: Path

    def current_version(self, course: str) -> int | None: ...
    def install(self, pack: Path) -> object: ...


class Problem(StrEnum):
    NOT_SET_UP = "not_set_up"  # no server or no sign-in yet
    NO_CONSENT = "no_consent"
    OFFLINE = "offline"
    SIGNED_OUT = "signed_out"  # the device was revoked or the account removed
    BAD_CREDENTIALS = "bad_credentials"
    UPGRADE_REQUIRED = "upgrade_required"
    RATE_LIMITED = "rate_limited"
    FORBIDDEN = "forbidden"  # the account may not do this (e.g. not a tutor of that class)
    SERVER = "server"  # the server failed or answered something unexpected


class SyncError(Exception):
    """Why a sync (or sign-in) did not finish, in words for the learner."""

    def __init__(self, problem: Problem, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.problem in (Problem.OFFLINE, Problem.RATE_LIMITED, Problem.SERVER)


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    rejected: int
    pulled: int
    applied: int
    packs: tuple[str, ...] = ()  # courses updated from the city's catalog ("level1 v3")
    pack_problems: tuple[str, ...] = ()  # packs refused (tampered, older, unsigned…)
    assignments: int = 0  # tutor assignments new, changed or removed here


def _now() -> datetime:
    return datetime.now(UTC)


HttpFactory = Callable[[str], httpx.Client]
_Model = TypeVar("_Model", bound=BaseModel)


def default_http(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=httpx.Timeout(30.0, connect=10.0))


class SyncClient:
    def __init__(
        self,
        store: SyncStore,
        http: HttpFactory = default_http,
        clock: Callable[[], datetime] = _now,
        batch: int = MAX_BATCH,
        page: int = 500,
        packs: PackInstaller | None = None,
    ) -> None:
        self.store = store
        self.packs = packs
        self.http = http
        self._refreshing = threading.Lock()
        self.clock = clock
        self.batch = batch
        self.page = page

    # -- account ---------------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return bool(self.store.get(REFRESH_KEY) and self.store.get(SERVER_KEY))

    def register(self, server: str, username: str, password: str) -> None:
        """Create a learner account on the server (then `sign_in`)."""
        with self.http(server) as http:
            response = self._send(
                http, "POST", "/v1/accounts", json={"username": username, "password": password}
            )
        if response.status_code == 409:
            raise SyncError(Problem.BAD_CREDENTIALS, "that username is taken; choose another")
        self._check(response)

    def sign_in(self, server: str, username: str, password: str, device_name: str = "") -> None:
        """Enrol this device; the tokens are kept in the local store."""
        body = {
            "username": username,
            "password": password,
            "device_id": self.store.device_id(),
            "device_name": device_name,
        }
        with self.http(server) as http:
            response = self._send(http, "POST", "/v1/devices", json=body)
        if response.status_code == 401:
            raise SyncError(Problem.BAD_CREDENTIALS, "the username or password is wrong")
        self._check(response)
        tokens = response.json()
        previous = self.store.get(LEARNER_KEY)
        if previous and previous != tokens["learner_id"]:
            # Another person's feed: start reading it from its beginning.
            self.store.set(CURSOR_KEY, "")
            self.store.forget_assignments()
        self.store.set(SERVER_KEY, server)
        self.store.set(USERNAME_KEY, username)
        self._keep_tokens(tokens)

    def sign_out(self) -> None:
        """Revoke this device on the server when reachable, and forget the tokens here.

        The outbox stays: signing in again uploads whatever is still waiting."""
        server = self.store.get(SERVER_KEY)
        if server and self.store.get(ACCESS_KEY):
            try:
                with self.http(server) as http:
                    self._authorised(http, "POST", "/v1/devices/revoke")
            except SyncError:
                pass  # offline: the token is forgotten here anyway
        for key in (ACCESS_KEY, REFRESH_KEY, ROLE_KEY):
            self.store.set(key, "")

    def give_consent(self) -> None:
        self.store.set(CONSENT_KEY, self.clock().isoformat())

    @property
    def has_consent(self) -> bool:
        return bool(self.store.get(CONSENT_KEY))

    # -- sync ------------------------------------------------------------------------------

    def sync(self, stop: threading.Event | None = None) -> SyncReport:
        """Push until the outbox is empty, then pull until the feed is exhausted."""
        server = self.store.get(SERVER_KEY)
        if not server or not self.store.get(REFRESH_KEY):
            raise SyncError(Problem.NOT_SET_UP, "sign in to a server to sync")
        if not self.has_consent:
            raise SyncError(Problem.NO_CONSENT, "agree to uploading your progress first")
        pushed = rejected = pulled = applied = 0
        with self.http(server) as http:
            while not (stop and stop.is_set()):
                events = list(self.store.pending(self.batch))
                if not events:
                    break
                acks, refused = self._push(http, events)
                self.store.acknowledge(acks, refused, self.clock())
                pushed += len(acks)
                rejected += len(refused)
                if not acks and not refused:
                    raise SyncError(Problem.SERVER, "the server answered without acknowledging")
            device = self.store.device_id()
            while not (stop and stop.is_set()):
                page = self._pull(http)
                # This device's own events are here already; the cursor still moves past them.
                others = [e for e in page["events"] if e["device_id"] != device]
                applied += self.store.apply_pulled(others, page["cursor"], self.clock(), CURSOR_KEY)
                pulled += len(page["events"])
                if not page["has_more"]:
                    break
            # Pushed and pulled pages are committed already: a failure from here on loses
            # nothing, it only leaves this sync unfinished (and reported) until the next try.
            updated, problems = self._update_packs(http, stop)
            assigned = 0 if stop and stop.is_set() else self._fetch_assignments(http)
        self.store.set(LAST_SYNCED_KEY, self.clock().isoformat())
        return SyncReport(pushed, rejected, pulled, applied, updated, problems, assigned)

    # -- tutor assignments -----------------------------------------------------------------

    def _fetch_assignments(self, http: httpx.Client) -> int:
        """The signed-in person's assignments (tombstones included), merged by version."""
        response = self._authorised(http, "GET", "/v1/me/assignments", missing_ok=True)
        if response.status_code == 404:  # a server from before assignments: nothing to merge
            return 0
        found = self._parse(AssignmentList, response)
        # The whole list of her classes' assignments: one she no longer sees is gone.
        return self.store.merge_assignments(found.assignments, complete=True)

    @property
    def account(self) -> str:
        """The signed-in person's id, or "" when signed out."""
        return (self.store.get(LEARNER_KEY) or "") if self.signed_in else ""

    @property
    def role(self) -> str:
        """The signed-in account's role ("learner", "tutor", "admin"), or "" when signed out."""
        return (self.store.get(ROLE_KEY) or "") if self.signed_in else ""

    def my_classes(self) -> list[ClassInfo]:
        """The classes the signed-in person belongs to, with her role in each."""
        response = self._call("GET", "/v1/me/classes")
        return [self._parse(ClassInfo, response, item) for item in _items(response)]

    def class_assignments(self, class_id: str) -> list[AssignmentStatus]:
        """A class's assignments with each learner's progress (tutors of the class, admins)."""
        response = self._call("GET", f"/v1/classes/{class_id}/assignments")
        return [self._parse(AssignmentStatus, response, item) for item in _items(response)]

    def assign(self, class_id: str, assignment: AssignmentIn) -> Assignment:
        """Give a class a unit to study (the learners' devices get it when they sync)."""
        body = assignment.model_dump(mode="json")
        response = self._call("POST", f"/v1/classes/{class_id}/assignments", json=body)
        return self._parse(Assignment, response)

    def update_assignment(
        self, class_id: str, assignment_id: str, assignment: AssignmentIn
    ) -> Assignment:
        """Replace an assignment's unit, due date or note (its version goes up)."""
        body = assignment.model_dump(mode="json")
        url = f"/v1/classes/{class_id}/assignments/{assignment_id}"
        return self._parse(Assignment, self._call("PUT", url, json=body))

    def remove_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        """Remove an assignment; the server keeps a tombstone so every device learns it."""
        url = f"/v1/classes/{class_id}/assignments/{assignment_id}"
        return self._parse(Assignment, self._call("DELETE", url))

    def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One authorised request outside a sync (tutor screens), with the usual errors."""
        server = self.store.get(SERVER_KEY)
        if not server or not self.store.get(REFRESH_KEY):
            raise SyncError(Problem.NOT_SET_UP, "sign in to a server first")
        with self.http(server) as http:
            response = self._authorised(http, method, url, **kwargs)
            response.read()
            return response

    @staticmethod
    def _parse(model: type[_Model], response: httpx.Response, data: Any = None) -> _Model:
        try:
            return model.model_validate(response.json() if data is None else data)
        except (ValueError, ValidationError) as exc:
            raise SyncError(Problem.SERVER, "the server answered something unexpected") from exc

    # -- course packs ----------------------------------------------------------------------

    def _update_packs(
        self, http: httpx.Client, stop: threading.Event | None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Download and install every course in the city's catalog newer than what is here."""
        if self.packs is None:
            return (), ()
        catalog = self._send(http, "GET", "/v1/catalog")
        self._check(catalog)
        updated: list[str] = []
        problems: list[str] = []
        for info in catalog.json()["courses"]:
            if stop and stop.is_set():
                break
            have = self.packs.current_version(info["course"])
            if have is not None and have >= info["version"]:
                continue
            try:
                path = self._download(http, info)
                self.packs.install(path)
                path.unlink(missing_ok=True)
                updated.append(f"{info['course']} v{info['version']}")
            except SyncError:
                raise
            except Exception as exc:  # a refused pack: the active one stays, say why
                problems.append(f"{info['course']} v{info['version']}: {exc}")
        return tuple(updated), tuple(problems)

    def _download(self, http: httpx.Client, info: dict[str, Any]) -> Path:
        """Fetch a pack file, resuming a partial download with a Range request."""
        assert self.packs is not None
        folder = self.packs.root / ".downloads"
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"{info['file']}.part"
        have = part.stat().st_size if part.is_file() else 0
        headers = {"If-Range": f'"{info["sha256"]}"', "Range": f"bytes={have}-"} if have else {}
        headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        try:
            with http.stream("GET", f"/v1/packs/{info['file']}", headers=headers) as response:
                if response.status_code not in (200, 206):
                    response.read()
                    self._check(response)
                mode = "ab" if response.status_code == 206 else "wb"
                with part.open(mode) as out:
                    for chunk in response.iter_bytes(1 << 16):
                        out.write(chunk)
        except httpx.TransportError as exc:
            raise SyncError(Problem.OFFLINE, "the connection broke during a download") from exc
        digest = hashlib.sha256(part.read_bytes()).hexdigest()
        if digest != info["sha256"]:
            part.unlink()
            raise ValueError(
                "the downloaded file does not match the catalog; it will be fetched again"
            )
        done: Path = folder / str(info["file"])
        part.replace(done)
        return done

    def _push(
        self, http: httpx.Client, events: Sequence[PendingEvent]
    ) -> tuple[list[str], list[tuple[str, str]]]:
        learner = self.store.get(LEARNER_KEY) or ""
        device = self.store.device_id()
        body = {
            "events": [
                {
                    "id": e.id,
                    "learner_id": learner,
                    "device_id": device,
                    "device_seq": e.device_seq,
                    "hlc": e.hlc,
                    "type": e.type,
                    "payload": e.payload,
                }
                for e in events
            ]
        }
        data = self._authorised(http, "POST", "/v1/events", json=body).json()
        return list(data["acks"]), [(r["id"], r["reason"]) for r in data["rejected"]]

    def _pull(self, http: httpx.Client) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": self.page}
        cursor = self.store.get(CURSOR_KEY)
        if cursor:
            params["cursor"] = cursor
        page: dict[str, Any] = self._authorised(http, "GET", "/v1/events", params=params).json()
        return page

    # -- HTTP ------------------------------------------------------------------------------

    def _send(self, http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        try:
            return http.request(method, url, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise SyncError(Problem.OFFLINE, "no connection to the server") from exc

    def _authorised(
        self, http: httpx.Client, method: str, url: str, missing_ok: bool = False, **kwargs: Any
    ) -> httpx.Response:
        for attempt in range(2):
            access = self.store.get(ACCESS_KEY)
            if not access:
                self._refresh(http)
                access = self.store.get(ACCESS_KEY)
            response = self._send(
                http, method, url, headers={"Authorization": f"Bearer {access}"}, **kwargs
            )
            if response.status_code == 401 and _error(response) == "token_expired" and not attempt:
                self._refresh(http, expired=access)
                continue
            if not (missing_ok and response.status_code == 404):
                self._check(response)
            return response
        raise SyncError(Problem.SERVER, "the server keeps refusing a fresh token")

    def _refresh(self, http: httpx.Client, expired: str | None = None) -> None:
        """New tokens. Background sync and a tutor's calls share this client from two threads:
        one refreshes at a time, and one that waited finds `expired` replaced already (the
        refresh token rotates, so sending the old one again would sign the device out)."""
        with self._refreshing:
            if expired is not None and self.store.get(ACCESS_KEY) not in (expired, ""):
                return
            refresh = self.store.get(REFRESH_KEY)
            if not refresh:
                raise SyncError(Problem.SIGNED_OUT, "this device is signed out; sign in again")
            response = self._send(
                http, "POST", "/v1/devices/refresh", json={"refresh_token": refresh}
            )
            self._check(response)
            self._keep_tokens(response.json())

    def _keep_tokens(self, tokens: dict[str, Any]) -> None:
        self.store.set(LEARNER_KEY, str(tokens["learner_id"]))
        self.store.set(ROLE_KEY, str(tokens.get("role", "")))
        self.store.set(ACCESS_KEY, str(tokens["access_token"]))
        self.store.set(REFRESH_KEY, str(tokens["refresh_token"]))

    def _check(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        error = _error(response)
        detail = _detail(response)
        if status == 426:
            raise SyncError(Problem.UPGRADE_REQUIRED, detail or "update the app to sync again")
        if status == 401:
            for key in (ACCESS_KEY, REFRESH_KEY):
                self.store.set(key, "")
            raise SyncError(Problem.SIGNED_OUT, detail or "this device is signed out")
        if status == 403:
            raise SyncError(Problem.FORBIDDEN, detail or "this account may not do that")
        if status == 429:
            retry = response.headers.get("Retry-After", "60")
            raise SyncError(
                Problem.RATE_LIMITED,
                "the server is busy; trying again soon",
                float(retry) if retry.isdigit() else 60.0,
            )
        raise SyncError(Problem.SERVER, f"the server said: {detail or error or status}")


def _items(response: httpx.Response) -> list[Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise SyncError(Problem.SERVER, "the server answered something unexpected") from exc
    if not isinstance(data, list):
        raise SyncError(Problem.SERVER, "the server answered something unexpected")
    return data


def _error(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))
    except ValueError:
        return ""


# -- running in the background -------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: the n-th retry waits up to base·2ⁿ, at most cap."""

    base: float = 5.0
    cap: float = 900.0

    def delay(self, failures: int, rand: Callable[[], float] = random.random) -> float:
        ceiling: float = min(self.cap, self.base * 2.0 ** min(failures, 20))
        return ceiling * (0.5 + rand() / 2)


@dataclass(frozen=True)
class SyncStatus:
    running: bool
    last_synced: str | None
    pending: int
    rejected: int
    error: SyncError | None


class SyncRunner:
    """Syncs in a background thread: now when asked, every `interval` seconds otherwise, and
    after a failure with backoff. `on_change` is called (from that thread) after each try."""

    def __init__(
        self,
        client: SyncClient,
        interval: float = 300.0,
        backoff: Backoff | None = None,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.client = client
        self.interval = interval
        self.backoff = backoff or Backoff()
        self.on_change = on_change
        self.error: SyncError | None = None
        self.running = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="sync", daemon=True)
            self._thread.start()

    def request(self) -> None:
        """Sync as soon as possible (the 'Sync now' button, or the network came back)."""
        self._wake.set()
        self.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def status(self) -> SyncStatus:
        store = self.client.store
        return SyncStatus(
            running=self.running,
            last_synced=store.get(LAST_SYNCED_KEY) or None,
            pending=store.pending_count(),
            rejected=store.rejected_count(),
            error=self.error,
        )

    def run_once(self) -> float:
        """One try; returns how long to wait before the next."""
        self.running = True
        self.on_change()
        try:
            self.client.sync(self._stop)
        except SyncError as error:
            self.error = error
            if not error.retryable:
                return self.interval
            self._failures += 1
            wait: float = self.backoff.delay(self._failures)
            return max(wait, error.retry_after or 0.0)
        except Exception as error:  # a bug must not kill the thread; it is shown and retried
            self.error = SyncError(Problem.SERVER, f"sync failed: {error}")
            self._failures += 1
            return self.backoff.delay(self._failures)
        finally:
            self.running = False
        self.error = None
        self._failures = 0
        return self.interval

    def _loop(self) -> None:
        while not self._stop.is_set():
            wait = self.interval
            if self.client.signed_in and self.client.has_consent:
                wait = self.run_once()
                self.on_change()
            self._wake.wait(wait)
            self._wake.clear()
