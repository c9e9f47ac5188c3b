from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.session import Phase, StudySession, start_session
from tests.domain.factories import tiny_unit

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def right_answer(session: StudySession) -> int | tuple[str, ...] | str:
    exercise = session.current
    assert exercise is not None
    if exercise.type.value == "meaning":
        return 0
    if exercise.type.value == "arrange":
        return ("저는", "학생이에요.")
    return "안녕하세요"


def wrong_answer(session: StudySession) -> int | tuple[str, ...] | str:
    exercise = session.current
    assert exercise is not None
    if exercise.type.value == "meaning":
        return 1
    if exercise.type.value == "arrange":
        return ("학생이에요.", "저는")
    return "안녕"


def test_all_right_first_time_scores_100() -> None:
    session = start_session(tiny_unit(), seed=1)
    for step in range(3):
        session = session.answer(right_answer(session), T0 + timedelta(seconds=step), f"a{step}")
        assert session.phase is Phase.FEEDBACK and session.last and session.last.correct
        session = session.advance()
    assert session.phase is Phase.FINISHED
    result = session.result(T0, "r1")
    assert (result.correct, result.total, result.percent, result.missed) == (3, 3, 100, ())


def test_missed_exercise_comes_back_once_and_counts_as_missed() -> None:
    session = start_session(tiny_unit(), seed=1)
    session = session.answer(wrong_answer(session), T0, "a1").advance()
    for step in range(2):
        session = session.answer(right_answer(session), T0, f"b{step}").advance()
    assert session.current is not None and session.current.id == "e01"  # back at the end
    session = session.answer(wrong_answer(session), T0, "c1").advance()  # wrong again: not requeued
    assert session.phase is Phase.FINISHED
    result = session.result(T0, "r")
    assert result.missed == ("e01",) and result.percent == 67
    assert [a.first_try for a in session.attempts] == [True, True, True, False]


def test_phases_are_enforced() -> None:
    session = start_session(tiny_unit(), seed=1)
    with pytest.raises(ValueError, match="advance"):
        session.advance()
    session = session.answer(right_answer(session), T0, "a")
    with pytest.raises(ValueError, match="answer"):
        session.answer(right_answer(session), T0, "b")
    with pytest.raises(ValueError, match="not finished"):
        session.result(T0, "r")


def test_layout_is_a_permutation_fixed_by_seed() -> None:
    unit = tiny_unit()
    a, b = start_session(unit, seed=7), start_session(unit, seed=7)
    exercise = unit.exercises[0]
    assert a.layout(exercise) == b.layout(exercise)
    assert sorted(a.layout(exercise)) == [0, 1, 2]


@given(st.lists(st.booleans(), min_size=6, max_size=6))
def test_any_answer_pattern_finishes_with_a_consistent_score(pattern: list[bool]) -> None:
    session = start_session(tiny_unit(), seed=3)
    answers = iter(pattern)
    steps = 0
    while session.phase is not Phase.FINISHED:
        good = next(answers, True)
        response = right_answer(session) if good else wrong_answer(session)
        session = session.answer(response, T0, f"a{steps}").advance()
        steps += 1
    result = session.result(T0, "r")
    assert 3 <= steps <= 6
    assert result.correct + len(result.missed) == result.total == 3
    assert len(session.attempts) == steps


def test_is_retry_only_when_a_missed_exercise_comes_back() -> None:
    session = start_session(tiny_unit(), seed=1)
    assert not session.is_retry
    session = session.answer(wrong_answer(session), T0, "a1")
    assert not session.is_retry  # still the first try, now showing feedback
    session = session.advance()
    for step in range(2):
        session = session.answer(right_answer(session), T0, f"b{step}").advance()
    assert session.is_retry
