"""The tutor's side of assignments, framework-free: what the My classes screen shows and does.

Every call needs the server, so each runs on a short-lived thread (as sign-in does) and
reports back through `on_change`; what the tutor typed stays in `draft` whatever happens.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from pydantic import ValidationError

from sync.client import Problem, SyncClient, SyncError
from sync.protocol import AssignmentIn, AssignmentStatus, ClassInfo

TUTOR_ROLES = ("tutor", "admin")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOTE_LENGTH = 500  # the server's limit (sync.protocol.AssignmentIn.note)


class Done(StrEnum):
    """What the last finished action was, so the screen can say so."""

    ASSIGNED = "assigned"
    REMOVED = "removed"


class DueDateInvalid(ValueError):
    pass


def parse_due(text: str) -> date | None:
    """The optional due date as typed: empty, or YYYY-MM-DD (DueDateInvalid otherwise)."""
    text = text.strip()
    if not text:
        return None
    if not _ISO_DAY.match(text):
        raise DueDateInvalid(text)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:  # 2026-02-30
        raise DueDateInvalid(text) from exc


@dataclass(frozen=True)
class Draft:
    """The assignment being written, kept while calls fail or the screen redraws."""

    course_id: str = ""
    unit_id: str = ""
    due: str = ""
    note: str = ""
    # The id this draft is sent with: kept while it is unchanged, so pressing Assign again
    # after a lost answer brings back the same assignment, never a second one.
    request_id: str = ""


class Tutoring:
    def __init__(self, client: SyncClient, on_change: Callable[[], None] = lambda: None) -> None:
        self.client = client
        self.on_change = on_change
        self._clear()

    def _clear(self) -> None:
        """Nothing shown yet: at the start, and for another person signed in on this device."""
        self.account = self.client.account  # whose classes the fields below are
        self.classes: list[ClassInfo] | None = None  # None: not loaded yet
        self.class_id: str | None = None
        self.statuses: list[AssignmentStatus] | None = None
        self.draft = Draft()
        self.due_invalid = False
        self.busy = False
        self.error: SyncError | None = None
        self.done: Done | None = None

    @property
    def is_tutor(self) -> bool:
        return self.client.role in TUTOR_ROLES

    @property
    def chosen(self) -> ClassInfo | None:
        return next((c for c in self.classes or [] if c.id == self.class_id), None)

    def _run(self, work: Callable[[], None]) -> None:
        """Run `work` off the UI thread; a SyncError becomes `error`, shown in plain words."""
        self.busy, self.error, self.done = True, None, None
        self.on_change()

        def run() -> None:
            try:
                work()
            except SyncError as error:
                self.error = error
            except Exception as error:  # a bug must not leave the screen busy for ever
                self.error = SyncError(Problem.SERVER, str(error))
            finally:
                self.busy = False
            self.on_change()

        threading.Thread(target=run, name="tutoring", daemon=True).start()

    def load_classes(self) -> None:
        """The classes this account tutors (with the first one chosen when there is one)."""
        if self.client.account != self.account:  # signed out, or someone else signed in
            self._clear()

        def work() -> None:
            found = [c for c in self.client.my_classes() if c.role == "tutor"]
            self.classes = found
            if self.class_id not in {c.id for c in found}:
                self.class_id = found[0].id if found else None
                self.statuses = None
            if self.class_id is not None:
                self.statuses = self.client.class_assignments(self.class_id)

        self._run(work)

    def choose(self, class_id: str) -> None:
        self.class_id, self.statuses = class_id, None
        self._run(lambda: self._refresh(class_id))

    def _refresh(self, class_id: str) -> None:
        statuses = self.client.class_assignments(class_id)
        if self.class_id == class_id:  # she may have picked another class meanwhile
            self.statuses = statuses

    def edit(self, **changes: str) -> None:
        """Keep what the tutor typed or picked (no redraw: a text field owns its cursor)."""
        self.draft = replace(self.draft, **changes, request_id="")  # another assignment now
        if "due" in changes:
            self.due_invalid = False

    def assign(self) -> None:
        """Give the chosen class the drafted unit; on success the form empties."""
        class_id = self.class_id
        if not self.draft.request_id:
            self.draft = replace(self.draft, request_id=str(uuid.uuid4()))
        draft = self.draft
        if class_id is None or not draft.course_id or not draft.unit_id:
            return
        try:
            due = parse_due(draft.due)
        except DueDateInvalid:
            self.due_invalid = True
            self.on_change()
            return
        try:
            body = AssignmentIn(
                course_id=draft.course_id,
                unit_id=draft.unit_id,
                due=due,
                note=draft.note.strip(),
                id=draft.request_id,
            )
        except ValidationError as error:  # a note longer than the server takes
            self.error = SyncError(Problem.SERVER, str(error.errors()[0]["msg"]))
            self.on_change()
            return

        def work() -> None:
            self.client.assign(class_id, body)
            self.draft = Draft(course_id=draft.course_id)
            self.done = Done.ASSIGNED
            self._refresh(class_id)

        self._run(work)

    def remove(self, assignment_id: str) -> None:
        class_id = self.class_id
        if class_id is None:
            return

        def work() -> None:
            self.client.remove_assignment(class_id, assignment_id)
            self.done = Done.REMOVED
            self._refresh(class_id)

        self._run(work)
