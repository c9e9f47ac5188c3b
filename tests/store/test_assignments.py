"""Tutor assignments in the local store (real SQLite files): highest version wins, tombstones hide."""

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.domain.assignments import Assignment
from app.domain.course import CourseId, UnitId
from app.store.db import open_database
from app.store.repository import SqlStore
from sync.protocol import Assignment as WireAssignment

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def assignment(
    ident: str, version: int = 1, due: date | None = None, deleted: bool = False, note: str = ""
) -> Assignment:
    return Assignment(
        id=ident,
        class_id="c1",
        class_name="Tuesday evening class",
        course_id=CourseId("level1"),
        unit_id=UnitId("u01"),
        due=due,
        note=note,
        version=version,
        deleted=deleted,
        updated_at=T0,
    )


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    return SqlStore(open_database(tmp_path / "progress.db"))


def test_merged_assignments_survive_reopening(store: SqlStore, tmp_path: Path) -> None:
    first = assignment("a1", due=date(2026, 12, 24), note="Read the dialogue twice")
    assert store.merge_assignments([first]) == 1
    again = SqlStore(open_database(tmp_path / "progress.db"))
    assert again.assignments() == [first]


@pytest.mark.parametrize(
    ("arrivals", "kept_note"),
    [
        pytest.param([(1, "v1"), (2, "v2")], "v2", id="a newer version replaces"),
        pytest.param([(2, "v2"), (1, "v1")], "v2", id="a stale response changes nothing"),
        pytest.param([(3, "v3"), (2, "v2"), (1, "v1")], "v3", id="late arrivals in any order"),
        pytest.param(
            [(2, "first"), (2, "second")], "first", id="the same version keeps what is here"
        ),
    ],
)
def test_the_highest_version_of_each_assignment_is_kept(
    store: SqlStore, arrivals: list[tuple[int, str]], kept_note: str
) -> None:
    for version, note in arrivals:
        store.merge_assignments([assignment("a1", version, note=note)])
    [kept] = store.assignments()
    assert kept.note == kept_note
    assert kept.version == max(v for v, _ in arrivals)


def test_versions_inside_one_response_are_merged_too(store: SqlStore) -> None:
    store.merge_assignments([assignment("a1", 3, note="v3"), assignment("a1", 1, note="v1")])
    assert [a.note for a in store.assignments()] == ["v3"]


def test_a_tombstone_hides_the_assignment_and_an_older_copy_cannot_bring_it_back(
    store: SqlStore,
) -> None:
    store.merge_assignments([assignment("a1", 1), assignment("a2", 1)])
    assert store.merge_assignments([assignment("a1", 2, deleted=True)]) == 1
    assert [a.id for a in store.assignments()] == ["a2"]
    assert store.merge_assignments([assignment("a1", 1)]) == 0  # stale: still removed
    assert [a.id for a in store.assignments()] == ["a2"]
    assert store.assignment_versions() == {"a1": 2, "a2": 1}  # the tombstone row is kept


def test_a_tombstone_that_arrives_first_is_kept_hidden(store: SqlStore) -> None:
    store.merge_assignments([assignment("a1", 2, deleted=True)])
    store.merge_assignments([assignment("a1", 1)])
    assert store.assignments() == []


def test_live_assignments_are_listed_soonest_due_first_and_undated_last(store: SqlStore) -> None:
    store.merge_assignments(
        [
            assignment("none", due=None),
            assignment("late", due=date(2027, 1, 10)),
            assignment("soon", due=date(2026, 12, 5)),
            assignment("gone", due=date(2026, 12, 1), deleted=True),
        ]
    )
    assert [a.id for a in store.assignments()] == ["soon", "late", "none"]


def test_the_wire_model_is_stored_as_it_came(store: SqlStore) -> None:
    wire = WireAssignment(
        id="w1",
        class_id="c9",
        class_name="토요일 반",
        course_id="hangul",
        unit_id="u02",
        due=date(2026, 12, 31),
        note="모음을 복습해요",
        version=4,
        deleted=False,
        updated_at=T0,
    )
    store.merge_assignments([wire])
    [kept] = store.assignments()
    assert (kept.class_name, kept.course_id, kept.unit_id, kept.due, kept.version) == (
        "토요일 반",
        "hangul",
        "u02",
        date(2026, 12, 31),
        4,
    )
    assert kept.updated_at == T0 and kept.note == "모음을 복습해요"


def test_forgetting_assignments_removes_tombstones_too(store: SqlStore) -> None:
    store.merge_assignments([assignment("a1"), assignment("a2", 2, deleted=True)])
    store.forget_assignments()
    assert store.assignments() == [] and store.assignment_versions() == {}


def test_overdue_is_after_the_due_day() -> None:
    due = assignment("a", due=date(2026, 12, 5))
    assert not due.overdue(date(2026, 12, 5))
    assert due.overdue(date(2026, 12, 6))
    assert not replace(due, due=None).overdue(date(2030, 1, 1))


def test_a_complete_list_drops_the_assignments_of_a_class_she_left(store: SqlStore) -> None:
    kept, left = assignment("a1"), replace(assignment("a2"), class_id="c2", class_name="Old")
    store.merge_assignments([kept, left], complete=True)
    # The server lists only the classes she is still in, and sends no tombstone for the rest.
    assert store.merge_assignments([kept], complete=True) == 1
    assert store.assignments() == [kept] and set(store.assignment_versions()) == {"a1"}
    assert store.merge_assignments([]) == 0 and store.assignments() == [kept]  # not complete


def test_a_renamed_class_shows_its_new_name_without_a_new_version(store: SqlStore) -> None:
    store.merge_assignments([assignment("a1")])
    renamed = replace(assignment("a1"), class_name="Thursday class")
    assert store.merge_assignments([renamed]) == 1
    assert [a.class_name for a in store.assignments()] == ["Thursday class"]
    stale = replace(assignment("a1", version=0), class_name="Tuesday evening class")
    assert store.merge_assignments([stale]) == 0  # an older copy renames nothing
    assert [a.class_name for a in store.assignments()] == ["Thursday class"]
