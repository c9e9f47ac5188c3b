"""Published ids never disappear, are never reused, and keep their kind."""

from pathlib import Path

from app.content.ids import IdEntry, current_ids, problems, read_lock, updated_lock, write_lock
from app.content.loader import load_library
from app.paths import LESSONS_DIR

LOCK = LESSONS_DIR / "ids.lock"


def test_the_real_lessons_keep_every_published_id() -> None:
    library = load_library(LESSONS_DIR)
    assert problems(read_lock(LOCK), current_ids(library.courses), LOCK) == []


def entry(
    path: str, kind: str = "vocabulary", korean: str = "이름", retired: bool = False
) -> IdEntry:
    return IdEntry(path, kind, korean, retired)


def test_a_deleted_id_is_reported() -> None:
    lock = {"c/u/v01": entry("c/u/v01")}
    [problem] = problems(lock, {}, Path("ids.lock"))
    assert "c/u/v01 (vocabulary '이름') was published and is gone" in problem


def test_a_retired_id_may_be_gone_but_not_reused() -> None:
    lock = {"c/u/v01": entry("c/u/v01", retired=True)}
    assert problems(lock, {}, Path("ids.lock")) == []
    [problem] = problems(lock, {"c/u/v01": entry("c/u/v01")}, Path("ids.lock"))
    assert "was retired and must not be reused" in problem


def test_an_id_that_changes_kind_is_reported() -> None:
    lock = {"c/u/e01": entry("c/u/e01", kind="exercise", korean="fill")}
    [problem] = problems(lock, {"c/u/e01": entry("c/u/e01")}, Path("ids.lock"))
    assert "was a exercise and is now a vocabulary" in problem


def test_new_ids_must_be_registered_and_update_never_removes(tmp_path: Path) -> None:
    lock = {"c/u/v01": entry("c/u/v01", retired=True), "c/u/v02": entry("c/u/v02")}
    current = {"c/u/v02": entry("c/u/v02", korean="나라"), "c/u/v03": entry("c/u/v03")}
    [problem] = problems(lock, current, Path("ids.lock"))
    assert "1 new id(s) not registered (c/u/v03)" in problem
    merged = updated_lock(lock, current)
    assert [e.path for e in merged] == ["c/u/v01", "c/u/v02", "c/u/v03"]
    assert merged[0].retired and merged[1].korean == "나라"
    write_lock(tmp_path / "ids.lock", merged)
    assert read_lock(tmp_path / "ids.lock") == {e.path: e for e in merged}
