"""What the app sees: clip paths relative to its assets dir, or None."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from app.media.cache import INDEX_NAME
from app.media.clips import CourseClips
from app.media.library import AudioLibrary


def test_a_clip_is_a_path_inside_the_assets_dir(small: CourseClips, audio_dir: Path) -> None:
    assets = audio_dir.parent
    library = AudioLibrary(audio_dir, assets)
    normal = library.clip("학생")
    slow = library.clip("학생", slow=True)
    assert normal is not None and slow is not None and normal != slow
    assert normal.startswith("audio/") and normal.endswith(".mp3")
    assert (assets / normal).is_file() and (assets / slow).is_file()
    assert library.voice("학생") == "espeak"
    assert len(library) == 30


def test_lookup_normalises_like_the_index(small: CourseClips, audio_dir: Path) -> None:
    library = AudioLibrary(audio_dir, audio_dir.parent)
    line = small.dialogues[0].lines[0]
    decomposed = unicodedata.normalize("NFD", line)
    assert decomposed != line
    assert library.clip(f"  {decomposed}\n") == library.clip(line) is not None
    assert library.clip(line.replace(" ", "  ")) == library.clip(line)


def test_a_whole_dialogue(audio_dir: Path) -> None:
    library = AudioLibrary(audio_dir, audio_dir.parent)
    normal = library.dialogue_clip("level1/u01")
    slow = library.dialogue_clip("level1/u01", slow=True)
    assert normal is not None and slow is not None and normal != slow
    assert library.dialogue_clip("level1/u99") is None


def test_missing_clips_are_none_never_an_error(audio_dir: Path, tmp_path: Path) -> None:
    library = AudioLibrary(audio_dir, audio_dir.parent)
    assert library.clip("없는 문장이에요.") is None
    found = library.clip("나라")
    assert found is not None
    (audio_dir.parent / found).unlink()  # a file gone behind the index's back
    assert library.clip("나라") is None
    nothing = AudioLibrary(tmp_path / "never-built", tmp_path)
    assert nothing.clip("학생") is None and nothing.dialogue_clip("level1/u01") is None
    assert len(nothing) == 0


def test_a_damaged_index_means_no_clips(audio_dir: Path) -> None:
    (audio_dir / INDEX_NAME).write_text("{broken", encoding="utf-8")
    assert AudioLibrary(audio_dir, audio_dir.parent).clip("학생") is None


def test_reload_sees_a_new_build(audio_dir: Path) -> None:
    index = (audio_dir / INDEX_NAME).read_text(encoding="utf-8")
    (audio_dir / INDEX_NAME).unlink()
    library = AudioLibrary(audio_dir, audio_dir.parent)
    assert library.clip("학생") is None
    (audio_dir / INDEX_NAME).write_text(index, encoding="utf-8")
    library.reload()
    assert library.clip("학생") is not None


def test_the_default_is_the_apps_assets_audio_dir() -> None:
    library = AudioLibrary()
    assert library.audio_dir.parts[-2:] == ("assets", "audio")
