"""Walk a Flet control tree built by a view, find controls by key, and press them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import flet as ft

from app.domain.exercises import ArrangeExercise, ChoiceExercise, MatchExercise, TypeExercise
from app.ui.controller import Controller
from app.ui.shell import render


def walk(control: Any) -> Iterator[ft.BaseControl]:
    if isinstance(control, ft.BaseControl):
        yield control
        for field in dataclasses.fields(control):
            if field.name.startswith("_") or field.name in ("parent", "page"):
                continue
            yield from walk(getattr(control, field.name, None))
    elif isinstance(control, list | tuple):
        for item in control:
            yield from walk(item)


def find(root: ft.Control, key: str) -> Any:
    found = [c for c in walk(root) if c.key == key]
    assert len(found) == 1, f"expected one control with key {key!r}, found {len(found)}"
    return found[0]


def keys(root: ft.Control, prefix: str = "") -> list[str]:
    return [str(c.key) for c in walk(root) if c.key is not None and str(c.key).startswith(prefix)]


def texts(root: ft.Control) -> list[str]:
    found = []
    for c in walk(root):
        if isinstance(c, ft.Text) and c.value:
            found.append(c.value)
        elif isinstance(c, ft.Button) and isinstance(c.content, str):
            found.append(c.content)
    return found


def press(root: ft.Control, key: str) -> None:
    control = find(root, key)
    assert not control.disabled, f"{key} is disabled"
    handler = control.on_click if not isinstance(control, ft.Switch) else control.on_change
    assert handler is not None, f"{key} has no handler"
    try:
        handler()
    except TypeError:
        handler(SimpleNamespace(control=control, data=None))


def type_into(root: ft.Control, key: str, value: str) -> None:
    field = find(root, key)
    field.value = value
    field.on_change(SimpleNamespace(control=field, data=value))


def answer_current(ctl: Controller, right: bool) -> None:
    """Answer the current exercise through the widgets, rightly or wrongly."""
    session = ctl.state.session
    assert session is not None and session.current is not None
    exercise = session.current
    tree = render(ctl)
    if isinstance(exercise, ChoiceExercise):
        index = exercise.answer if right else (exercise.answer + 1) % len(exercise.choices)
        press(tree, f"choice-{index}")
    elif isinstance(exercise, ArrangeExercise):
        words = exercise.accepted[0].split()
        if not right:
            words = list(reversed(words))
        for word in words:
            press(render(ctl), f"tile-{exercise.tiles.index(word)}")
        press(render(ctl), "check")
    elif isinstance(exercise, TypeExercise):
        type_into(tree, "answer-field", exercise.accepted[0] if right else "모르겠어요")
        press(render(ctl), "check")
    elif isinstance(exercise, MatchExercise):
        if not right:  # one slip first: the exercise counts as missed
            press(render(ctl), "word-0")
            press(render(ctl), "meaning-1")
        for index in range(len(exercise.pairs)):
            press(render(ctl), f"word-{index}")
            press(render(ctl), f"meaning-{index}")
