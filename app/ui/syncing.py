"""The app's side of sync, framework-free: what the Settings → Sync section shows and does.

Sync never blocks study: it runs on the SyncRunner's thread and reports back through
`on_change`; sign-in runs on a short-lived thread for the same reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.packs import PackStore
from app.store.repository import SqlStore
from sync.client import (
    SERVER_KEY,
    USERNAME_KEY,
    Problem,
    SyncClient,
    SyncError,
    SyncRunner,
)


@dataclass(frozen=True)
class SyncView:
    """Everything the Sync section needs to draw itself."""

    server: str
    username: str
    signed_in: bool
    consent: bool
    busy: bool  # a sign-in or a sync is running
    last_synced: datetime | None
    pending: int
    rejected: int
    problem: Problem | None
    detail: str


class Syncing:
    def __init__(
        self,
        store: SqlStore,
        packs: PackStore | None,
        on_change: Callable[[], None],
        on_packs_installed: Callable[[], None] = lambda: None,
        interval: float = 300.0,
        on_assignments_changed: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.packs = packs
        self.client = SyncClient(store, packs=packs)
        self.on_change = on_change
        self.on_packs_installed = on_packs_installed
        self.on_assignments_changed = on_assignments_changed
        self.runner = SyncRunner(self.client, interval=interval, on_change=self._after_try)
        self._signing_in = False
        self._sign_in_error: SyncError | None = None
        self._packs_before = self._pack_versions(packs)
        self._assignments_before = store.assignment_versions()

    @staticmethod
    def _pack_versions(packs: PackStore | None) -> dict[str, int]:
        return {p.course: p.version for p in packs.installed()} if packs else {}

    def start(self) -> None:
        """Background sync: only once the learner has signed in and agreed."""
        self.runner.start()

    def stop(self) -> None:
        self.runner.stop()

    def _after_try(self) -> None:
        now = self._pack_versions(self.packs)
        if now != self._packs_before:
            self._packs_before = now
            self.on_packs_installed()
        assignments = self.store.assignment_versions()
        if assignments != self._assignments_before:
            self._assignments_before = assignments
            self.on_assignments_changed()
        self.on_change()

    def view(self) -> SyncView:
        status = self.runner.status()
        error = self._sign_in_error or status.error
        last = status.last_synced
        return SyncView(
            server=self.store.get(SERVER_KEY) or "",
            username=self.store.get(USERNAME_KEY) or "",
            signed_in=self.client.signed_in,
            consent=self.client.has_consent,
            busy=self._signing_in or status.running,
            last_synced=datetime.fromisoformat(last) if last else None,
            pending=status.pending,
            rejected=status.rejected,
            problem=error.problem if error else None,
            detail=error.detail if error else "",
        )

    def sign_in(self, server: str, username: str, password: str, register: bool = False) -> None:
        """Enrol this device (creating the account first when `register`), off the UI thread."""
        server = server.strip().rstrip("/")
        if not server.startswith(("http://", "https://")):
            self._sign_in_error = SyncError(
                Problem.NOT_SET_UP, "the server address starts with http:// or https://"
            )
            self.on_change()
            return
        self._signing_in, self._sign_in_error = True, None
        self.on_change()

        def work() -> None:
            try:
                if register:
                    self.client.register(server, username.strip(), password)
                self.client.sign_in(server, username.strip(), password, "SSOC Korean app")
            except SyncError as error:
                self._sign_in_error = error
            finally:
                self._signing_in = False
            if self._sign_in_error is None and self.client.has_consent:
                self.runner.request()
            self.on_change()

        threading.Thread(target=work, name="sign-in", daemon=True).start()

    def agree(self) -> None:
        """The learner agreed to upload her progress: start syncing."""
        self.client.give_consent()
        self.runner.request()
        self.on_change()

    def sync_now(self) -> None:
        self.runner.request()

    def sign_out(self) -> None:
        def work() -> None:
            self.client.sign_out()
            self.on_change()

        threading.Thread(target=work, name="sign-out", daemon=True).start()
