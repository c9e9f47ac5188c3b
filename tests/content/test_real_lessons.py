"""Every real file under lessons/ loads, and the course structure holds."""

from collections import Counter

import pytest

from app.content.loader import REQUIRED_LANGS, load_library
from app.domain.course import CourseKind
from app.domain.exercises import ChoiceExercise
from app.paths import LESSONS_DIR

LIBRARY = load_library(LESSONS_DIR)


def test_every_course_loads_without_a_problem() -> None:
    problems = "\n".join(str(f) for f in LIBRARY.failures)
    assert not LIBRARY.failures, problems
    assert {c.id for c in LIBRARY.courses} >= {"level1"}


def test_level1_unit1_is_the_sejong_greetings_unit() -> None:
    unit = LIBRARY.course("level1").unit("u01")
    assert unit.dialogue is not None and 6 <= len(unit.dialogue.lines) <= 12
    assert 15 <= len(unit.vocabulary) <= 25 and len(unit.grammar) == 2
    assert {g.pattern for g in unit.grammar} == {"N이에요/예요", "N은/는"}
    kinds = Counter(e.type.value for e in unit.exercises)
    assert kinds["meaning"] and kinds["arrange"] and kinds["type"]


@pytest.mark.parametrize("course", LIBRARY.courses, ids=lambda c: c.id)
def test_every_text_has_the_required_translations(course) -> None:
    for unit in course.units:
        texts = [unit.title, *unit.goals]
        if unit.dialogue:
            texts += [line.text for line in unit.dialogue.lines]
        texts += [v.meaning for v in unit.vocabulary] + [v.example for v in unit.vocabulary]
        for text in texts:
            for lang in REQUIRED_LANGS:
                assert lang in text.translations, f"{unit.ref}: {text} lacks {lang}"


@pytest.mark.parametrize("course", LIBRARY.courses, ids=lambda c: c.id)
def test_choice_exercises_have_exactly_one_answer_among_distinct_choices(course) -> None:
    for unit in course.units:
        for exercise in unit.exercises:
            if isinstance(exercise, ChoiceExercise):
                labels = [c if isinstance(c, str) else c.in_lang("en") for c in exercise.choices]
                assert len(set(labels)) == len(labels), f"{unit.ref}/{exercise.id}"
                assert 0 <= exercise.answer < len(labels)


def test_sejong_and_hangul_courses_state_their_level_map() -> None:
    for course in LIBRARY.courses:
        if course.kind in (CourseKind.SEJONG, CourseKind.HANGUL):
            assert course.levels is not None and course.levels.hours > 0, course.id
