"""End to end: a tutor's assignment reaches a learner's app, in Chromium, against a real server.

The platform server (SQLite) and two apps served with --web run as real processes. The learner's
app syncs in the background and shows the assignment on Home; a tap opens the unit. The tutor's
app shows the class and the learner's progress under My classes. Screenshots are kept in
test-artifacts/browser/assignments-*.png.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from app.store.db import open_database
from app.store.repository import SqlStore
from app.ui.controller import LANGUAGE_KEY
from app.ui.shell import DB_NAME
from sync.client import SyncClient
from sync.protocol import AssignmentIn
from sync.server.db import sessions
from sync.server.store import add_member, create_class
from tests.browser.web import ROOT, WebApp, button, offline_page, open_app, shot, shows
from tests.sync.helpers import PASSWORD, Database, Server, database

pytestmark = pytest.mark.browser


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[tuple[Database, Server]]:
    folder = tmp_path / "platform"
    folder.mkdir()
    with database("sqlite", folder) as db:
        server = Server(db, folder)
        try:
            yield db, server
        finally:
            server.stop()


def signed_in_device(data: Path, server: Server, username: str) -> SyncClient:
    """An app's data folder, signed in and agreed to sync, as Settings → Sync leaves it."""
    data.mkdir(parents=True)
    store = SqlStore(open_database(data / DB_NAME))
    store.set(LANGUAGE_KEY, "en")
    client = SyncClient(store)
    client.sign_in(server.url, username, PASSWORD)
    client.give_consent()
    return client


def test_a_tutors_assignment_reaches_the_learners_home_and_opens_the_unit(
    browser: Browser, platform: tuple[Database, Server], unit1_lessons: Path, tmp_path: Path
) -> None:
    db, server = platform
    tutor, _ = db.learner("teacher1", role="tutor")
    learner, _ = db.learner("mai")
    with sessions(db.engine).begin() as session:
        class_id = create_class(session, "Siheung Tuesday evening").id
        add_member(session, class_id, tutor, "tutor")
        add_member(session, class_id, learner, "learner")
    tutor_app = signed_in_device(tmp_path / "tutor", server, tutor)
    signed_in_device(tmp_path / "mai", server, learner)
    tutor_app.assign(
        class_id,
        AssignmentIn(
            course_id="level1", unit_id="u01", due=date(2030, 1, 15), note="Read it aloud twice"
        ),
    )
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets" / "fonts", assets / "fonts")  # Flet serves no symlinks
    blocked: list[str] = []

    app = WebApp(unit1_lessons, tmp_path / "mai", assets)
    app.start()
    try:
        page = offline_page(browser, blocked)
        open_app(page, app.url)
        # The app syncs in the background when it starts; Home then lists the assignment.
        expect(shows(page, "From your tutor")).to_be_visible(timeout=60_000)
        expect(shows(page, "Class: Siheung Tuesday evening")).to_be_visible()
        expect(shows(page, "Due: Jan 15, 2030 · To do")).to_be_visible()
        expect(shows(page, "Tutor's note: Read it aloud twice")).to_be_visible()
        shot(page, "assignments-1-learner-home")
        page.get_by_text("Korean Level 1 · Unit 1: Greetings and introductions").first.click()
        expect(shows(page, "저는 베트남 사람이에요.")).to_be_visible()
        shot(page, "assignments-2-unit")
        page.close()
    finally:
        app.stop()

    app = WebApp(unit1_lessons, tmp_path / "tutor", assets)
    app.start()
    try:
        page = offline_page(browser, blocked)
        open_app(page, app.url)
        expect(button(page, "My classes")).to_be_visible(timeout=60_000)
        button(page, "My classes").click()
        expect(shows(page, "Assign a unit")).to_be_visible(timeout=30_000)
        expect(shows(page, "Done by 0 of 1 learner")).to_be_visible()
        shot(page, "assignments-3-tutor-class")
        expect(shows(page, "mai: not done yet")).to_be_visible()
        page.close()
    finally:
        app.stop()
    # Nothing but the app's own server was needed (Flet's web client asks a CDN for an
    # animation runtime it does not use here; blocked, as offline).
    assert [url for url in blocked if "@rive-app" not in url] == []
