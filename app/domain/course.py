"""Course model: courses, units and the items a learner studies, all with stable ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NewType

from app.domain.exercises import Exercise
from app.domain.text import Text

CourseId = NewType("CourseId", str)
UnitId = NewType("UnitId", str)


class CourseKind(StrEnum):
    HANGUL = "hangul"
    SEJONG = "sejong"
    LIFE = "life"


@dataclass(frozen=True, order=True)
class UnitRef:
    """Address of a unit; progress and attempts hang on it."""

    course: CourseId
    unit: UnitId

    def __str__(self) -> str:
        return f"{self.course}/{self.unit}"

    def item(self, item_id: str) -> str:
        """Full stable path of an item inside this unit."""
        return f"{self.course}/{self.unit}/{item_id}"


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    roman: str


@dataclass(frozen=True)
class DialogueLine:
    id: str
    speaker: Speaker
    text: Text


@dataclass(frozen=True)
class Dialogue:
    setting: Text
    speakers: tuple[Speaker, ...]
    lines: tuple[DialogueLine, ...]


@dataclass(frozen=True)
class VocabItem:
    id: str
    ko: str
    pos: str
    meaning: Text
    example: Text


@dataclass(frozen=True)
class GrammarPoint:
    id: str
    pattern: str
    explanation: Text
    examples: tuple[Text, ...]
    mistakes: tuple[Text, ...]


@dataclass(frozen=True)
class Pronunciation:
    id: str
    title: Text
    explanation: Text
    examples: tuple[Text, ...]


@dataclass(frozen=True)
class CultureNote:
    id: str
    title: Text
    body: Text


@dataclass(frozen=True)
class Letter:
    id: str
    char: str
    name: str
    roman: str
    sound: Text
    shape: Text
    examples: tuple[Text, ...]


@dataclass(frozen=True)
class Fact:
    """A practical fact with the date it was last checked and where it comes from."""

    id: str
    text: Text
    checked: date
    source: str


@dataclass(frozen=True)
class Unit:
    ref: UnitRef
    number: int
    title: Text
    goals: tuple[Text, ...]
    letters: tuple[Letter, ...]
    dialogue: Dialogue | None
    vocabulary: tuple[VocabItem, ...]
    grammar: tuple[GrammarPoint, ...]
    pronunciation: Pronunciation | None
    culture: CultureNote | None
    facts: tuple[Fact, ...]
    exercises: tuple[Exercise, ...]


@dataclass(frozen=True)
class LevelMap:
    """How a course maps to CEFR, the King Sejong Institute and KIIP, with study hours."""

    cefr: str
    hours: int
    ksi: Text
    kiip: Text


@dataclass(frozen=True)
class Course:
    id: CourseId
    kind: CourseKind
    order: int
    title: Text
    description: Text
    levels: LevelMap | None
    units: tuple[Unit, ...]

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id; KeyError if the course has none."""
        for unit in self.units:
            if unit.ref.unit == unit_id:
                return unit
        raise KeyError(f"{self.id}/{unit_id}")
