"""`python -m app.cli audio`, run as a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def audio(lessons: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--lessons", str(lessons), "audio", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_dry_run_prints_the_plan_and_changes_nothing(unit1_lessons: Path, tmp_path: Path) -> None:
    out = tmp_path / "audio"
    done = audio(unit1_lessons, "--dry-run", "--voice", "espeak", "--out", str(out))
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith("plan with voice espeak: ")
    assert " 0 kept, 0 upgrade, 0 deleted" in first
    assert "new      phrase   x0.75 " in done.stdout
    assert "new      dialogue x1    level1/u01" in done.stdout
    assert not out.exists()


def test_an_unknown_course_is_an_error(unit1_lessons: Path, tmp_path: Path) -> None:
    done = audio(unit1_lessons, "--course", "nope", "--out", str(tmp_path / "a"))
    assert done.returncode == 1
    assert "course 'nope' does not exist" in done.stderr


def test_an_invalid_course_stops_a_full_build(unit1_lessons: Path, tmp_path: Path) -> None:
    broken = unit1_lessons / "broken"
    broken.mkdir()
    (broken / "course.yaml").write_text("id: broken\nkind: sejong\n", encoding="utf-8")
    out = tmp_path / "audio"
    done = audio(unit1_lessons, "--voice", "espeak", "--out", str(out))
    assert done.returncode == 1
    assert "broken is invalid (run validate)" in done.stderr
    assert not out.exists()
    # One valid course can still be built on its own.
    dry = audio(unit1_lessons, "--course", "level1", "--dry-run", "--out", str(out))
    assert dry.returncode == 0, dry.stderr


def test_the_existing_commands_still_work() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "validate" in done.stdout and "stats" in done.stdout and "audio" in done.stdout
