"""First start (and the globe button on Home): pick the interface language."""

from __future__ import annotations

import flet as ft

from app.i18n.catalog import LANGUAGES
from app.ui.controller import Controller
from app.ui.widgets import heading, screen, top_bar


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    state = ctl.state
    # Before a language is chosen nobody knows which to read: Korean and English, and each
    # language below in its own words.
    body: list[ft.Control] = [heading("언어 · Language")]
    if state.notice:
        body.append(
            ft.Text(
                t._(
                    "The saved language “{lang}” is not available. Please choose again.",
                    lang=state.notice,
                ),
                color=ft.Colors.ERROR,
                key="language-notice",
            )
        )
    for code, name in LANGUAGES.items():
        body.append(
            ft.FilledButton(
                name,
                key=f"lang-{code}",
                on_click=lambda _e=None, code=code: ctl.choose_language(code),
                width=280,
            )
        )
    back = ctl.back if state.lang is not None else None
    return screen(top_bar("SSOC Korean", t, back), body)
