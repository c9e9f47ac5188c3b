"""Which audio clips a course needs: a pure function over the domain objects."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from app.content.loader import GAP
from app.domain.course import Course, Unit
from app.domain.exercises import (
    ArrangeExercise,
    ChoiceExercise,
    Exercise,
    ExerciseType,
    TypeExercise,
)

NORMAL = 1.0
SLOW = 0.75
SPEEDS = (NORMAL, SLOW)

# "감사합니다 [감사함니다]": the bracket is how it sounds, so that is what a voice should read.
_SOUNDS_LIKE = re.compile(r"^(?P<written>[^\[\]]*?)\s*\[(?P<said>[^\[\]]+)\]$")
# Pronunciation examples list several words: "가 · 카 · 까", "밝다 [박따], 넓다 [널따]".
# A "·" inside a name ("출입국·외국인사무소") is part of the name, so only a spaced one separates.
_LIST_SEPARATOR = re.compile(r"\s+·\s+|\s*,\s*")


def normalise(text: str) -> str:
    """The form a clip is indexed and looked up by: NFC, single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _said(part: str) -> str:
    match = _SOUNDS_LIKE.match(part)
    if match is None:
        return part
    # "[펴늬점/펴니점]" lists accepted pronunciations: say the first.
    return match["said"].split("/")[0].strip() or match["written"]


def speech_for(text: str) -> str:
    """What a voice should say for a displayed Korean text."""
    text = normalise(text)
    if "[" not in text and " · " not in text:
        return text
    # A comma between listed words makes every voice pause; "·" is read oddly or not at all.
    return ", ".join(_said(part) for part in _LIST_SEPARATOR.split(text) if part)


@dataclass(frozen=True, order=True)
class Phrase:
    """A Korean text the app shows (the lookup key) and what a voice says for it."""

    text: str
    speech: str


@dataclass(frozen=True, order=True)
class DialogueTrack:
    """A whole dialogue, played as one track: its lines in order."""

    unit: str  # the unit ref, "level1/u01"
    lines: tuple[str, ...]  # normalised line texts, each also a Phrase


@dataclass(frozen=True)
class CourseClips:
    """Every clip a course needs (each is built at every speed in SPEEDS)."""

    course: str
    phrases: tuple[Phrase, ...]
    dialogues: tuple[DialogueTrack, ...]


def phrase(text: str, speech: str | None = None) -> Phrase:
    """A phrase for a displayed text; `speech` overrides what is said (a letter's name)."""
    return Phrase(normalise(text), normalise(speech) if speech else speech_for(text))


def exercise_korean(exercise: Exercise) -> tuple[str, ...]:
    """The Korean a learner can hear in an exercise: the full sentence, or a line and its reply."""
    if isinstance(exercise, ArrangeExercise | TypeExercise):
        return (exercise.target.ko,) if exercise.target.ko else ()
    if not isinstance(exercise, ChoiceExercise) or exercise.cue.ko is None:
        return ()
    answer = exercise.choices[exercise.answer]
    if exercise.type is ExerciseType.FILL and isinstance(answer, str):
        # The loader keeps only the gapped sentence; the answer fills the gap back in.
        return (exercise.cue.ko.replace(GAP, answer, 1),)
    if exercise.type is ExerciseType.REPLY and isinstance(answer, str):
        return (exercise.cue.ko, answer)
    return ()  # meaning, listen: the word is built as vocabulary already


def _unit_phrases(unit: Unit) -> Iterator[Phrase]:
    for letter in unit.letters:
        # A letter alone is read by its name (ㄱ is "기역"), as Google's voice does.
        yield phrase(letter.char, letter.name)
        yield from (phrase(ex.ko) for ex in letter.examples if ex.ko)
    if unit.dialogue is not None:
        yield from (phrase(line.text.ko) for line in unit.dialogue.lines if line.text.ko)
    for item in unit.vocabulary:
        yield phrase(item.ko)
        if item.example.ko:
            yield phrase(item.example.ko)
    for point in unit.grammar:
        yield from (phrase(ex.ko) for ex in point.examples if ex.ko)
    if unit.pronunciation is not None:
        yield from (phrase(ex.ko) for ex in unit.pronunciation.examples if ex.ko)
    for exercise in unit.exercises:
        yield from (phrase(ko) for ko in exercise_korean(exercise))


def course_clips(course: Course) -> CourseClips:
    """Every phrase and whole dialogue of a course, each once, in a stable order."""
    phrases = {p.text: p for unit in course.units for p in _unit_phrases(unit) if p.text}
    dialogues = tuple(
        DialogueTrack(
            str(unit.ref),
            tuple(normalise(line.text.ko) for line in unit.dialogue.lines if line.text.ko),
        )
        for unit in course.units
        if unit.dialogue is not None and unit.dialogue.lines
    )
    return CourseClips(str(course.id), tuple(sorted(phrases.values())), dialogues)
