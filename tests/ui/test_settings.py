"""Settings: the interface language changes at once, everywhere, and is remembered; Urdu runs
right to left with its Korean still left to right; numbers follow the language."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import flet as ft
import pytest

from app.content.loader import load_library
from app.i18n.catalog import LANGUAGES
from app.store.db import DB_NAME, open_database
from app.store.repository import SqlStore
from app.ui.bidi import LRI, PDI
from app.ui.controller import Controller, Screen
from app.ui.shell import AppConfig, make_controller, render, theme
from tests.ui.tree import answer_current, find, keys, press, texts, walk


@pytest.fixture
def config(unit1_lessons: Path, tmp_path: Path) -> AppConfig:
    return AppConfig(unit1_lessons, tmp_path / "data", audio_dir=tmp_path / "audio")


def english_home(config: AppConfig) -> Controller:
    ctl = make_controller(config)
    press(render(ctl), "lang-en")
    assert ctl.state.screen is Screen.HOME
    return ctl


def test_settings_opens_from_home_and_lists_every_language_in_its_own_name(
    config: AppConfig,
) -> None:
    ctl = english_home(config)
    press(render(ctl), "open-settings")
    assert ctl.state.screen is Screen.SETTINGS
    tree = render(ctl)
    assert keys(tree, "settings-")[: len(LANGUAGES) + 1] == ["settings-language"] + [
        f"settings-lang-{code}" for code in LANGUAGES
    ]
    assert {"settings-sync", "settings-translation"} <= set(keys(tree, "settings-"))
    assert len(LANGUAGES) == 21
    current = find(tree, "settings-lang-en")
    assert current.content == "English" and current.on_click is None  # chosen: nothing to do
    assert find(tree, "settings-lang-th").content == "ไทย · Thai"
    assert find(tree, "settings-lang-ur").content == "اردو · Urdu"
    assert find(tree, "settings-lang-zh-Hans").content == "简体中文 · Chinese (Simplified)"
    press(tree, "back")
    assert ctl.state.screen is Screen.HOME


def test_changing_the_language_rerenders_everything_and_is_remembered(
    config: AppConfig,
) -> None:
    ctl = english_home(config)
    ctl.open_settings()
    rendered: list[str] = []
    ctl.on_change = lambda: rendered.append(ctl.t.lang)
    press(render(ctl), "settings-lang-vi")
    assert rendered == ["vi"]  # the shell re-renders once, in the new language
    assert ctl.state.screen is Screen.SETTINGS and ctl.state.lang == "vi"
    tree = render(ctl)
    assert "Cài đặt" in texts(tree) and "Ngôn ngữ giao diện" in texts(tree)
    assert find(tree, "settings-lang-en").content == "English · Tiếng Anh"
    press(tree, "back")
    assert "Khóa học" in texts(render(ctl))

    press(render(ctl), "open-settings")
    press(render(ctl), "settings-lang-ko")
    assert "화면 언어" in texts(render(ctl))

    again = make_controller(config)  # the app closed and opened again on the same data
    assert again.state.screen is Screen.HOME and again.state.lang == "ko"
    assert "과정" in texts(render(again))


def test_an_unknown_language_cannot_be_chosen(config: AppConfig) -> None:
    ctl = english_home(config)
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        ctl.change_language("xx")
    assert ctl.state.lang == "en"


def test_urdu_runs_right_to_left_and_its_korean_left_to_right(config: AppConfig) -> None:
    ctl = english_home(config)
    ctl.open_settings()
    ctl.change_language("ur")
    assert ctl.t.rtl
    settings = render(ctl)
    assert find(settings, "settings-lang-ko").content.startswith(LRI + "한국어")
    ctl.go_home()
    home = texts(render(ctl))
    assert "کورسز" in home  # Urdu stays as it is
    assert f"{LRI}Korean Level 1{PDI}" in home  # an English fallback keeps its own order

    ctl.open_unit("level1", "u01")
    unit = render(ctl)
    # Korean sentences keep their full stop at the end (on the right), inside the Urdu page.
    assert find(unit, "line-d04").value == f"{LRI}저는 베트남 사람이에요.{PDI}"
    press(unit, "start-exercises")
    answer_current(ctl, right=True)
    assert ctl.state.session.last.correct  # what she types is never wrapped

    ctl.change_language("en")
    assert not ctl.t.rtl
    assert find(render(ctl), "exercise-progress") is not None
    ctl.go_home()
    ctl.open_unit("level1", "u01")
    assert find(render(ctl), "line-d04").value == "저는 베트남 사람이에요."


def test_each_language_gets_its_fonts_with_korean_as_a_fallback() -> None:
    thai = theme("th")
    assert thai.font_family == "SSOC Latin"
    style = thai.text_theme.body_medium
    assert style.font_family == "SSOC Latin"
    assert style.font_family_fallback[:3] == ["SSOC Thai", "SSOC Hangul", "SSOC Symbols"]
    assert "SSOC Names Arab" in style.font_family_fallback  # اردو in the language list
    assert style.font_family_fallback.index("SSOC Names Thai") > 1  # after Thai in full
    assert thai.text_theme.label_large.font_family_fallback == style.font_family_fallback
    chinese = theme("zh-Hans").text_theme.title_medium
    assert chinese.font_family == "SSOC Han SC"
    assert chinese.font_family_fallback[:2] == ["SSOC Latin", "SSOC Hangul"]


def test_numbers_on_home_result_and_progress_follow_the_language(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    ctl = Controller(
        library=load_library(unit1_lessons),
        store=SqlStore(open_database(tmp_path / DB_NAME)),
        clock=lambda: datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
        new_id=lambda: str(uuid.uuid4()),
        seed=lambda: 7,
        forced_language="bn",  # Bengali: CLDR writes numbers in Bengali digits
    )
    ctl.open_unit("level1", "u01")
    ctl.start_exercises()
    while ctl.state.screen is Screen.EXERCISE:
        answer_current(ctl, right=True)
        ctl.next()
    assert "১০০%" in find(render(ctl), "score").value
    ctl.go_home()
    assert find(render(ctl), "streak").value == "টানা ১ দিন"  # 1 day in a row
    ctl.open_progress()
    progress = render(ctl)
    assert "১০০%" in find(progress, "mastery-level1-u01").value
    assert "২৮" in texts(find(progress, "chart-reviews"))  # the axis: today, the 28th
    assert "২" in texts(find(progress, "chart-reviews"))  # the counts: 0, 2, 4…


def test_a_machine_translated_line_is_marked_and_switches_to_english(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    import shutil

    from app.content.stats import texts_of
    from app.paths import LESSONS_DIR

    shutil.copytree(LESSONS_DIR / "level1" / "i18n", unit1_lessons / "level1" / "i18n")
    ctl = make_controller(AppConfig(unit1_lessons, tmp_path / "data", language="th"))
    ctl.open_unit("level1", "u01")
    unit = ctl.library.course("level1").unit("u01")
    english = {text.in_lang("en") for text in texts_of(unit)}
    thai = {text.in_lang("th") for text in texts_of(unit)}
    tree = render(ctl)
    toggles = [c for c in walk(tree) if getattr(c, "content", None) == "แสดงภาษาอังกฤษ"]
    assert toggles, "no machine-translated line offers the English"
    assert "แปลด้วยเครื่อง" in texts(tree)  # "machine translation", in Thai
    line = [c for c in walk(tree) if isinstance(c, ft.Column) and toggles[0] in walk(c)][-1]
    label = line.controls[0]
    before = label.value
    assert before in thai and before not in english
    toggles[0].on_click()
    assert label.value in english
    toggles[0].on_click()
    assert label.value == before
