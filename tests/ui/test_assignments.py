"""Tutor assignments in the app: Home's "From your tutor" for learners, My classes for tutors,
driven through the real controller and views, against a real platform server where it needs one."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.domain.assignments import Assignment
from app.domain.course import CourseId, UnitId, UnitRef
from app.domain.session import UnitResult
from app.ui.controller import Controller, Screen
from app.ui.shell import DB_NAME, AppConfig, _hubs, make_controller, render
from sync.client import SyncClient
from sync.protocol import AssignmentIn, ClassInfo
from sync.server.db import sessions
from sync.server.store import add_member, create_class
from tests.sync.helpers import PASSWORD, Database, Server, device
from tests.ui.test_flet_session import RecordingConnection, Session, by_key, live
from tests.ui.test_flet_session import settle as settle_page
from tests.ui.test_settings_sync import platform, wait_until
from tests.ui.tree import find, keys, press, texts

__all__ = ["live", "platform"]  # fixtures, shared with the Flet session and sync UI tests

U01 = UnitRef(CourseId("level1"), UnitId("u01"))


def today() -> date:
    return datetime.now(UTC).astimezone().date()


def assignment(
    ident: str, unit: str = "u01", due: date | None = None, version: int = 1, deleted: bool = False
) -> Assignment:
    return Assignment(
        id=ident,
        class_id="c1",
        class_name="Tuesday evening class",
        course_id=CourseId("level1"),
        unit_id=UnitId(unit),
        due=due,
        note="Read the dialogue aloud",
        version=version,
        deleted=deleted,
        updated_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


@pytest.fixture
def config(unit1_lessons: Path, tmp_path: Path) -> AppConfig:
    return AppConfig(unit1_lessons, tmp_path / "data", audio_dir=tmp_path / "audio")


def home(config: AppConfig, lang: str = "en") -> Controller:
    ctl = make_controller(config)
    ctl.choose_language(lang)
    assert ctl.state.screen is Screen.HOME
    return ctl


def test_home_shows_no_tutor_section_without_assignments(config: AppConfig) -> None:
    ctl = home(config)
    ctl.store.merge_assignments([assignment("gone", deleted=True)])
    tree = render(ctl)
    assert "assignments" not in keys(tree)
    assert "From your tutor" not in texts(tree)
    assert "open-classes" not in keys(tree)  # not signed in as a tutor


def test_home_lists_assignments_with_due_date_state_and_a_missing_unit(config: AppConfig) -> None:
    soon = today() + timedelta(days=5)
    ctl = home(config)
    ctl.store.merge_assignments(
        [
            assignment("later", due=None),
            assignment("missing", unit="u99", due=soon + timedelta(days=1)),
            assignment("soon", due=soon),
            assignment("late", due=today() - timedelta(days=2)),
            assignment("gone", due=soon, version=2, deleted=True),
        ]
    )
    tree = render(ctl)
    assert "From your tutor" in texts(tree)
    assert keys(tree, "assignment-")[::3] == [
        "assignment-late",
        "assignment-soon",
        "assignment-missing",
        "assignment-later",
    ]
    assert find(tree, "assignment-title-soon").value == (
        "Korean Level 1 · Unit 1: Greetings and introductions"
    )
    assert find(tree, "assignment-state-soon").value == f"Due: {ctl.t.date(soon)} · To do"
    assert find(tree, "assignment-state-late").value.endswith("· Overdue")
    assert find(tree, "assignment-state-later").value == "No due date · To do"
    assert "Class: Tuesday evening class" in texts(tree)
    assert "Tutor's note: Read the dialogue aloud" in texts(tree)
    missing = find(tree, "assignment-missing")
    assert find(tree, "assignment-title-missing").value == (
        "This unit is not on this device yet: level1/u99"
    )
    assert missing.disabled and missing.on_click is None  # nothing to open, and no crash

    # Completed on this device (a new window reads her results): the assignments say "Done".
    ctl.store.record_result(UnitResult("r1", U01, 9, 10, datetime.now(UTC), ()))
    ctl = home(config)
    tree = render(ctl)
    assert find(tree, "assignment-state-soon").value.endswith("· Done")
    assert find(tree, "assignment-state-late").value.endswith("· Done")  # done late is done

    press(tree, "assignment-soon")
    assert ctl.state.screen is Screen.UNIT
    assert (ctl.state.course_id, ctl.state.unit_id) == ("level1", "u01")


@pytest.mark.parametrize(
    ("lang", "due_words"),
    [("ko", "기한: "), ("vi", "Hạn: "), ("ru", "Срок: ")],
)
def test_the_due_date_is_written_as_the_interface_language_writes_dates(
    config: AppConfig, lang: str, due_words: str
) -> None:
    due = date(2027, 3, 14)
    ctl = home(config, lang)
    ctl.store.merge_assignments([assignment("a", due=due)])
    shown = find(render(ctl), "assignment-state-a").value
    assert shown.startswith(f"{due_words}{ctl.t.date(due)}")
    assert ctl.t.date(due) != due.isoformat()


# -- against a real server ---------------------------------------------------------------------


class Classroom:
    def __init__(self, db: Database, name: str = "Saturday class") -> None:
        self.tutor, _ = db.learner(role="tutor")
        self.learner, _ = db.learner()
        with sessions(db.engine).begin() as session:
            self.id = create_class(session, name).id
            add_member(session, self.id, self.tutor, "tutor")
            add_member(session, self.id, self.learner, "learner")
        self.name = name


def signed_in_app(config: AppConfig, server: Server, username: str) -> Controller:
    ctl = home(config)
    assert ctl.syncing is not None
    ctl.syncing.client.sign_in(server.url, username, PASSWORD)
    ctl.syncing.client.give_consent()
    return ctl


def test_home_redraws_after_a_background_sync_but_never_during_an_exercise(
    platform: tuple[Database, Server], config: AppConfig, tmp_path: Path
) -> None:
    db, server = platform
    room = Classroom(db)
    tutor = SyncClient(device(tmp_path, "tutor"))
    tutor.sign_in(server.url, room.tutor, PASSWORD)
    ctl = signed_in_app(config, server, room.learner)
    redraws: list[Screen] = []
    ctl.on_change = lambda: redraws.append(ctl.state.screen)
    assert ctl.syncing is not None

    given = tutor.assign(room.id, AssignmentIn(course_id="level1", unit_id="u01"))
    ctl.syncing.sync_now()
    wait_until(lambda: len(ctl.store.assignments()) == 1)
    wait_until(lambda: Screen.HOME in redraws)
    assert f"assignment-{given.id}" in keys(render(ctl))

    press(render(ctl), f"assignment-{given.id}")
    ctl.start_exercises()
    assert ctl.state.screen is Screen.EXERCISE
    redraws.clear()
    # Told last, after the shell's own listeners (assignments, then sync state) have run for
    # the sync that brought the new assignment.
    told = threading.Event()

    def after_the_shell() -> None:
        if len(ctl.store.assignments()) == 2:
            told.set()

    _hubs[config.data_dir / DB_NAME].listeners.append(after_the_shell)
    tutor.assign(room.id, AssignmentIn(course_id="level1", unit_id="u01", note="again"))
    ctl.syncing.sync_now()
    assert told.wait(60)
    assert redraws == []  # the answer being typed keeps its focus


def select(ctl: Controller, key: str, value: str) -> None:
    menu = find(render(ctl), key)
    menu.value = value
    menu.on_select(SimpleNamespace(control=menu, data=value))


def type_into(ctl: Controller, key: str, value: str) -> None:
    field = find(render(ctl), key)
    field.value = value
    field.on_change(SimpleNamespace(control=field, data=value))


def settle(ctl: Controller) -> None:
    wait_until(lambda: not ctl.tutoring.busy)  # type: ignore[union-attr]


def test_a_tutor_assigns_a_unit_sees_progress_and_removes_it(
    platform: tuple[Database, Server], config: AppConfig
) -> None:
    db, server = platform
    room = Classroom(db)
    ctl = signed_in_app(config, server, room.tutor)
    tree = render(ctl)
    press(tree, "open-classes")
    assert ctl.state.screen is Screen.CLASSES
    settle(ctl)
    tree = render(ctl)
    assert find(tree, f"class-{room.id}").content == room.name
    assert find(tree, "assigned-none") is not None
    assert find(tree, "assign-submit").disabled  # nothing picked yet

    select(ctl, "assign-course", "level1")
    assert [o.key for o in find(render(ctl), "assign-unit").options] == ["u01"]
    select(ctl, "assign-unit", "u01")
    type_into(ctl, "assign-due", "24.12.2026")
    type_into(ctl, "assign-note", "Learn the greetings")
    press(render(ctl), "assign-submit")
    tree = render(ctl)
    assert "YYYY-MM-DD" in find(tree, "assign-due").error  # said plainly, nothing sent
    assert find(tree, "assign-note").value == "Learn the greetings"
    assert ctl.tutoring is not None and not ctl.tutoring.busy

    due = today() + timedelta(days=10)
    type_into(ctl, "assign-due", due.isoformat())
    assert find(render(ctl), "assign-due").error is None
    press(render(ctl), "assign-submit")
    settle(ctl)
    tree = render(ctl)
    assert find(tree, "classes-done").value.startswith("Assigned.")
    [card] = [k for k in keys(tree, "assigned-") if k.count("-") == 5]  # assigned-<uuid>
    ident = card.removeprefix("assigned-")
    assert find(tree, f"assigned-done-{ident}").value == "Done by 0 of 1 learner"
    assert f"{room.learner}: not done yet" in texts(tree)
    assert f"Due: {ctl.t.date(due)}" in texts(tree)
    assert find(tree, "assign-due").value == "" and find(tree, "assign-note").value == ""

    # The server has it, as a learner's sync shows.
    [status] = ctl.syncing.client.class_assignments(room.id)  # type: ignore[union-attr]
    assert (status.assignment.unit_id, status.assignment.due, status.assignment.note) == (
        "u01",
        due,
        "Learn the greetings",
    )

    press(render(ctl), f"remove-{ident}")
    settle(ctl)
    tree = render(ctl)
    assert find(tree, "classes-done").value.startswith("Removed.")
    assert find(tree, "assigned-none") is not None
    assert ctl.syncing.client.class_assignments(room.id) == []  # type: ignore[union-attr]

    press(tree, "back")
    assert ctl.state.screen is Screen.HOME


def test_an_offline_tutor_is_told_plainly_and_keeps_the_form(
    platform: tuple[Database, Server], config: AppConfig
) -> None:
    db, server = platform
    room = Classroom(db)
    ctl = signed_in_app(config, server, room.tutor)
    ctl.open_classes()
    settle(ctl)
    select(ctl, "assign-course", "level1")
    select(ctl, "assign-unit", "u01")
    type_into(ctl, "assign-due", "2027-01-15")
    type_into(ctl, "assign-note", "Practise with a partner")
    server.stop()

    press(render(ctl), "assign-submit")
    settle(ctl)
    tree = render(ctl)
    assert find(tree, "classes-problem").value == (
        "No connection to the server. Nothing was changed; what you typed is kept."
    )
    assert find(tree, "assign-course").value == "level1"
    assert find(tree, "assign-unit").value == "u01"
    assert find(tree, "assign-due").value == "2027-01-15"
    assert find(tree, "assign-note").value == "Practise with a partner"
    assert not find(tree, "assign-submit").disabled  # she can try again
    # Trying again sends the same assignment id: if the first try did reach the server, the
    # class still gets the unit once. Changing the draft makes it another assignment.
    tutoring = ctl.tutoring
    assert tutoring is not None
    first = tutoring.draft.request_id
    assert first
    press(render(ctl), "assign-submit")
    settle(ctl)
    assert tutoring.draft.request_id == first
    type_into(ctl, "assign-note", "Practise with two partners")
    assert tutoring.draft.request_id == ""


def test_a_learner_is_not_offered_my_classes(
    platform: tuple[Database, Server], config: AppConfig
) -> None:
    db, server = platform
    room = Classroom(db)
    ctl = signed_in_app(config, server, room.learner)
    assert "open-classes" not in keys(render(ctl))
    tutor = signed_in_app(
        AppConfig(config.lessons_dir, config.data_dir.with_name("tutor-data")), server, room.tutor
    )
    assert "open-classes" in keys(render(tutor))
    assert ctl.syncing is not None and tutor.syncing is not None
    tutor.syncing.client.sign_out()
    assert "open-classes" not in keys(render(tutor))


# -- the screens on a real Flet page (serialised as they are sent to the client) -----------------


async def test_home_and_my_classes_mount_on_a_live_flet_page(
    live: tuple[Session, RecordingConnection], config: AppConfig
) -> None:
    session, connection = live
    page = session.page
    ctl = home(config)
    ctl.store.merge_assignments([assignment("a1", due=date(2027, 3, 14))])
    ctl.on_change = lambda: (setattr(page, "controls", [render(ctl)]), page.update())
    ctl.on_change()
    await settle_page()
    assert b"From your tutor" in b"".join(connection.messages)
    await session.dispatch_event(by_key(page, "assignment-a1")._i, "click", None)
    await settle_page()
    assert ctl.state.screen is Screen.UNIT

    tutoring = ctl.tutoring
    assert tutoring is not None
    tutoring.classes = [ClassInfo(id="c1", name="Saturday class", role="tutor")]
    tutoring.class_id = "c1"
    tutoring.statuses = []
    tutoring.edit(course_id="level1", unit_id="u01", due="24.12.2026", note="hi")
    tutoring.due_invalid = True
    ctl._set(screen=Screen.CLASSES)
    await settle_page()
    sent = b"".join(connection.messages)
    assert b"Assign a unit" in sent and b"24.12.2026" in sent
    assert b"Write the date as YYYY-MM-DD" in sent  # the error under the field was mounted


def test_after_signing_out_the_tutors_classes_are_not_shown_again(
    platform: tuple[Database, Server], config: AppConfig
) -> None:
    db, server = platform
    room = Classroom(db)
    ctl = signed_in_app(config, server, room.tutor)
    ctl.open_classes()
    settle(ctl)
    tutoring = ctl.tutoring
    assert tutoring is not None and tutoring.classes and tutoring.statuses is not None
    assert room.name in texts(render(ctl))
    tutoring.client.sign_out()
    ctl.open_classes()
    assert tutoring.classes is None and tutoring.statuses is None  # cleared before loading
    settle(ctl)
    assert tutoring.classes is None and room.name not in texts(render(ctl))


def test_a_unit_finished_on_her_other_phone_shows_done_after_a_sync(config: AppConfig) -> None:
    ctl = home(config)
    ctl.store.merge_assignments([assignment("soon", due=today() + timedelta(days=3))])
    assert find(render(ctl), "assignment-state-soon").value.endswith("· To do")
    assert ctl.progress_synced() is False  # nothing new
    # What a sync's pull leaves in the store: a unit result from another device.
    ctl.store.record_result(UnitResult("r-phone", U01, 8, 10, datetime.now(UTC), ()))
    assert ctl.progress_synced() is True
    assert find(render(ctl), "assignment-state-soon").value.endswith("· Done")
