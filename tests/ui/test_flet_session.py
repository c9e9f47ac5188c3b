"""Smoke test through a real Flet Session (no Flutter): the app mounts, clicks dispatch,
and patches go out. Uses Flet internals, which is why flet is pinned in pyproject.toml."""

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import flet as ft
import msgpack
import pytest
from flet.messaging.connection import Connection
from flet.messaging.protocol import (
    Message,
    MessageAction,
    RegisterClientResponseBody,
    configure_encode_object_for_msgpack,
)
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from app.store.db import DB_NAME
from app.ui.shell import AppConfig, build_main
from tests.ui.tree import walk


class RecordingConnection(Connection):
    """Encodes every message as the socket transport does (which also snapshots the
    tree for the next diff) and keeps the bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[bytes] = []

    def send_message(self, message: Any) -> None:
        self.messages.append(
            msgpack.packb(
                [message.action, message.body],
                default=configure_encode_object_for_msgpack(ft.BaseControl),
            )
        )


def by_key(page: ft.Page, key: str) -> ft.BaseControl:
    matches = [c for c in walk(page.controls) if c.key == key]
    assert len(matches) == 1, key
    return matches[0]


async def settle() -> None:
    for _ in range(20):  # the session flushes updates from its own task
        await asyncio.sleep(0.01)


@pytest.fixture
async def live() -> AsyncIterator[tuple[Session, RecordingConnection]]:
    """A Flet Session wired to a recording connection, registered as a client would be."""
    connection = RecordingConnection()
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(max_workers=1)
    connection.loop = loop
    connection.executor = executor
    connection.pubsubhub = PubSubHub(loop=loop, executor=executor)
    session = Session(connection)
    # What the socket server does when a client registers, before main() runs.
    connection.send_message(
        Message(
            MessageAction.REGISTER_CLIENT,
            RegisterClientResponseBody(session.id, session.get_page_patch(), None),
        )
    )
    yield session, connection
    executor.shutdown()


async def test_the_app_mounts_and_a_click_goes_through_the_session(
    live: tuple[Session, RecordingConnection], unit1_lessons: Path, tmp_path: Path
) -> None:
    session, connection = live
    page = session.page
    build_main(AppConfig(unit1_lessons, tmp_path / "data"))(page)
    assert page.fonts and page.theme is not None and page.theme.font_family
    english = by_key(page, "lang-en")
    sent_before = len(connection.messages)
    await session.dispatch_event(english._i, "click", None)
    await settle()
    course_button = by_key(page, "course-level1")  # Home is now on the page
    assert isinstance(course_button, ft.OutlinedButton)
    assert len(connection.messages) > sent_before  # the change was sent to the client
    assert b"Courses" in connection.messages[-1]
    await session.dispatch_event(course_button._i, "click", None)
    assert by_key(page, "unit-u01") is not None


async def test_a_damaged_progress_file_is_explained_and_kept(
    live: tuple[Session, RecordingConnection], unit1_lessons: Path, tmp_path: Path
) -> None:
    session, _ = live
    page = session.page
    data = tmp_path / "data"
    data.mkdir()
    damaged = b"not a database " * 300
    (data / DB_NAME).write_bytes(damaged)
    build_main(AppConfig(unit1_lessons, data, language="vi"))(page)
    message = by_key(page, "problem-message")
    assert isinstance(message, ft.Text) and "hỏng" in (message.value or "")
    assert (data / DB_NAME).read_bytes() == damaged  # nothing changed yet
    await session.dispatch_event(by_key(page, "start-fresh")._i, "click", None)
    await settle()
    kept = [p for p in data.iterdir() if p.name.startswith(f"{DB_NAME}.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert by_key(page, "continue") is not None  # Home, in Vietnamese, on a fresh file


async def test_settings_switch_fonts_and_direction_on_the_live_page(
    live: tuple[Session, RecordingConnection], unit1_lessons: Path, tmp_path: Path
) -> None:
    session, connection = live
    page = session.page
    build_main(AppConfig(unit1_lessons, tmp_path / "data", language="en"))(page)
    assert "SSOC Hangul" in page.fonts and "SSOC Urdu" not in page.fonts
    await session.dispatch_event(by_key(page, "open-settings")._i, "click", None)
    await settle()
    sent_before = len(connection.messages)
    await session.dispatch_event(by_key(page, "settings-lang-ur")._i, "click", None)
    await settle()
    assert page.rtl is True
    assert page.fonts["SSOC Urdu"] == "fonts/NotoNastaliqUrdu.ttf"
    assert "SSOC Hangul" in page.fonts  # Korean inside the Urdu interface
    assert page.theme.text_theme.body_medium.font_family_fallback[:2] == [
        "SSOC Urdu",
        "SSOC Hangul",
    ]
    sent = b"".join(connection.messages[sent_before:])
    assert b"NotoNastaliqUrdu.ttf" in sent and b"SSOC Urdu" in sent  # the client loads it
    await session.dispatch_event(by_key(page, "settings-lang-th")._i, "click", None)
    await settle()
    assert page.rtl is False and "SSOC Thai" in page.fonts and "SSOC Urdu" not in page.fonts
