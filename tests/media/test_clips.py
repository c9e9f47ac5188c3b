"""Which clips a course needs, from the real lessons."""

from __future__ import annotations

import pytest

from app.content.loader import load_course
from app.domain.exercises import ArrangeExercise, ChoiceExercise, ExerciseType, TypeExercise
from app.media.clips import CourseClips, course_clips, exercise_korean, normalise, speech_for
from app.paths import LESSONS_DIR


@pytest.fixture(scope="module")
def hangul() -> CourseClips:
    return course_clips(load_course(LESSONS_DIR / "hangul"))


def texts(clips: CourseClips) -> set[str]:
    return {p.text for p in clips.phrases}


def test_unit1_needs_every_korean_text_a_learner_can_hear(level1_unit1: CourseClips) -> None:
    unit = load_course(LESSONS_DIR / "level1").unit("u01")
    found = texts(level1_unit1)
    assert unit.dialogue is not None
    assert {normalise(line.text.ko or "") for line in unit.dialogue.lines} <= found
    assert {v.ko for v in unit.vocabulary} <= found
    assert {normalise(v.example.ko or "") for v in unit.vocabulary} <= found
    assert {normalise(ex.ko or "") for g in unit.grammar for ex in g.examples} <= found
    assert unit.pronunciation is not None
    assert {normalise(ex.ko or "") for ex in unit.pronunciation.examples} <= found
    for exercise in unit.exercises:
        assert set(exercise_korean(exercise)) <= found, exercise.id
    (track,) = level1_unit1.dialogues
    assert track.unit == "level1/u01" and len(track.lines) == len(unit.dialogue.lines)
    assert len(found) == len(level1_unit1.phrases)  # each text once


def test_exercises_give_their_whole_korean_sentence() -> None:
    course = load_course(LESSONS_DIR / "level1")
    exercises = [e for unit in course.units for e in unit.exercises]
    for exercise in exercises:
        heard = exercise_korean(exercise)
        if isinstance(exercise, ArrangeExercise | TypeExercise):
            assert heard == (exercise.target.ko,)
        elif isinstance(exercise, ChoiceExercise) and exercise.type is ExerciseType.FILL:
            (sentence,) = heard
            assert "＿" not in sentence and exercise.choices[exercise.answer] in sentence
        elif isinstance(exercise, ChoiceExercise) and exercise.type is ExerciseType.REPLY:
            assert heard == (exercise.cue.ko, exercise.choices[exercise.answer])
        else:
            assert heard == ()  # meaning/korean/read: the word's own clip is used
    kinds = {e.type for e in exercises if exercise_korean(e)}
    assert {ExerciseType.ARRANGE, ExerciseType.TYPE, ExerciseType.FILL, ExerciseType.REPLY} <= kinds


def test_a_letter_is_read_by_its_name(hangul: CourseClips) -> None:
    by_text = {p.text: p.speech for p in hangul.phrases}
    assert by_text["ㄱ"] == "기역"
    assert by_text["ㅏ"] == "아"
    assert by_text["아이"] == "아이"  # letter example words are there too
    assert hangul.dialogues == ()


@pytest.mark.parametrize(
    ("shown", "said"),
    [
        ("감사합니다 [감사함니다]", "감사함니다"),
        ("같이 [가치]", "가치"),
        ("편의점 [펴늬점/펴니점]", "펴늬점"),
        ("가 · 카 · 까", "가, 카, 까"),
        ("밝다 [박따], 넓다 [널따]", "박따, 널따"),
        ("감사합니다 [감사함니다] · 국물 [궁물]", "감사함니다, 궁물"),
        ("네, 좋아요.", "네, 좋아요."),
        ("출입국·외국인사무소에 가요.", "출입국·외국인사무소에 가요."),
        ("  저는   학생이에요. ", "저는 학생이에요."),
    ],
)
def test_what_a_voice_says_for_a_shown_text(shown: str, said: str) -> None:
    assert speech_for(shown) == said


def test_normalise_is_nfc_and_single_spaced() -> None:
    assert normalise("\u1112\u1161\u11a8\u1109\u1162\u11bc ") == "학생"
    assert normalise(" 저는\t학생\n이에요 ") == "저는 학생 이에요"
