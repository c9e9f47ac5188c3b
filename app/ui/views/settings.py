"""Settings: a list of sections, each a card with a heading (interface language first).

A new section is a function `(Controller) -> ft.Control` appended to SECTIONS; build it with
`section()` so every section looks alike and carries a key tests can find.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import flet as ft

from app.i18n.catalog import LANGUAGES
from app.ui.controller import Controller
from app.ui.widgets import card, heading, screen, top_bar


def section(key: str, title: str, controls: Sequence[ft.Control]) -> ft.Control:
    """One settings section: a heading, then its controls, in a card."""
    return card([heading(title, 18), *controls], key=f"settings-{key}")


def language_section(ctl: Controller) -> ft.Control:
    """The interface language, changeable at any time; each language named in its own words."""
    t = ctl.t
    current = ctl.state.lang
    choices: list[ft.Control] = []
    for code, own_name in LANGUAGES.items():
        label = own_name if code == current else f"{own_name} · {t.language_name(code)}"
        if code == current:
            choices.append(ft.FilledButton(label, icon=ft.Icons.CHECK, key=f"settings-lang-{code}"))
        else:
            choices.append(
                ft.OutlinedButton(
                    label,
                    key=f"settings-lang-{code}",
                    on_click=lambda _e=None, code=code: ctl.change_language(code),
                )
            )
    return section(
        "language",
        t._("Interface language"),
        [
            ft.Text(t._("Menus, instructions and translations are shown in this language.")),
            ft.Row(choices, wrap=True, spacing=8, run_spacing=8),
        ],
    )


SECTIONS: list[Callable[[Controller], ft.Control]] = [language_section]


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    return screen(top_bar(t._("Settings"), t, ctl.back), [part(ctl) for part in SECTIONS])
