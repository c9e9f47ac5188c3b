"""Audio playback with flet-audio: one clip at a time, reporting when a clip ends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import flet as ft
import flet_audio as fa


class FletPlayer:
    """Plays clips from the assets folder (served there in web mode too), and clips from
    installed course packs, whose bytes are sent to the client.

    Each clip gets a fresh `Audio` service created with its `src` and `autoplay`: flet-audio's
    client refuses a service without a source, and setting a new source then calling `play()`
    races the asynchronous load. The previous service is dropped, which disposes its player.
    """

    def __init__(self, page: ft.Page, on_finished: Callable[[], None]) -> None:
        self._page = page
        self._on_finished = on_finished
        self._audio: fa.Audio | None = None

    def play(self, src: str) -> None:
        source: str | bytes = src
        if Path(src).is_absolute():
            # Outside the served assets (a course pack's clip): the browser could not fetch
            # the path, so the clip's bytes travel to the client instead.
            try:
                source = Path(src).read_bytes()
            except OSError:
                self._on_finished()  # gone since it was looked up: as if it had played
                return
        # Created in the page's context (an event handler), the service registers itself.
        self._audio = fa.Audio(
            src=source,
            autoplay=True,
            release_mode=fa.ReleaseMode.STOP,
            on_state_change=self._state_changed,
        )

    def stop(self) -> None:
        if self._audio is not None:
            self._page.run_task(self._audio.pause)
            self._audio = None

    def _state_changed(self, event: fa.AudioStateChangeEvent) -> None:
        if event.control is self._audio and event.state is fa.AudioState.COMPLETED:
            self._on_finished()
