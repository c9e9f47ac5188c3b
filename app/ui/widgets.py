"""Small building blocks shared by the views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import flet as ft

from app.domain.text import SOURCE_LANG, Text
from app.i18n.catalog import Translator

if TYPE_CHECKING:
    from app.ui.controller import Controller

KOREAN_SIZE = 20
GAP = 12


def icon_button(
    icon: ft.IconData,
    label: str,
    key: str,
    on_click: Callable[[], Any],
    *,
    disabled: bool = False,
) -> ft.Control:
    """An icon button with a spoken name: screen readers (and tests) find it by `label`.

    No tooltip: phones have no hover, and a tooltip would make screen readers say it twice."""
    return ft.Semantics(
        content=ft.IconButton(icon, key=key, disabled=disabled, on_click=on_click),
        label=label,
        button=True,
        container=True,  # its own node: the label must not merge into the surrounding card
    )


def heading(value: str, size: int = 22) -> ft.Text:
    return ft.Text(value, size=size, weight=ft.FontWeight.BOLD)


def korean(value: str, size: int = KOREAN_SIZE, key: str | None = None) -> ft.Text:
    """Korean text, a little larger than the interface text."""
    return ft.Text(value, size=size, key=key)


def translated(
    text: Text, lang: str, t: Translator, size: int = 15, *, beside_korean: bool = False
) -> ft.Control:
    """A translation in the learner's language, marked when a machine made it.

    `beside_korean`: the Korean is already on screen, so a Korean-interface learner sees
    nothing more (rather than the same line twice)."""
    if beside_korean and lang == SOURCE_LANG:
        return ft.Text("", size=1)
    shown = text.shown(lang)
    if shown is None:
        return ft.Text("")
    label = ft.Text(shown.text, size=size, color=ft.Colors.ON_SURFACE_VARIANT)
    if not shown.is_machine:
        return label
    return ft.Column([label, ft.Text(t._("machine translation"), size=11, italic=True)], spacing=2)


def prompt_lang(lang: str) -> str:
    """The language of exercise prompts: never Korean, which would give the answer away."""
    return "en" if lang == SOURCE_LANG else lang


def card(
    controls: Sequence[ft.Control], key: str | None = None, *, highlight: bool = False
) -> ft.Card:
    return ft.Card(
        ft.Container(ft.Column(list(controls), spacing=6), padding=ft.Padding.all(GAP)),
        key=key,
        bgcolor=ft.Colors.TERTIARY_CONTAINER if highlight else None,
        # Each text and button keeps its own accessibility node: merged into one, the card was
        # announced as whatever its first control was (e.g. "progress bar …") and buttons
        # inside it could not be reached.
        semantic_container=False,
    )


def page_body(controls: Sequence[ft.Control]) -> ft.Control:
    """A scrolling column with the app's margins; every screen sits in one."""
    return ft.Container(
        ft.Column(list(controls), spacing=GAP, scroll=ft.ScrollMode.AUTO, expand=True),
        padding=ft.Padding.symmetric(horizontal=16, vertical=8),
        expand=True,
    )


def top_bar(title: str, t: Translator, on_back: Callable[[], Any] | None) -> ft.Control:
    leading: list[ft.Control] = []
    if on_back is not None:
        leading.append(icon_button(ft.Icons.ARROW_BACK, t._("Back"), "back", on_back))
    return ft.Container(
        ft.Row([*leading, ft.Text(title, size=20, weight=ft.FontWeight.BOLD, expand=True)]),
        padding=ft.Padding.symmetric(horizontal=8, vertical=8),
        bgcolor=ft.Colors.PRIMARY_CONTAINER,
    )


def play_button(ctl: Controller, text: str, key: str) -> ft.Control:
    """Play the Korean `text`; disabled, saying why, when its audio is not on this device."""
    t = ctl.t
    available = ctl.clip(text) is not None
    playing = available and ctl.state.playing == text
    return icon_button(
        ft.Icons.VOLUME_UP if playing else ft.Icons.VOLUME_UP_OUTLINED,
        t._("Listen") if available else t._("No audio on this device yet for this text"),
        key,
        lambda: ctl.play(text),
        disabled=not available,
    )


def speed_switch(ctl: Controller) -> ft.Switch:
    """Normal or slow (0.75x) audio, remembered in settings."""
    return ft.Switch(
        label=ctl.t._("Slow audio"),
        value=ctl.state.slow,
        key="toggle-speed",
        on_change=ctl.toggle_speed,
    )


def screen(bar: ft.Control, body: Sequence[ft.Control]) -> ft.Control:
    return ft.Column([bar, page_body(body)], spacing=0, expand=True)
