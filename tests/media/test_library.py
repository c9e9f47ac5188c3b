"""What the app sees: clip paths relative to its assets dir, or None."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.media.cache import INDEX_NAME
from app.media.clips import CourseClips
from app.media.library import AudioLibrary
from app.packs import PackStore, build_pack, course_files
from app.paths import LESSONS_DIR


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


def test_an_installed_packs_clips_come_first_and_the_bundled_ones_fill_in(
    audio_dir: Path, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    pack = tmp_path / "level1-1.zip"
    build_pack("level1", 1, course_files(LESSONS_DIR, audio_dir, "level1"), key, pack)
    packs = PackStore(tmp_path / "packs", [key.public_key()])
    library = AudioLibrary(
        audio_dir,
        audio_dir.parent,
        pack_audio=lambda: [p.path / "audio" for p in packs.installed()],
    )
    bundled = library.clip("학생")
    assert bundled is not None and bundled.startswith("audio/")

    pack_audio = packs.install(pack).path / "audio"
    assert library.clip("학생") == bundled  # until the app reloads after an install
    library.reload()
    from_pack = library.clip("학생")
    assert from_pack is not None and Path(from_pack).is_absolute()
    assert Path(from_pack).parent.parent == pack_audio.resolve()  # audio/<xx>/<file>.mp3
    assert Path(from_pack).read_bytes() == (audio_dir.parent / bundled).read_bytes()
    assert library.clip_file("학생") == Path(from_pack)
    dialogue = library.dialogue_clip("level1/u01")
    assert dialogue is not None and dialogue.startswith(pack_audio.resolve().as_posix())
    assert library.voice("학생") == "espeak" and len(library) == 30

    Path(from_pack).unlink()  # a clip the pack lacks is still found among the bundled ones
    assert library.clip("학생") == bundled
    assert library.clip_file("학생") == audio_dir.parent / bundled
    # A dialogue clip is found by unit, not by text: for the pack's course, the bundled one
    # (perhaps of an older dialogue) is never played instead.
    Path(dialogue).unlink()
    assert library.dialogue_clip("level1/u01") is None
    assert AudioLibrary(audio_dir, audio_dir.parent).dialogue_clip("level1/u01") is not None
