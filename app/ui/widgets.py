"""Small building blocks shared by the views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import flet as ft

from app.domain.text import FALLBACK_LANG, SOURCE_LANG, Text
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


class OnDevice:
    """On-device translation for lines her language lacks; the shell plugs the engine in."""

    can: Callable[[str], bool] = staticmethod(lambda lang: False)
    translate: Callable[[str, str], str | None] = staticmethod(lambda english, lang: None)


def translated(
    text: Text, lang: str, t: Translator, size: int = 15, *, beside_korean: bool = False
) -> ft.Control:
    """A translation in the learner's language.

    A machine translation is marked, with a switch to the English for that line. A line with
    no translation in her language shows the English and, when a model is installed, offers
    to translate it on this device. `beside_korean`: the Korean is already on screen, so a
    Korean-interface learner sees nothing more (rather than the same line twice)."""
    if beside_korean and lang == SOURCE_LANG:
        return ft.Text("", size=1)
    shown = text.shown(lang)
    if shown is None:
        return ft.Text("")
    label = ft.Text(shown.text, size=size, color=ft.Colors.ON_SURFACE_VARIANT)
    english = text.shown(FALLBACK_LANG)
    if shown.is_machine and english is not None and shown.lang != FALLBACK_LANG:
        return _switchable(label, shown.text, english.text, t)
    if shown.lang != lang and lang != SOURCE_LANG and OnDevice.can(lang):
        return _translatable(label, shown.text, lang, t)
    return label


def _redraw(control: ft.Control) -> None:
    """Send a control's change to the screen (when it is on one: tests build trees alone)."""
    try:
        control.page  # noqa: B018 - raises RuntimeError when not on a page
    except RuntimeError:
        return
    control.update()


def _switchable(label: ft.Text, own: str, english: str, t: Translator) -> ft.Control:
    """A machine-translated line with a link that swaps it for the English and back."""
    mark = t._("machine translation")
    toggle = ft.TextButton(t._("Show English"), style=ft.ButtonStyle(padding=0))
    note = ft.Row([ft.Text(mark, size=11, italic=True), toggle], spacing=8, wrap=True)
    box = ft.Column([label, note], spacing=0)

    def flip(_e: object = None) -> None:
        showing_own = label.value == own
        label.value = english if showing_own else own
        toggle.content = t._("Show my language") if showing_own else t._("Show English")
        _redraw(box)

    toggle.on_click = flip
    return box


def _translatable(label: ft.Text, english: str, lang: str, t: Translator) -> ft.Control:
    """An English fallback line with 'Translate on this device'."""
    button = ft.TextButton(
        t._("Translate on this device"), style=ft.ButtonStyle(padding=0), data="on-device"
    )
    box = ft.Column([label, button], spacing=0)

    def translate(_e: object = None) -> None:
        result = OnDevice.translate(english, lang)
        if result:
            label.value = result
            box.controls = [label, ft.Text(t._("machine translation"), size=11, italic=True)]
        else:
            box.controls = [label, ft.Text(t._("Could not translate this line."), size=11)]
        _redraw(box)

    button.on_click = translate
    return box


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
