import pytest

from app.domain.exercises import ArrangeExercise, ChoiceExercise, ExerciseType, TypeExercise
from app.domain.grading import accepts, compact, grade, normalise
from app.domain.text import Text

TYPE = TypeExercise("e1", Text("저는 학생이에요.", {}), ("저는 학생이에요.", "학생이에요."))


@pytest.mark.parametrize(
    ("given", "correct"),
    [
        pytest.param("저는 학생이에요.", True, id="exact"),
        pytest.param("저는 학생이에요", True, id="no final full stop"),
        pytest.param("저는학생이에요", True, id="no spaces"),
        pytest.param("  저는   학생이에요 . ", True, id="extra spaces"),
        pytest.param("저는 학생이에요！", True, id="full-width exclamation"),
        pytest.param("저는\u3000학생이에요", True, id="ideographic space"),
        pytest.param("학생이에요", True, id="accepted alternative"),
        pytest.param(
            "\u110c\u1165\u1102\u1173\u11ab 학생이에요",
            True,
            id="conjoining jamo compose under NFC",
        ),
        pytest.param("저는 학생예요.", False, id="wrong ending after batchim"),
        pytest.param("저은 학생이에요.", False, id="wrong topic particle"),
        pytest.param("", False, id="empty"),
        pytest.param("...", False, id="only punctuation"),
    ],
)
def test_typed_answers(given: str, correct: bool) -> None:
    assert grade(TYPE, given).correct is correct
    assert grade(TYPE, given).expected == "저는 학생이에요."


def test_normalise_keeps_inner_punctuation_and_drops_final() -> None:
    assert normalise("네, 회사원이에요?") == "네, 회사원이에요"
    assert compact("네, 회사원 이에요") == "네,회사원이에요"


def test_accepts_needs_something() -> None:
    assert not accepts("   ", ["네"])


def test_choice_grade_names_the_right_choice() -> None:
    exercise = ChoiceExercise("e2", ExerciseType.FILL, Text("저＿＿ 학생이에요."), ("는", "은"), 0)
    right = grade(exercise, 0)
    wrong = grade(exercise, 1)
    assert right.correct and not wrong.correct
    assert wrong.expected_choice == 0 and wrong.expected == "는"


def test_arrange_grades_tile_order() -> None:
    exercise = ArrangeExercise(
        "e3",
        Text("저는 베트남 사람이에요.", {}),
        ("저는", "베트남", "사람이에요.", "예요"),
        ("저는 베트남 사람이에요.",),
    )
    assert grade(exercise, ("저는", "베트남", "사람이에요.")).correct
    assert not grade(exercise, ("베트남", "저는", "사람이에요.")).correct
    assert not grade(exercise, ("저는", "베트남", "예요")).correct


def test_wrong_response_kind_is_an_error() -> None:
    with pytest.raises(TypeError, match="e1"):
        grade(TYPE, 0)
