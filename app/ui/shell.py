"""The app shell: opens content and store, renders the current screen, re-renders on change."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import flet as ft

from app.content.loader import Library, load_library
from app.i18n.catalog import DEFAULT_LANGUAGE, Translator, load_translator
from app.media.library import AudioLibrary
from app.mt.argos import default_models_dir, engine_for
from app.packs import PackStore
from app.paths import ASSETS_DIR
from app.store.db import DB_NAME, Database, StoreError, open_database, set_aside
from app.store.repository import SqlStore
from app.ui.bidi import isolate_ltr_texts
from app.ui.controller import Controller, Screen
from app.ui.fonts import family_chain, page_fonts
from app.ui.player import FletPlayer
from app.ui.syncing import Syncing
from app.ui.tutoring import Tutoring
from app.ui.views import (
    classes,
    course,
    exercise,
    home,
    language,
    problem,
    progress,
    result,
    review,
    settings,
    unit,
)
from app.ui.widgets import OnDevice

# Every Material text style: each one names the language's fonts, in fallback order, so no text
# (button labels, text fields, chart labels) is left to Flutter's own fallback, which on the
# web fetches fonts from a CDN.
TEXT_STYLES = tuple(
    f"{size}_{scale}"
    for size in ("display", "headline", "title", "body", "label")
    for scale in ("large", "medium", "small")
)

VIEWS: dict[Screen, Callable[[Controller], ft.Control]] = {
    Screen.LANGUAGE: language.view,
    Screen.HOME: home.view,
    Screen.COURSE: course.view,
    Screen.UNIT: unit.view,
    Screen.EXERCISE: exercise.view,
    Screen.RESULT: result.view,
    Screen.REVIEW: review.view,
    Screen.PROGRESS: progress.view,
    Screen.SETTINGS: settings.view,
    Screen.CLASSES: classes.view,
}


@dataclass(frozen=True)
class AppConfig:
    lessons_dir: Path
    data_dir: Path
    language: str | None = None  # forces the interface language (from --lang)
    assets_dir: Path = ASSETS_DIR  # what the app serves: fonts/, and audio/ once built
    audio_dir: Path | None = None  # built clips; default assets_dir/audio


def render(ctl: Controller) -> ft.Control:
    """The control tree for the controller's current state."""
    tree = VIEWS[ctl.state.screen](ctl)
    return isolate_ltr_texts(tree) if ctl.t.rtl else tree


def theme(lang: str) -> ft.Theme:
    """The app theme with the fonts of `lang`: its font family first, then the fallbacks.

    Flet's Theme has a font family but no fallback list, so the fallbacks go into every text
    style of the text themes (which replace Flutter's styles whole: hence the colours)."""
    family, fallback = family_chain(lang)

    def styles(color: str) -> ft.TextTheme:
        return ft.TextTheme(
            **{
                name: ft.TextStyle(
                    font_family=family, font_family_fallback=list(fallback), color=color
                )
                for name in TEXT_STYLES
            }
        )

    return ft.Theme(
        color_scheme_seed=ft.Colors.TEAL,
        font_family=family,
        text_theme=styles(ft.Colors.ON_SURFACE),
        primary_text_theme=styles(ft.Colors.ON_PRIMARY),
    )


def show_language(page: ft.Page, t: Translator) -> None:
    """Load the fonts of the interface language and set the page's direction."""
    fonts = page_fonts(t.lang)
    if page.fonts != fonts:
        page.fonts = fonts
        page.theme = theme(t.lang)
    page.rtl = t.rtl


def now() -> datetime:
    return datetime.now(UTC)


def _library(lessons_dir: Path, packs: PackStore) -> Library:
    """The bundled courses, each replaced by its installed course pack when there is one."""
    installed = {p.course: p.path / "lessons" / p.course for p in packs.installed()}
    key = (lessons_dir, tuple(sorted((k, str(v)) for k, v in installed.items())))
    if key not in _libraries:
        _libraries[key] = load_library(lessons_dir, installed)
    return _libraries[key]


_libraries: dict[tuple[Path, tuple[tuple[str, str], ...]], Library] = {}


