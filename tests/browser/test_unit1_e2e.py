"""End to end: the app served with --web, driven in Debian's Chromium through Playwright.

Every request that leaves 127.0.0.1 is blocked, so this is also the offline test.
Screenshots are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from app.content.loader import load_course
from app.domain.exercises import (
    ArrangeExercise,
    ChoiceExercise,
    MatchExercise,
    TypeExercise,
    choice_label,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("SSOC_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebApp:
    """`python -m app --web` as a real process on a free port."""

    def __init__(self, lessons: Path, data: Path, assets: Path) -> None:
        self.lessons, self.data, self.assets = lessons, data, assets
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data.parent / f"web-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "--web",
                    "--port",
                    str(self.port),
                    "--lessons",
                    str(self.lessons),
                    "--data-dir",
                    str(self.data),
                    "--assets",
                    str(self.assets),
                ],
                cwd=ROOT,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited: {self.log.read_text()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"app did not listen: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (.ci/run installs it)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def offline_page(browser: Browser, blocked: list[str]) -> Page:
    page = browser.new_page(viewport={"width": 480, "height": 900})

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "blob:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_local)
    return page


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    # Flutter builds its accessibility tree only when asked: the placeholder asks.
    page.locator("flt-semantics-placeholder").wait_for(state="attached", timeout=60_000)
    page.locator("flt-semantics-placeholder").dispatch_event("click")


def shows(page: Page, text: str):
    """Visible text. Flutter merges a card's texts into one node (or its label), so match a
    substring of either."""
    return page.get_by_text(text).or_(page.get_by_label(text)).first


def button(page: Page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # the accessibility tree updates before the next frame paints
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


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
