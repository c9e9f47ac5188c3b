"""What the app asks: the clip for a text or a dialogue, as a path inside its assets dir."""

from __future__ import annotations

from pathlib import Path

from app.media.cache import Entry, Index, Slot, speed_label
from app.media.clips import NORMAL, SLOW, normalise
from app.paths import ASSETS_DIR

AUDIO_DIR = ASSETS_DIR / "audio"  # built by `python -m app.cli audio`; never committed


class AudioLibrary:
    """The built clips in `audio_dir`, looked up the way the index stores them."""

    def __init__(self, audio_dir: Path = AUDIO_DIR, assets_dir: Path = ASSETS_DIR) -> None:
        self.audio_dir = audio_dir
        try:
            # The app serves assets_dir, so a clip's src is its path relative to it.
            self._prefix = audio_dir.resolve().relative_to(assets_dir.resolve()).as_posix()
        except ValueError:
            self._prefix = audio_dir.resolve().as_posix()  # outside the assets: absolute path
        self.index = Index.load(audio_dir)

    def reload(self) -> None:
        """Read index.json again (after a build or a pack install)."""
        self.index = Index.load(self.audio_dir)

    def __len__(self) -> int:
        return len(self.index.phrases) + len(self.index.dialogues)

    def clip(self, text: str, slow: bool = False) -> str | None:
        """The clip of a Korean text relative to the assets dir, or None if it is not built."""
        return self._src(self.index.phrases, (self._speed(slow), normalise(text)))

    def dialogue_clip(self, unit_ref: str, slow: bool = False) -> str | None:
        """The whole dialogue of a unit ("level1/u01") relative to the assets dir, or None."""
        return self._src(self.index.dialogues, (self._speed(slow), unit_ref.strip()))

    def voice(self, text: str, slow: bool = False) -> str | None:
        """Which voice made a text's clip ("gtts", "espeak"), or None if it is not built."""
        entry = self.index.phrases.get((self._speed(slow), normalise(text)))
        return entry.voice if entry is not None else None

    @staticmethod
    def _speed(slow: bool) -> str:
        return speed_label(SLOW if slow else NORMAL)

    def _src(self, table: dict[Slot, Entry], slot: Slot) -> str | None:
        entry = table.get(slot)
        # A file removed behind our back plays as an error; say "missing" instead.
        if entry is None or not (self.audio_dir / entry.file).is_file():
            return None
        return f"{self._prefix}/{entry.file}"
