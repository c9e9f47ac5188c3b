"""The command line, run as a real process."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_validate_passes_on_the_real_lessons() -> None:
    done = run("-m", "app.cli", "validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")


def test_validate_names_the_problem_and_exits_non_zero(tmp_path: Path) -> None:
    course = tmp_path / "broken"
    course.mkdir()
    (course / "course.yaml").write_text("id: broken\nkind: sejong\n", encoding="utf-8")
    done = run("-m", "app.cli", "--lessons", str(tmp_path), "validate")
    assert done.returncode == 1
    assert "course.yaml:1: order: must be a whole number" in done.stderr
    assert "invalid: " in done.stderr


def test_the_app_refuses_an_unknown_language() -> None:
    done = run("-m", "app", "--lang", "xx")
    assert done.returncode == 2
    assert "unknown language 'xx'" in done.stderr
