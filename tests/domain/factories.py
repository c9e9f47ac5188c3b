"""Small hand-made units for domain tests (real content is tested in tests/content)."""

from app.domain.course import CourseId, Unit, UnitId, UnitRef
from app.domain.exercises import ArrangeExercise, ChoiceExercise, ExerciseType, TypeExercise
from app.domain.text import Text, Translation

REF = UnitRef(CourseId("level1"), UnitId("u01"))


def gloss(en: str) -> Text:
    return Text(None, {"en": Translation(en)})


def tiny_unit() -> Unit:
    exercises = (
        ChoiceExercise(
            "e01",
            ExerciseType.MEANING,
            Text("이름"),
            (gloss("name"), gloss("country"), gloss("person")),
            0,
        ),
        ArrangeExercise(
            "e02",
            Text("저는 학생이에요.", {"en": Translation("I'm a student.")}),
            ("저는", "학생이에요.", "예요"),
            ("저는 학생이에요.",),
        ),
        TypeExercise("e03", Text("안녕하세요.", {"en": Translation("Hello.")}), ("안녕하세요.",)),
    )
    return Unit(REF, 1, gloss("Greetings"), (), (), None, (), (), None, None, (), exercises)
