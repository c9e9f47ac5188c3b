"""End to end: a learner switches the interface to Thai, then to Urdu, in Settings.

The app is served with --web and driven in Debian's Chromium with every non-local request
blocked: every script must come from the app's own fonts, never from a font CDN. Screenshots
(test-artifacts/browser/languages-*.png) show each script, and Korean inside each interface.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from app.content.loader import load_library
from app.i18n.catalog import LANGUAGES, load_translator
from app.paths import LESSONS_DIR
from app.ui.fonts import page_fonts
from tests.browser.web import ROOT, WebApp, button, offline_page, open_app, shot, shows

pytestmark = pytest.mark.browser

FONT_CDNS = ("fonts.gstatic.com", "fonts.googleapis.com", "gstatic.com")
LINE = "저는 베트남 사람이에요."  # Unit 1, line d04
THAI = "/" + page_fonts("th")["SSOC Thai"]
URDU = "/" + page_fonts("ur")["SSOC Urdu"]


@pytest.fixture
def lessons(unit1_lessons: Path) -> Path:
    """Unit 1 with its Thai and Urdu translations (lessons/level1/i18n/<lang>/)."""
    for lang in ("th", "ur"):
        source = LESSONS_DIR / "level1" / "i18n" / lang
        target = unit1_lessons / "level1" / "i18n" / lang
        target.mkdir(parents=True)
        for name in ("course.yaml", "u01.yaml"):
            if (source / name).is_file():
                shutil.copy(source / name, target / name)
    return unit1_lessons


def continue_label(lessons: Path, lang: str) -> str:
    """Home's "Continue" button for Unit 1, as the app words it in `lang`."""
    course = load_library(lessons).course("level1")
    unit = course.unit("u01")
    return load_translator(lang)._(
        "Continue: {course} · Unit {number} · {title}",
        course=course.title.in_lang(lang),
        number=unit.number,
        title=unit.title.in_lang(lang),
    )


def test_thai_and_urdu_from_settings_render_offline_with_korean_inside(
    browser: Browser, lessons: Path, tmp_path: Path
) -> None:
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets" / "fonts", assets / "fonts")  # Flet serves no symlinks
    app = WebApp(lessons, tmp_path / "data", assets)
    en, th, ur = (load_translator(lang) for lang in ("en", "th", "ur"))
    blocked: list[str] = []
    requested: list[str] = []
    app.start()
    try:
        page = offline_page(browser, blocked, requested)
        open_app(page, app.url)
        # First start: every language in its own name, each in its own script.
        expect(button(page, "English")).to_be_visible(timeout=90_000)
        for name in ("ไทย", "اردو", "မြန်မာ", "ខ្មែរ", "বাংলা", "日本語"):
            expect(shows(page, name)).to_be_attached()
        page.wait_for_timeout(1500)  # the first frame with every font loaded
        shot(page, "languages-01-first-start")
        button(page, "English").click()

        button(page, en._("Settings")).click()
        expect(shows(page, en._("Interface language"))).to_be_visible()
        shot(page, "languages-02-settings-english")

        # Thai: the whole interface changes at once.
        with page.expect_response(lambda r: r.url.endswith(THAI)) as thai_font:
            button(page, f"ไทย · {en.language_name('th')}").click()
        assert thai_font.value.status == 200  # loaded now, from this computer
        expect(button(page, "ไทย")).to_be_visible()  # now the chosen one
        page.wait_for_timeout(1000)  # the new font lays the texts out again
        shot(page, "languages-03-settings-thai")
        button(page, th._("Back")).click()
        expect(shows(page, th._("Courses"))).to_be_visible()
        expect(shows(page, "SSOC Korean · 한국어")).to_be_visible()
        shot(page, "languages-04-home-thai")
        page.get_by_role("button", name=continue_label(lessons, "th")).click()
        expect(shows(page, LINE)).to_be_visible()
        shot(page, "languages-05-dialogue-thai")
        button(page, th._("Back")).click()
        button(page, th._("Back")).click()

        # Urdu: right to left; Korean sentences inside still read left to right.
        button(page, th._("Settings")).click()
        with page.expect_response(lambda r: r.url.endswith(URDU)) as urdu_font:
            page.get_by_role("button", name=f"اردو · {th.language_name('ur')}").click()
        assert urdu_font.value.status == 200
        expect(shows(page, "اردو")).to_be_visible()
        page.wait_for_timeout(1000)
        shot(page, "languages-06-settings-urdu")
        button(page, ur._("Back")).click()
        expect(shows(page, ur._("Courses"))).to_be_visible()
        shot(page, "languages-07-home-urdu")
        page.get_by_role("button", name=continue_label(lessons, "ur")).click()
        expect(shows(page, LINE)).to_be_visible()
        shot(page, "languages-08-dialogue-urdu")
        page.close()
    finally:
        app.stop()

    # Thai and Urdu came from the app's own fonts, with Korean and Latin; no font CDN was asked.
    served = {url.split(f":{app.port}/", 1)[-1] for url in requested if "127.0.0.1" in url}
    for lang in ("th", "ur"):
        assert set(page_fonts(lang).values()) <= served, lang
    assert not [url for url in requested if any(cdn in url for cdn in FONT_CDNS)]
    # The only thing the bundled client asks a CDN for is Flet's optional animation runtime.
    assert [url for url in blocked if "@rive-app" not in url] == []
    assert len(LANGUAGES) == 21
