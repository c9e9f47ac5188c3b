"""The learner's journey through Unit 1, driven through the real views and controller."""

from pathlib import Path

import pytest

from app.domain.exercises import TypeExercise
from app.i18n.catalog import LANGUAGES
from app.store.db import DB_NAME
from app.ui.controller import Screen
from app.ui.shell import AppConfig, make_controller, render
from tests.ui.tree import answer_current, find, keys, press, texts


@pytest.fixture
def config(unit1_lessons: Path, tmp_path: Path) -> AppConfig:
    # An empty audio folder: these tests must not depend on audio built on this machine.
    return AppConfig(unit1_lessons, tmp_path / "data", audio_dir=tmp_path / "audio")


def test_first_start_asks_for_the_language_then_shows_home(config: AppConfig) -> None:
    ctl = make_controller(config)
    tree = render(ctl)
    assert ctl.state.screen is Screen.LANGUAGE
    assert keys(tree, "lang-") == [f"lang-{code}" for code in LANGUAGES]
    assert keys(tree, "lang-")[:4] == ["lang-ko", "lang-en", "lang-vi", "lang-zh-Hans"]
    press(tree, "lang-vi")
    assert ctl.state.screen is Screen.HOME
    home = render(ctl)
    assert "Khóa học" in texts(home)
    assert any("Tiếng Hàn cấp 1" in t for t in texts(home))
    assert any("KIIP" in t for t in texts(home))


def test_unit1_study_material_in_vietnamese(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.choose_language("vi")
    press(render(ctl), "course-level1")
    press(render(ctl), "unit-u01")
    tree = render(ctl)
    assert keys(tree, "section-") == [
        "section-dialogue",
        "section-vocabulary",
        "section-grammar",
        "section-pronunciation",
        "section-culture",
    ]
    assert find(tree, "line-d04").value == "저는 베트남 사람이에요."
    assert "Tôi là người Việt Nam." in texts(tree)
    press(tree, "toggle-translation")  # hide translations
    assert "Tôi là người Việt Nam." not in texts(render(ctl))
    press(render(ctl), "section-grammar")
    grammar = render(ctl)
    assert "N이에요/예요" in texts(grammar) and "Lỗi thường gặp" in texts(grammar)
    press(grammar, "section-vocabulary")
    assert len(keys(render(ctl), "vocab-")) == 25


def test_a_wrong_answer_shows_the_right_one(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.choose_language("en")
    ctl.open_unit("level1", "u01")
    press(render(ctl), "start-exercises")
    answer_current(ctl, right=False)
    tree = render(ctl)
    assert find(tree, "feedback-wrong").value == "Not quite."
    assert find(tree, "right-answer").value == "name"  # e01: 이름 means "name"
    assert "This one comes back at the end." in texts(tree)


def test_finishing_unit1_shows_the_result_and_survives_a_restart(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.choose_language("en")
    press(render(ctl), "continue")  # Home offers the first unit
    press(render(ctl), "start-exercises")
    answered = 0
    while ctl.state.screen is Screen.EXERCISE:
        answer_current(ctl, right=answered != 2)  # one mistake, on the third exercise
        press(render(ctl), "continue-exercise")
        answered += 1
    result = render(ctl)
    total = len(ctl.library.course("level1").unit("u01").exercises)
    assert answered == total + 1  # the missed exercise came back once
    assert find(result, "score").value == f"Score: {round(100 * (total - 1) / total)}%"
    assert len(keys(result, "review-")) == 1

    # Close the app and start it again on the same data folder.
    restarted = make_controller(config)
    assert restarted.state.screen is Screen.HOME and restarted.state.lang == "en"
    restarted.open_course("level1")
    status = find(render(restarted), "status-u01").value
    assert status == f"Completed · best score {round(100 * (total - 1) / total)}%"
    attempts = restarted.store.attempts(restarted.library.course("level1").unit("u01").ref)
    assert len(attempts) == total + 1
    assert (config.data_dir / DB_NAME).is_file()


def test_back_navigation(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.choose_language("ko")
    ctl.open_unit("level1", "u01")
    ctl.start_exercises()
    press(render(ctl), "back")
    assert ctl.state.screen is Screen.UNIT
    press(render(ctl), "back")
    assert ctl.state.screen is Screen.COURSE
    press(render(ctl), "back")
    assert ctl.state.screen is Screen.HOME


def test_an_unknown_saved_language_asks_again_and_says_why(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.store.set("ui_language", "tlh")
    again = make_controller(config)
    assert again.state.screen is Screen.LANGUAGE
    assert "“tlh”" in find(render(again), "language-notice").value


def test_a_broken_course_is_named_on_home_and_the_others_still_work(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    broken = unit1_lessons / "broken"
    broken.mkdir()
    (broken / "course.yaml").write_text("id: broken\nkind: sejong\norder: 9\n", encoding="utf-8")
    ctl = make_controller(AppConfig(unit1_lessons, tmp_path / "data", language="en"))
    home = render(ctl)
    card_texts = texts(find(home, "failed-broken"))
    assert card_texts[0] == "“broken” could not be loaded (4 problems)."
    assert "course.yaml" in card_texts[1]
    press(home, "course-level1")  # the good course is unaffected
    assert ctl.state.screen is Screen.COURSE


def test_korean_interface_never_shows_the_answer_as_the_prompt(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.choose_language("ko")
    ctl.open_unit("level1", "u01")
    ctl.start_exercises()
    while not isinstance(ctl.state.session.current, TypeExercise):
        answer_current(ctl, right=True)
        ctl.next()
    exercise = ctl.state.session.current
    shown = texts(render(ctl))
    assert exercise.accepted[0] not in shown  # "저는 학생이에요." would give it away
    assert exercise.target.in_lang("en") in shown
    assert "한국어로 쓰세요" in shown  # the instruction itself is in Korean


def test_a_near_miss_is_named_in_her_language(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.choose_language("vi")
    ctl.open_unit("level1", "u01")
    ctl.start_exercises()
    while ctl.state.session.current.id != "e14":  # 저는 학생이에요.
        answer_current(ctl, right=True)
        ctl.next()
    ctl.type_text("저은 학생이에요")
    ctl.check()
    tree = render(ctl)
    assert find(tree, "near-miss").value == "Gần đúng rồi! Kiểm tra trợ từ: 은 → 는"
    assert find(tree, "right-answer").value == "저는 학생이에요."


def test_match_pairs_words_with_meanings_and_a_slip_counts_as_missed(config: AppConfig) -> None:
    ctl = make_controller(config)
    ctl.choose_language("en")
    ctl.open_unit("level1", "u01")
    ctl.start_exercises()
    while ctl.state.session.current.id != "e18":
        answer_current(ctl, right=True)
        ctl.next()
    press(render(ctl), "word-0")
    press(render(ctl), "meaning-1")  # not its meaning
    assert find(render(ctl), "match-wrong").value == "Not a pair. Try again."
    press(render(ctl), "word-0")
    press(render(ctl), "meaning-0")
    assert find(render(ctl), "word-0").disabled  # a found pair is done
    for index in (1, 2, 3):
        press(render(ctl), f"word-{index}")
        press(render(ctl), f"meaning-{index}")
    assert ctl.state.session.last is not None and not ctl.state.session.last.correct
