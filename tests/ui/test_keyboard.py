"""Typing an answer on the on-screen Hangul keyboard, through the real views."""

from pathlib import Path

from app.domain.hangul_input import keystrokes
from app.ui.shell import AppConfig, make_controller, render
from tests.ui.tree import answer_current, find, keys, press


def at_typing_exercise(unit1_lessons: Path, tmp_path: Path):
    config = AppConfig(unit1_lessons, tmp_path / "data", language="vi", audio_dir=tmp_path / "a")
    ctl = make_controller(config)
    ctl.open_unit("level1", "u01")
    ctl.start_exercises()
    while ctl.state.session.current.id != "e14":  # 저는 학생이에요.
        answer_current(ctl, right=True)
        ctl.next()
    return ctl, config


def type_on_screen(ctl, text: str) -> None:
    for latin in keystrokes(text):
        if latin == " ":
            press(render(ctl), "key-space")
            continue
        if latin.isupper():
            press(render(ctl), "key-shift")
        press(render(ctl), f"key-{latin.lower()}")


def test_the_keyboard_composes_the_answer_and_it_is_graded(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    ctl, config = at_typing_exercise(unit1_lessons, tmp_path)
    assert "hangul-keyboard" not in keys(render(ctl))
    press(render(ctl), "toggle-keyboard")
    tree = render(ctl)
    assert len(keys(tree, "key-")) == 26 + 3  # letters, shift, space, backspace
    assert find(tree, "answer-field").read_only  # the field shows what the keys composed
    type_on_screen(ctl, "저는 학생이에요")
    assert find(render(ctl), "answer-field").value == "저는 학생이에요"
    press(render(ctl), "check")
    assert ctl.state.session.last.correct
    assert make_controller(config).state.keyboard  # remembered on this device


def test_backspace_removes_one_jamo_and_shift_gives_double_consonants(
    unit1_lessons: Path, tmp_path: Path
) -> None:
    ctl, _ = at_typing_exercise(unit1_lessons, tmp_path)
    ctl.toggle_keyboard()
    type_on_screen(ctl, "값")
    press(render(ctl), "key-backspace")
    assert ctl.state.typed == "갑"
    press(render(ctl), "key-shift")
    assert find(render(ctl), "key-r").content.value == "ㄲ"
    press(render(ctl), "key-r")
    assert ctl.state.typed == "갑ㄲ" and not ctl.state.shift
