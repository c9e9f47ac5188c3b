"""The app shell: opens content and store, renders the current screen, re-renders on change."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import flet as ft

from app.content.loader import Library, load_library
from app.i18n.catalog import DEFAULT_LANGUAGE, Translator, load_translator
from app.media.library import AudioLibrary
from app.paths import ASSETS_DIR
from app.store.db import DB_NAME, Database, StoreError, open_database, set_aside
from app.store.repository import SqlStore
from app.ui.bidi import isolate_ltr_texts
from app.ui.controller import Controller, Screen
from app.ui.fonts import family_chain, page_fonts
from app.ui.player import FletPlayer
from app.ui.views import (
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


@lru_cache(maxsize=4)
def _library(lessons_dir: Path) -> Library:
    return load_library(lessons_dir)


_databases: dict[Path, Database] = {}


def _database(path: Path) -> Database:
    """One engine per file for the whole process (web mode serves several tabs)."""
    if path not in _databases:
        _databases[path] = open_database(path)
    return _databases[path]


def make_controller(config: AppConfig) -> Controller:
    """Everything the app needs, real: content from lessons/, the SQLite file in data_dir."""
    store = SqlStore(_database(config.data_dir / DB_NAME))
    return Controller(
        library=_library(config.lessons_dir),
        store=store,
        clock=now,
        new_id=lambda: str(uuid.uuid4()),
        seed=lambda: random.randrange(2**31),
        forced_language=config.language,
        audio=AudioLibrary(config.audio_dir or config.assets_dir / "audio", config.assets_dir),
        export_dir=config.data_dir / "exports",
    )


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
