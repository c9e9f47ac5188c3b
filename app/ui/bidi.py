"""Right-to-left interfaces (Urdu): left-to-right text inside keeps its own direction.

page.rtl mirrors the layout and makes every paragraph right-to-left. A Korean sentence (or an
English fallback) shown there would then have its final full stop or question mark moved to the
left: "저는 학생이에요." reads ".저는 학생이에요". Flet has no per-text direction, so such texts are
wrapped in a Unicode left-to-right isolate (LRI … PDI): inside it the text is laid out left to
right, while the paragraph (and its alignment) stays right-to-left. Texts that begin in a
right-to-left script are left as they are.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator
from typing import Any

import flet as ft

LRI = "\u2066"  # left-to-right isolate
PDI = "\u2069"  # pop directional isolate


def first_strong(text: str) -> str | None:
    """The direction ("L" or "R") of the first letter that has one, as the Unicode bidi
    algorithm finds it: letters inside isolates do not count."""
    depth = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("LRI", "RLI", "FSI"):
            depth += 1
        elif kind == "PDI":
            depth = max(0, depth - 1)
        elif depth == 0 and kind == "L":
            return "L"
        elif depth == 0 and kind in ("R", "AL"):
            return "R"
    return None


def isolate(text: str) -> str:
    """`text` as a left-to-right isolate when it starts left-to-right (and is not one yet)."""
    if not text or text.startswith(LRI) or first_strong(text) != "L":
        return text
    return f"{LRI}{text}{PDI}"


def _controls(node: Any) -> Iterator[ft.BaseControl]:
    if isinstance(node, ft.BaseControl):
        yield node
        for field in dataclasses.fields(node):
            if field.name.startswith("_") or field.name in ("parent", "page"):
                continue
            yield from _controls(getattr(node, field.name, None))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _controls(item)


def isolate_ltr_texts(root: ft.Control) -> ft.Control:
    """Wrap every left-to-right text shown in `root` (texts, button and switch labels).

    Text fields are left alone: what the learner types must come back unchanged."""
    for control in _controls(root):
        if isinstance(control, ft.Text) and isinstance(control.value, str):
            control.value = isolate(control.value)
        elif isinstance(getattr(control, "content", None), str):
            control.content = isolate(control.content)  # type: ignore[attr-defined]
        elif isinstance(control, ft.Switch | ft.Checkbox) and isinstance(control.label, str):
            control.label = isolate(control.label)
    return root
