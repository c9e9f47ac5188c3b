"""A course: its units, each with the learner's progress."""

from __future__ import annotations

import flet as ft

from app.ui.controller import Controller
from app.ui.widgets import screen, top_bar


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    lang = ctl.state.lang or "en"
    course = ctl.course
    assert course is not None
    body: list[ft.Control] = []
    for unit in course.units:
        progress = ctl.progress_of(unit)
        if progress is None:
            status = t._("Not started")
            icon = ft.Icons.RADIO_BUTTON_UNCHECKED
        else:
            status = t._(
                "Completed · best score {percent}", percent=t.percent(progress.best_percent / 100)
            )
            icon = ft.Icons.CHECK_CIRCLE
        body.append(
            ft.ListTile(
                leading=ft.Icon(icon, color=ft.Colors.PRIMARY),
                title=ft.Text(
                    t._(
                        "Unit {number}: {title}", number=unit.number, title=unit.title.in_lang(lang)
                    )
                ),
                subtitle=ft.Text(status, key=f"status-{unit.ref.unit}"),
                key=f"unit-{unit.ref.unit}",
                on_click=lambda _e=None, u=unit: ctl.open_unit(u.ref.course, u.ref.unit),
            )
        )
    return screen(top_bar(course.title.in_lang(lang), t, ctl.back), body)
