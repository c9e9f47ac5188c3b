"""Finishing a unit makes its words reviewable; a review sitting rates cards; tomorrow they return."""

import sqlite3
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.content.loader import load_library
from app.domain.srs import Rating, cards_for_unit
from app.paths import LESSONS_DIR
from app.store.db import DB_NAME, open_database
from app.store.repository import SqlStore
from app.ui.controller import Controller, Screen
from app.ui.shell import render
from tests.ui.tree import answer_current, find, keys, press, texts


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def controller(lessons: Path, data: Path, clock: Clock) -> Controller:
    ctl = Controller(
        library=load_library(lessons),
        store=SqlStore(open_database(data / DB_NAME)),
        clock=clock,
        new_id=lambda: str(uuid.uuid4()),
        seed=lambda: 7,
        forced_language="en",
    )
    return ctl


def finish_unit1(ctl: Controller) -> None:
    ctl.open_unit("level1", "u01")
    ctl.start_exercises()
    while ctl.state.screen is Screen.EXERCISE:
        answer_current(ctl, right=True)
        ctl.next()


def test_a_fresh_learner_is_told_how_to_get_reviews(unit1_lessons: Path, tmp_path: Path) -> None:
    ctl = controller(unit1_lessons, tmp_path, Clock())
    home = render(ctl)
    assert "Finish a unit to get words to review." in texts(home)
    assert find(home, "review-due").value == "0 cards to review now"


def test_review_after_a_unit_then_again_tomorrow(unit1_lessons: Path, tmp_path: Path) -> None:
    clock = Clock()
    ctl = controller(unit1_lessons, tmp_path, clock)
    finish_unit1(ctl)
    # Five word exercises were first reviews; five more new cards fit today's limit of ten.
    assert len(ctl.store.review_logs()) == 5
    ctl.go_home()
    home = render(ctl)
    assert find(home, "review-due").value == "5 cards to review now"
    press(home, "open-review")
    for _ in range(5):
        tree = render(ctl)
        assert "review-back" not in keys(tree)
        press(tree, "reveal")
        assert find(render(ctl), "card-answer") is not None
        press(render(ctl), "rate-good")
    done = render(ctl)
    assert find(done, "review-summary").value == "You reviewed 5 cards."
    assert "Today: 10 of 20 reviews" in texts(done) and "1 day in a row" in texts(done)

    clock.now += timedelta(days=1, hours=1)
    ctl.go_home()
    tomorrow = render(ctl)
    # The ten reviewed cards are due, and a new day brings a new allowance of ten new cards.
    assert find(tomorrow, "review-due").value == "20 cards to review now"
    assert find(tomorrow, "streak").value == "1 day in a row"  # today not done yet


def test_a_card_cannot_be_rated_before_its_answer_is_shown(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    ctl = controller(unit1_lessons, tmp_path, Clock())
    finish_unit1(ctl)
    ctl.open_review()
    before = len(ctl.store.review_logs())
    ctl.rate(Rating.GOOD)
    assert len(ctl.store.review_logs()) == before and ctl.state.review_queue


def test_letter_cards_ask_how_the_letter_is_read(tmp_path: Path) -> None:
    clock = Clock()
    ctl = controller(LESSONS_DIR, tmp_path, clock)
    vowels = ctl.library.course("hangul").unit("u01")
    ctl.store.ensure_cards(
        [c for c in cards_for_unit(vowels) if c.facet.value == "read"], clock.now
    )
    ctl.open_review()
    tree = render(ctl)
    assert find(tree, "card-cue").value == vowels.letters[0].char
    press(tree, "reveal")
    assert vowels.letters[0].name in find(render(ctl), "card-answer").value


def test_progress_shows_reviews_words_known_and_unit_mastery(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    clock = Clock()
    ctl = controller(unit1_lessons, tmp_path, clock)
    finish_unit1(ctl)
    ctl.go_home()
    press(render(ctl), "open-progress")
    first = render(ctl)
    assert find(first, "reviews-total").value == "Last 14 days: 5 reviews"
    assert find(first, "retention").value == "Not enough reviews yet."
    assert find(first, "words-level1").value == "0 of 25 words"
    assert find(first, "mastery-level1-u01").value == "Best score 100% · 0% of its words learned"
    assert find(first, "chart-reviews") is not None and find(first, "chart-minutes") is not None

    for days in (1, 4):  # review everything due, twice, days apart: words graduate
        clock.now += timedelta(days=days)
        ctl.open_review()
        while ctl.state.review_queue:
            ctl.reveal()
            ctl.rate(Rating.GOOD)
    ctl.open_progress()
    later = render(ctl)
    assert (
        find(later, "retention").value == "You remembered 100% of your reviews in the last 30 days."
    )
    known = int(find(later, "words-level1").value.split()[0])
    assert 0 < known <= 25


def test_export_writes_the_deck_and_spreadsheets(unit1_lessons: Path, tmp_path: Path) -> None:
    clock = Clock()
    ctl = controller(unit1_lessons, tmp_path, clock)
    ctl.export_dir = tmp_path / "exports"
    finish_unit1(ctl)
    ctl.open_progress()
    press(render(ctl), "export")
    deck, words, log = (Path(p) for p in ctl.state.exported)
    assert find(render(ctl), "exported-0").value == str(deck)
    with zipfile.ZipFile(deck) as package:
        package.extract("collection.anki2", tmp_path)
    notes = (
        sqlite3.connect(tmp_path / "collection.anki2")
        .execute("select count(*) from notes")
        .fetchone()
    )
    assert notes == (25,)
    assert words.read_text(encoding="utf-8-sig").count("\n") == 26  # header + 25 words
    assert log.read_text(encoding="utf-8-sig").count("\n") == 1 + len(ctl.store.review_logs())
