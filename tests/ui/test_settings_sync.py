"""Settings → Sync against a real platform server: sign in, consent, sync, status, sign out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.session import Attempt
from app.ui.controller import Controller, Screen
from app.ui.shell import AppConfig, make_controller, render
from tests.domain.factories import REF
from tests.sync.helpers import PASSWORD, Database, Server, database
from tests.ui.tree import find, press, texts


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[tuple[Database, Server]]:
    with database("sqlite", tmp_path) as db:
        server = Server(db, tmp_path)
        yield db, server
        server.stop()


def wait_until(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def settle(ctl: Controller) -> None:
    """Sign-in and sync run off the UI thread; wait for them to finish."""
    assert ctl.syncing is not None
    wait_until(lambda: not ctl.syncing.view().busy)  # type: ignore[union-attr]


def test_a_learner_signs_in_agrees_and_syncs_from_settings(
    platform: tuple[Database, Server], unit1_lessons: Path, tmp_path: Path
) -> None:
    db, server = platform
    name, _ = db.learner()
    ctl = make_controller(AppConfig(unit1_lessons, tmp_path / "data", language="en"))
    ctl.store.record_attempt(Attempt("a1", REF, "e01", "0", True, ctl.clock(), True))
    ctl.open_settings()
    assert ctl.state.screen is Screen.SETTINGS

    tree = render(ctl)
    find(tree, "sync-server").value = "not a url"
    press(tree, "sync-sign-in")
    assert "http://" in " ".join(texts(render(ctl)))  # the address is refused, in plain words

    tree = render(ctl)
    find(tree, "sync-server").value = server.url
    find(tree, "sync-username").value = name
    find(tree, "sync-password").value = "wrong password"
    press(tree, "sync-sign-in")
    settle(ctl)
    assert "wrong" in find(render(ctl), "sync-problem").value

    tree = render(ctl)
    find(tree, "sync-server").value = server.url
    find(tree, "sync-username").value = name
    find(tree, "sync-password").value = PASSWORD
    press(tree, "sync-sign-in")
    settle(ctl)
    tree = render(ctl)
    assert "Before anything is uploaded" in find(tree, "sync-consent-text").value
    assert db.count() == 0  # nothing goes up before she agrees

    press(tree, "sync-agree")
    settle(ctl)
    wait_until(lambda: db.count() == 1)
    wait_until(lambda: ctl.store.pending_count() == 0)
    settle(ctl)
    tree = render(ctl)
    assert find(tree, "sync-pending").value == "0 changes waiting to be sent"
    assert "not yet" not in find(tree, "sync-last").value

    press(tree, "sync-sign-out")
    wait_until(lambda: not ctl.syncing.view().signed_in)  # type: ignore[union-attr]
    assert find(render(ctl), "sync-sign-in") is not None
