"""When the progress file cannot be opened: say what happened and keep her data safe."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.i18n.catalog import Translator
from app.store.db import StoreError, StoreProblem
from app.ui.widgets import heading, screen, top_bar


def view(
    error: StoreError,
    t: Translator,
    retry: Callable[[], None],
    start_fresh: Callable[[], None],
) -> ft.Control:
    messages = {
        StoreProblem.LOCKED: t._(
            "Another copy of SSOC Korean is using your progress file. Close it, then try again."
        ),
        StoreProblem.DAMAGED: t._(
            "Your progress file is damaged and cannot be read. It has not been changed. "
            "You can start a new progress file; the damaged one is kept next to it for recovery."
        ),
        StoreProblem.UNWRITABLE: t._("SSOC Korean cannot open or write its progress file."),
        StoreProblem.TOO_NEW: t._(
            "Your progress file was made by a newer version of SSOC Korean. Please update the app."
        ),
    }
    body: list[ft.Control] = [
        heading(t._("Your progress could not be opened"), 20),
        ft.Text(messages[error.problem], key="problem-message"),
        ft.Text(str(error.path), size=12, selectable=True),
        ft.Text(error.detail, size=12, selectable=True, italic=True),
        ft.FilledButton(t._("Try again"), key="retry", on_click=retry),
    ]
    if error.problem is StoreProblem.DAMAGED:
        body.append(
            ft.OutlinedButton(
                t._("Start a new progress file"), key="start-fresh", on_click=start_fresh
            )
        )
    return screen(top_bar("SSOC Korean", t, None), body)
