import shutil
from pathlib import Path

import pytest

from app.paths import LESSONS_DIR


@pytest.fixture
def unit1_lessons(tmp_path: Path) -> Path:
    """The real Level 1 course reduced to Unit 1 (so UI tests do not depend on other units)."""
    root = tmp_path / "lessons"
    (root / "level1").mkdir(parents=True)
    shutil.copy(LESSONS_DIR / "level1" / "u01.yaml", root / "level1" / "u01.yaml")
    text = (LESSONS_DIR / "level1" / "course.yaml").read_text(encoding="utf-8")
    lines = [("units: [u01]" if line.startswith("units:") else line) for line in text.splitlines()]
    (root / "level1" / "course.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
