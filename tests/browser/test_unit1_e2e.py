"""End to end: the app served with --web, driven in Debian's Chromium through Playwright.

Every request that leaves 127.0.0.1 is blocked, so this is also the offline test.
Screenshots are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.content.loader import load_course
from app.domain.exercises import (
    ArrangeExercise,
    ChoiceExercise,
    MatchExercise,
    TypeExercise,
    choice_label,
)
from tests.browser.web import ROOT, WebApp, button, offline_page, open_app, shot, shows

pytestmark = pytest.mark.browser


def test_a_learner_completes_unit1_offline_and_it_stays_completed(
    browser: Browser, unit1_lessons: Path, built: Path, tmp_path: Path
) -> None:
    unit = load_course(unit1_lessons / "level1").unit("u01")
    assets = tmp_path / "assets"  # the app's fonts, plus Unit 1's dialogue built by espeak-ng
    assets.mkdir()
    shutil.copytree(ROOT / "assets" / "fonts", assets / "fonts")  # Flet serves no symlinks
    shutil.copytree(built, assets / "audio")
    app = WebApp(unit1_lessons, tmp_path / "data", assets)
    blocked: list[str] = []
    app.start()
    try:
        page = offline_page(browser, blocked)
        clips: list[tuple[int, str]] = []
        page.on("response", lambda r: clips.append((r.status, r.url)) if ".mp3" in r.url else None)
        open_app(page, app.url)
        expect(button(page, "English")).to_be_visible(timeout=60_000)
        shot(page, "01-language")
        button(page, "English").click()

        expect(shows(page, "Courses")).to_be_visible()
        shot(page, "02-home")
        button(page, "Continue: Korean Level 1 · Unit 1 · Greetings and introductions").click()

        expect(shows(page, "저는 베트남 사람이에요.")).to_be_visible()
        expect(shows(page, "I'm Vietnamese.")).to_be_visible()
        shot(page, "03-dialogue")

        # Audio, from this computer only: one line, then the whole dialogue line by line.
        with page.expect_response(lambda r: r.url.endswith(".mp3")) as first_clip:
            page.get_by_role("button", name="Listen").first.click()
        assert first_clip.value.status in (200, 206)  # 206: the browser streams by range
        button(page, "Play the whole dialogue").click()
        expect(button(page, "Stop")).to_be_visible()
        shot(page, "03b-playing-dialogue")
        # Each finished clip starts the next; after the last one the button comes back.
        expect(button(page, "Play the whole dialogue")).to_be_visible(timeout=90_000)
        assert len({url for status, url in clips if status in (200, 206)}) == len(
            unit.dialogue.lines
        )
        button(page, "Grammar").click()
        expect(shows(page, "N이에요/예요")).to_be_visible()
        button(page, "Culture").click()
        expect(shows(page, "Greetings and names in Korea")).to_be_visible()
        button(page, f"Start exercises ({len(unit.exercises)})").click()

        for number, exercise in enumerate(unit.exercises):
            wrong = number == 0  # one mistake on purpose, to see the feedback
            expect(shows(page, f"Exercise {number + 1} of {len(unit.exercises)}")).to_be_visible()
            answer(page, exercise, wrong=wrong)
            if wrong:
                expect(shows(page, "Not quite.")).to_be_visible()
                expect(shows(page, "Right answer:")).to_be_visible()
                shot(page, "04-wrong-answer-feedback")
            else:
                expect(shows(page, "Correct!")).to_be_visible()
            if exercise.type.value in ("arrange", "type") and number in (8, 13):
                shot(page, f"05-{exercise.type.value}")
            button(page, "Continue").click()

        # The missed first exercise comes back once, at the end.
        expect(shows(page, "Again: you missed this one")).to_be_visible()
        answer(page, unit.exercises[0], wrong=False)
        button(page, "Continue").click()

        total = len(unit.exercises)
        percent = round(100 * (total - 1) / total)
        expect(shows(page, f"Score: {percent}%")).to_be_visible()
        expect(shows(page, "To review")).to_be_visible()
        shot(page, "06-result")
        page.close()

        # Close the app completely and start it again on the same data folder.
        app.stop()
        app.start()
        page = offline_page(browser, blocked)
        open_app(page, app.url)
        expect(shows(page, "Courses")).to_be_visible(timeout=60_000)
        button(page, "Open").click()
        expect(shows(page, f"Completed · best score {percent}%")).to_be_visible()
        shot(page, "07-after-restart")

        # One review sitting: the words of the finished unit come back as cards.
        button(page, "Back").click()
        button(page, "Start review").click()
        shot(page, "08-review-start")
        for _ in range(30):
            # After each rating the next card or the summary appears; wait for one of them.
            expect(
                button(page, "Show the answer").or_(shows(page, "All done for now"))
            ).to_be_visible()
            if shows(page, "All done for now").is_visible():
                break
            button(page, "Show the answer").click()
            expect(button(page, "Good")).to_be_visible()
            shot(page, "08-review-card")
            button(page, "Good").click()
        expect(shows(page, "All done for now")).to_be_visible()
        expect(shows(page, "1 day in a row")).to_be_visible()
        shot(page, "09-review-done")
        page.close()
    finally:
        app.stop()

    # Nothing the learner needs came from the network: only Flet's own optional
    # animation runtime (rive) is requested from a CDN by the bundled client, and refused.
    unexpected = [u for u in blocked if "@rive-app" not in u]
    assert unexpected == [], unexpected


def answer(page: Page, exercise, *, wrong: bool) -> None:
    if isinstance(exercise, ChoiceExercise):
        index = exercise.answer if not wrong else (exercise.answer + 1) % len(exercise.choices)
        button(page, choice_label(exercise.choices[index], "en")).click()
    elif isinstance(exercise, ArrangeExercise):
        words = exercise.accepted[0].split()
        for word in reversed(words) if wrong else words:
            button(page, word).last.click()
        button(page, "Check").click()
    elif isinstance(exercise, MatchExercise):
        for korean, meaning in exercise.pairs:
            button(page, korean).click()
            button(page, meaning.in_lang("en")).click()
    elif isinstance(exercise, TypeExercise):
        field = page.get_by_role("textbox")
        field.click()
        page.keyboard.insert_text("모르겠어요" if wrong else exercise.accepted[0])
        button(page, "Check").click()