class _SyncHub:
    """One sync engine per progress file, shared by every window or tab showing it."""

    def __init__(self, store: SqlStore, packs: PackStore) -> None:
        self.listeners: list[Callable[[], None]] = []
        self.pack_listeners: list[Callable[[], None]] = []
        self.assignment_listeners: list[Callable[[], None]] = []
        self.syncing = Syncing(
            store,
            packs,
            self._changed,
            self._packs_installed,
            on_assignments_changed=self._assignments_changed,
        )
        self.syncing.start()

    def _changed(self) -> None:
        _tell(self.listeners)

    def _packs_installed(self) -> None:
        _tell(self.pack_listeners)

    def _assignments_changed(self) -> None:
        _tell(self.assignment_listeners)


def _tell(listeners: list[Callable[[], None]]) -> None:
    """Call every listener; one that fails belongs to a closed tab: forget it."""
    for listener in list(listeners):
        try:
            listener()
        except Exception:
            listeners.remove(listener)


_hubs: dict[Path, _SyncHub] = {}


_databases: dict[Path, Database] = {}


def _database(path: Path) -> Database:
    """One engine per file for the whole process (web mode serves several tabs)."""
    if path not in _databases:
        _databases[path] = open_database(path)
    return _databases[path]


def make_controller(config: AppConfig) -> Controller:
    """Everything the app needs, real: content from lessons/, the SQLite file in data_dir."""
    path = config.data_dir / DB_NAME
    store = SqlStore(_database(path))
    packs = PackStore(config.data_dir / "packs")
    if path not in _hubs:
        _hubs[path] = _SyncHub(store, packs)
    hub = _hubs[path]
    machine = engine_for(default_models_dir(config.data_dir))
    audio = AudioLibrary(
        config.audio_dir or config.assets_dir / "audio",
        config.assets_dir,
        pack_audio=lambda: [pack.path / "audio" for pack in packs.installed()],
    )
    ctl = Controller(
        library=_library(config.lessons_dir, packs),
        store=store,
        clock=now,
        new_id=lambda: str(uuid.uuid4()),
        seed=lambda: random.randrange(2**31),
        forced_language=config.language,
        audio=audio,
        export_dir=config.data_dir / "exports",
        syncing=hub.syncing,
        machine=machine,
        tutoring=Tutoring(hub.syncing.client),
    )
    OnDevice.can = ctl.can_translate_on_device
    OnDevice.translate = ctl.translate_on_device

    def packs_installed() -> None:
        audio.reload()  # a pack brings the clips of its lessons
        ctl.library_changed(_library(config.lessons_dir, packs))

    hub.pack_listeners.append(packs_installed)

    def sync_changed() -> None:
        # Only Settings shows sync, and Home the progress a sync can bring (Home has no text
        # field): redrawing other screens would take the focus from a learner typing an answer.
        progressed = ctl.progress_synced()
        if ctl.state.screen is Screen.SETTINGS or (progressed and ctl.state.screen is Screen.HOME):
            ctl.on_change()

    hub.listeners.append(sync_changed)

    def assignments_changed() -> None:
        # Home lists her tutors' assignments and has no text field to lose the focus of.
        if ctl.state.screen is Screen.HOME:
            ctl.on_change()

    hub.assignment_listeners.append(assignments_changed)

    def tutoring_changed() -> None:
        # A tutor call finished (on its own thread): redraw My classes if it is still open.
        if ctl.state.screen is Screen.CLASSES:
            ctl.on_change()

    assert ctl.tutoring is not None
    ctl.tutoring.on_change = tutoring_changed
    return ctl


def build_main(config: AppConfig) -> Callable[[ft.Page], None]:
    def main(page: ft.Page) -> None:
        page.title = "SSOC Korean"
        page.fonts = page_fonts(DEFAULT_LANGUAGE)
        page.theme = theme(DEFAULT_LANGUAGE)
        page.padding = 0
        start(page, config)

    return main


def start(page: ft.Page, config: AppConfig) -> None:
    try:
        ctl = make_controller(config)
    except StoreError as error:
        show_problem(page, config, error)
        return

    def rerender() -> None:
        show_language(page, ctl.t)
        page.controls = [render(ctl)]
        page.update()

    ctl.on_change = rerender
    ctl.player = FletPlayer(page, ctl.clip_finished)
    rerender()


def show_problem(page: ft.Page, config: AppConfig, error: StoreError) -> None:
    t = load_translator(config.language or "en")

    def retry() -> None:
        start(page, config)

    def start_fresh() -> None:
        set_aside(error.path, now())
        start(page, config)

    show_language(page, t)
    tree = problem.view(error, t, retry, start_fresh)
    page.controls = [isolate_ltr_texts(tree) if t.rtl else tree]
    page.update()
