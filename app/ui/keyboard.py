"""The on-screen 2-beolsik Hangul keyboard, for phones and PCs without a Korean keyboard."""

from __future__ import annotations

import flet as ft

from app.domain.hangul_input import ROWS, Key
from app.ui.controller import Controller
from app.ui.widgets import icon_button


def _key(ctl: Controller, key: Key) -> ft.Control:
    jamo = key.jamo_for(ctl.state.shift)
    return ft.Container(
        ft.Text(jamo, size=18, text_align=ft.TextAlign.CENTER),
        key=f"key-{key.latin}",
        width=32,
        height=40,
        alignment=ft.Alignment.CENTER,
        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
        border_radius=6,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
        on_click=lambda: ctl.key(jamo),
    )


def keyboard(ctl: Controller) -> ft.Control:
    """Three rows of jamo keys plus Shift, space and backspace."""
    t = ctl.t
    rows: list[ft.Control] = [
        ft.Row(
            [_key(ctl, key) for key in row],
            spacing=3,
            alignment=ft.MainAxisAlignment.CENTER,
        )
        for row in ROWS
    ]
    rows.append(
        ft.Row(
            [
                ft.Button(
                    "⇧",
                    key="key-shift",
                    tooltip=t._("Shift: double consonants and ㅒ ㅖ"),
                    bgcolor=ft.Colors.PRIMARY_CONTAINER if ctl.state.shift else None,
                    on_click=ctl.toggle_shift,
                ),
                ft.Button(t._("Space"), key="key-space", width=140, on_click=ctl.space),
                icon_button(
                    ft.Icons.BACKSPACE_OUTLINED, t._("Delete"), "key-backspace", ctl.backspace
                ),
            ],
            alignment=ft.MainAxisAlignment.CENTER,
        )
    )
    return ft.Column(rows, spacing=4, key="hangul-keyboard")
