"""Audio playback with flet-audio: one player per page, reporting when a clip ends."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft
import flet_audio as fa


class FletPlayer:
    """Plays clips from the assets folder (they are served there in web mode too)."""

    def __init__(self, page: ft.Page, on_finished: Callable[[], None]) -> None:
        self._page = page
        self._on_finished = on_finished
        # Created inside the page's context, the service registers itself with the page.
        self._audio = fa.Audio(
            release_mode=fa.ReleaseMode.STOP, on_state_change=self._state_changed
        )

    def play(self, src: str) -> None:
        self._audio.src = src
        self._audio.update()
        self._page.run_task(self._audio.play)

    def stop(self) -> None:
        self._page.run_task(self._audio.pause)

    def _state_changed(self, event: fa.AudioStateChangeEvent) -> None:
        if event.state is fa.AudioState.COMPLETED:
            self._on_finished()
