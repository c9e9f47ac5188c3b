"""What the app asks: the clip for a text or a dialogue, as a path inside its assets dir (or an
absolute path, for clips outside it: a course pack's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app.media.cache import Entry, Index, Slot, speed_label
from app.media.clips import NORMAL, SLOW, normalise
from app.paths import ASSETS_DIR

AUDIO_DIR = ASSETS_DIR / "audio"  # built by `python -m app.cli audio`; never committed


@dataclass(frozen=True)
class _Source:
    """One folder of built clips with its index, and how the app names its files."""

    folder: Path
    prefix: str  # relative to the assets dir, or an absolute path outside it
    index: Index
    dialogue_courses: frozenset[str]  # whose dialogue clips it has ("level1" of "level1/u01")

    @classmethod
    def of(cls, folder: Path, assets_dir: Path) -> _Source:
        try:
            # The app serves assets_dir, so a clip's src is its path relative to it.
            prefix = folder.resolve().relative_to(assets_dir.resolve()).as_posix()
        except ValueError:
            prefix = folder.resolve().as_posix()  # outside the assets: absolute path
        index = Index.load(folder)
        courses = frozenset(ref.partition("/")[0] for _, ref in index.dialogues)
        return cls(folder, prefix, index, courses)


class AudioLibrary:
    """The built clips in `audio_dir`, looked up the way the index stores them, and the clips
    of installed course packs (`pack_audio` lists their audio folders). A pack's clip wins: a
    pack carries the audio of its own, newer lessons."""

    def __init__(
        self,
        audio_dir: Path = AUDIO_DIR,
        assets_dir: Path = ASSETS_DIR,
        pack_audio: Callable[[], Iterable[Path]] = lambda: (),
    ) -> None:
        self.audio_dir = audio_dir
        self.assets_dir = assets_dir
        self.pack_audio = pack_audio
        self._sources = self._load()

    def _load(self) -> list[_Source]:
        packs = [_Source.of(folder, self.assets_dir) for folder in self.pack_audio()]
        return [*packs, _Source.of(self.audio_dir, self.assets_dir)]

    @property
    def index(self) -> Index:
        """The bundled clips' index."""
        return self._sources[-1].index

    def reload(self) -> None:
        """Read the indexes again (after a build or a pack install)."""
        self._sources = self._load()

    def __len__(self) -> int:
        """Distinct clips, over the bundled ones and the packs'."""
        return len({slot for src in self._sources for slot in src.index.phrases}) + len(
            {slot for src in self._sources for slot in src.index.dialogues}
        )

    def clip(self, text: str, slow: bool = False) -> str | None:
        """The clip of a Korean text relative to the assets dir, or None if it is not built."""
        return self._src("phrases", (self._speed(slow), normalise(text)))

    def dialogue_clip(self, unit_ref: str, slow: bool = False) -> str | None:
        """The whole dialogue of a unit ("level1/u01") relative to the assets dir, or None.

        A dialogue clip is found by its unit, not its text: for a course that an installed
        pack brings, only the pack's clips count (the bundled one may speak an older text)."""
        unit_ref = unit_ref.strip()
        course = unit_ref.partition("/")[0]
        packs = self._sources[:-1]
        sources = packs if any(course in p.dialogue_courses for p in packs) else self._sources
        found = self._find("dialogues", (self._speed(slow), unit_ref), sources)
        return f"{found[0].prefix}/{found[1].file}" if found is not None else None

    def voice(self, text: str, slow: bool = False) -> str | None:
        """Which voice made a text's clip ("gtts", "espeak"), or None if it is not built."""
        found = self._find("phrases", (self._speed(slow), normalise(text)))
        return found[1].voice if found is not None else None

    @staticmethod
    def _speed(slow: bool) -> str:
        return speed_label(SLOW if slow else NORMAL)

    def clip_file(self, text: str, slow: bool = False) -> Path | None:
        """The clip file of a Korean text (for an export), or None if it is not built."""
        found = self._find("phrases", (self._speed(slow), normalise(text)))
        return found[0].folder / found[1].file if found is not None else None

    def _src(self, table: str, slot: Slot) -> str | None:
        found = self._find(table, slot)
        return f"{found[0].prefix}/{found[1].file}" if found is not None else None

    def _find(
        self, table: str, slot: Slot, sources: list[_Source] | None = None
    ) -> tuple[_Source, Entry] | None:
        for source in self._sources if sources is None else sources:
            entry: Entry | None = getattr(source.index, table).get(slot)
            # A file removed behind our back plays as an error; say "missing" instead.
            if entry is not None and (source.folder / entry.file).is_file():
                return source, entry
        return None
