import shutil
from pathlib import Path

import pytest

from app.content.loader import load_course
from app.media.clips import CourseClips, course_clips
from app.media.tts import EspeakVoice
from app.paths import LESSONS_DIR
from tests.media.helpers import run


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


@pytest.fixture(scope="session")
def level1_unit1(tmp_path_factory: pytest.TempPathFactory) -> CourseClips:
    """The real Level 1 course reduced to Unit 1."""
    root = tmp_path_factory.mktemp("lessons") / "level1"
    root.mkdir()
    source = LESSONS_DIR / "level1"
    shutil.copy(source / "u01.yaml", root / "u01.yaml")
    text = (source / "course.yaml").read_text(encoding="utf-8")
    lines = [("units: [u01]" if line.startswith("units:") else line) for line in text.splitlines()]
    (root / "course.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return course_clips(load_course(root))


@pytest.fixture(scope="session")
def small(level1_unit1: CourseClips) -> CourseClips:
    """Unit 1's dialogue and four of its words: 14 phrases and 1 dialogue, 30 clips in all."""
    lines = set(level1_unit1.dialogues[0].lines)
    spoken = [p for p in level1_unit1.phrases if p.text in lines]
    words = [p for p in level1_unit1.phrases if p.text in {"학생", "회사원", "나라", "이름"}]
    assert len(spoken) == 10 and len(words) == 4
    return CourseClips("level1", tuple(sorted(spoken + words)), level1_unit1.dialogues)


@pytest.fixture(scope="session")
def built(small: CourseClips, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small course built once with espeak-ng; tests work on copies of it."""
    audio_dir = tmp_path_factory.mktemp("built") / "audio"
    run(small, audio_dir, EspeakVoice())
    return audio_dir
