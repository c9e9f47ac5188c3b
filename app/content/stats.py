"""Counts over loaded courses: what the content teaches and how well it is translated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from app.domain.course import Course, Unit
from app.domain.exercises import ArrangeExercise, ChoiceExercise, ExerciseType, TypeExercise
from app.domain.text import Provenance, Text


def texts_of(unit: Unit) -> Iterator[Text]:
    """Every authored learner-facing text of a unit (glosses included, derived cues not)."""
    yield unit.title
    yield from unit.goals
    for letter in unit.letters:
        yield from (letter.sound, letter.shape, *letter.examples)
    if unit.dialogue is not None:
        yield unit.dialogue.setting
        yield from (line.text for line in unit.dialogue.lines)
    for item in unit.vocabulary:
        yield from (item.meaning, item.example)
    for point in unit.grammar:
        yield from (point.explanation, *point.examples, *point.mistakes)
    if unit.pronunciation is not None:
        p = unit.pronunciation
        yield from (p.title, p.explanation, *p.examples)
    if unit.culture is not None:
        yield from (unit.culture.title, unit.culture.body)
    yield from (fact.text for fact in unit.facts)
    for exercise in unit.exercises:
        if isinstance(exercise, ArrangeExercise | TypeExercise):
            yield exercise.target
        elif isinstance(exercise, ChoiceExercise) and exercise.type in (
            ExerciseType.FILL,
            ExerciseType.REPLY,
        ):
            yield exercise.cue


@dataclass
class Coverage:
    total: int = 0
    authored: int = 0
    machine: int = 0

    @property
    def percent(self) -> float:
        return round(100 * (self.authored + self.machine) / self.total, 1) if self.total else 0.0


@dataclass
class Stats:
    courses: int = 0
    units: dict[str, int] = field(default_factory=dict)  # by course kind
    dialogue_lines: int = 0
    vocabulary: int = 0
    grammar_points: int = 0
    letters: int = 0
    facts: int = 0
    exercises: Counter[str] = field(default_factory=Counter)
    translations: dict[str, Coverage] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "courses": self.courses,
            "units": dict(self.units),
            "units_total": sum(self.units.values()),
            "dialogue_lines": self.dialogue_lines,
            "vocabulary": self.vocabulary,
            "grammar_points": self.grammar_points,
            "letters": self.letters,
            "facts": self.facts,
            "exercises": dict(sorted(self.exercises.items())),
            "exercises_total": sum(self.exercises.values()),
            "translations": {
                lang: {
                    "texts": c.total,
                    "authored": c.authored,
                    "machine": c.machine,
                    "percent": c.percent,
                }
                for lang, c in sorted(self.translations.items())
            },
        }


def collect(courses: Sequence[Course], langs: Sequence[str]) -> Stats:
    """Count units, items and exercises, and translation coverage for each of `langs`."""
    stats = Stats(courses=len(courses))
    coverage = {lang: Coverage() for lang in langs}
    for course in courses:
        stats.units[course.kind.value] = stats.units.get(course.kind.value, 0) + len(course.units)
        for unit in course.units:
            stats.dialogue_lines += len(unit.dialogue.lines) if unit.dialogue else 0
            stats.vocabulary += len(unit.vocabulary)
            stats.grammar_points += len(unit.grammar)
            stats.letters += len(unit.letters)
            stats.facts += len(unit.facts)
            stats.exercises.update(e.type.value for e in unit.exercises)
            for text in texts_of(unit):
                for lang, cov in coverage.items():
                    cov.total += 1
                    found = text.translations.get(lang)
                    if found is None:
                        continue
                    if found.provenance is Provenance.MACHINE:
                        cov.machine += 1
                    else:
                        cov.authored += 1
    stats.translations = coverage
    return stats
