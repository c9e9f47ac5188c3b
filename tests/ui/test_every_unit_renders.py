"""Every real unit renders in every section and every exercise can be answered right."""

from pathlib import Path

import pytest

from app.content.loader import load_library
from app.domain.exercises import ArrangeExercise, ChoiceExercise, MatchExercise, TypeExercise
from app.paths import LESSONS_DIR
from app.ui.controller import Screen, sections_of
from app.ui.shell import AppConfig, make_controller, render
from tests.ui.tree import press

UNITS = [(c.id, u.ref.unit) for c in load_library(LESSONS_DIR).courses for u in c.units]


@pytest.fixture(scope="module")
def ctl(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("data")
    return make_controller(AppConfig(LESSONS_DIR, Path(data), language="vi"))


@pytest.mark.parametrize(("course_id", "unit_id"), UNITS, ids=[f"{c}/{u}" for c, u in UNITS])
def test_unit_renders_and_its_exercises_accept_their_answers(
    ctl, course_id: str, unit_id: str
) -> None:
    ctl.open_unit(course_id, unit_id)
    unit = ctl.unit
    for section in sections_of(unit):
        ctl.open_section(section)
        render(ctl)
    ctl.start_exercises()
    while ctl.state.screen is Screen.EXERCISE:
        exercise = ctl.state.session.current
        tree = render(ctl)
        if isinstance(exercise, ChoiceExercise):
            press(tree, f"choice-{exercise.answer}")
        elif isinstance(exercise, ArrangeExercise):
            free = list(range(len(exercise.tiles)))
            for word in exercise.accepted[0].split():
                index = next(i for i in free if exercise.tiles[i] == word)
                free.remove(index)
                ctl.place_tile(index)
            ctl.check()
        elif isinstance(exercise, TypeExercise):
            ctl.type_text(exercise.accepted[0])
            ctl.check()
        elif isinstance(exercise, MatchExercise):
            for index in range(len(exercise.pairs)):
                press(render(ctl), f"word-{index}")
                press(render(ctl), f"meaning-{index}")
        assert ctl.state.session.last.correct, f"{unit.ref}/{exercise.id}"
        render(ctl)
        ctl.next()
    assert ctl.state.result.percent == 100
    render(ctl)
