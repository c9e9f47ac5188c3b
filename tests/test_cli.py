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


def test_stats_counts_unit1_as_json(unit1_lessons: Path) -> None:
    import json

    done = run("-m", "app.cli", "--lessons", str(unit1_lessons), "stats", "--json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["courses"] == 1 and stats["units"] == {"sejong": 1}
    assert (stats["dialogue_lines"], stats["vocabulary"], stats["grammar_points"]) == (10, 25, 2)
    assert stats["exercises"] == {
        "arrange": 2,
        "dictation": 1,
        "fill": 4,
        "korean": 2,
        "listen": 1,
        "match": 1,
        "meaning": 2,
        "reply": 3,
        "type": 2,
    }
    assert stats["translations"]["vi"]["percent"] == 100.0
    assert stats["translations"]["th"] == {
        "texts": stats["translations"]["vi"]["texts"],
        "authored": 0,
        "machine": 0,
        "percent": 0.0,
    }


def test_stats_prints_a_table(unit1_lessons: Path) -> None:
    done = run("-m", "app.cli", "--lessons", str(unit1_lessons), "stats")
    assert done.returncode == 0
    assert "vocabulary       25" in done.stdout and "zh-Hans" in done.stdout
