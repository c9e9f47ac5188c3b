"""The study-session state machine: answer, see feedback, go on; missed items come back once."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from app.domain.course import Unit, UnitRef
from app.domain.exercises import ArrangeExercise, ChoiceExercise, Exercise, MatchExercise
from app.domain.grading import Grade, Response, grade, response_text


class Phase(StrEnum):
    ANSWERING = "answering"
    FEEDBACK = "feedback"
    FINISHED = "finished"


@dataclass(frozen=True)
class Attempt:
    """One answer the learner gave; the log of these is the truth about her work."""

    id: str
    unit: UnitRef
    exercise_id: str
    response: str
    correct: bool
    answered_at: datetime
    first_try: bool


@dataclass(frozen=True)
class UnitResult:
    """The outcome of working through a unit's exercises once."""

    id: str
    unit: UnitRef
    correct: int
    total: int
    finished_at: datetime
    missed: tuple[str, ...]  # exercise ids not right on the first try

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


@dataclass(frozen=True)
class StudySession:
    unit: UnitRef
    exercises: Mapping[str, Exercise]
    order: tuple[str, ...]  # authored order, for the result
    queue: tuple[str, ...]  # exercise ids still to do, current first
    layouts: Mapping[str, tuple[int, ...]]  # shuffled positions of choices / tiles
    phase: Phase = Phase.ANSWERING
    attempts: tuple[Attempt, ...] = ()
    last: Grade | None = None
    first_try: Mapping[str, bool] = field(default_factory=dict)

    @property
    def current(self) -> Exercise | None:
        return self.exercises[self.queue[0]] if self.queue else None

    @property
    def done(self) -> int:
        """Exercises answered at least once."""
        return len(self.first_try)

    @property
    def total(self) -> int:
        return len(self.order)

    @property
    def is_retry(self) -> bool:
        """True when the current exercise was missed earlier and has come back."""
        exercise = self.current
        if exercise is None:
            return False
        tries = sum(1 for a in self.attempts if a.exercise_id == exercise.id)
        return tries - (1 if self.phase is Phase.FEEDBACK else 0) > 0

    def layout(self, exercise: Exercise) -> tuple[int, ...]:
        """Display order of the exercise's choices or tiles (indices into the authored list)."""
        return self.layouts.get(exercise.id, ())

    def answer(self, response: Response, now: datetime, attempt_id: str) -> StudySession:
        """Grade the response to the current exercise and show feedback."""
        exercise = self.current
        if self.phase is not Phase.ANSWERING or exercise is None:
            raise ValueError(f"cannot answer in phase {self.phase}")
        result = grade(exercise, response)
        is_first = exercise.id not in self.first_try
        attempt = Attempt(
            id=attempt_id,
            unit=self.unit,
            exercise_id=exercise.id,
            response=response_text(response),
            correct=result.correct,
            answered_at=now,
            first_try=is_first,
        )
        queue = self.queue
        if is_first and not result.correct:
            queue = (*queue, exercise.id)  # a missed exercise comes back once, at the end
        first_try = dict(self.first_try)
        first_try.setdefault(exercise.id, result.correct)
        return replace(
            self,
            phase=Phase.FEEDBACK,
            attempts=(*self.attempts, attempt),
            last=result,
            queue=queue,
            first_try=first_try,
        )

    def advance(self) -> StudySession:
        """Leave the feedback and go to the next exercise, or finish."""
        if self.phase is not Phase.FEEDBACK:
            raise ValueError(f"cannot advance in phase {self.phase}")
        queue = self.queue[1:]
        return replace(
            self,
            queue=queue,
            phase=Phase.ANSWERING if queue else Phase.FINISHED,
            last=None,
        )

    def result(self, now: datetime, result_id: str) -> UnitResult:
        """The unit result; only a finished session has one."""
        if self.phase is not Phase.FINISHED:
            raise ValueError("the session is not finished")
        missed = tuple(i for i in self.order if not self.first_try.get(i, False))
        return UnitResult(
            id=result_id,
            unit=self.unit,
            correct=self.total - len(missed),
            total=self.total,
            finished_at=now,
            missed=missed,
        )


def start_session(unit: Unit, seed: int) -> StudySession:
    """A session over all exercises of the unit, choices and tiles shuffled by `seed`."""
    if not unit.exercises:
        raise ValueError(f"{unit.ref} has no exercises")
    rng = random.Random(seed)
    layouts: dict[str, tuple[int, ...]] = {}
    for exercise in unit.exercises:
        size = _layout_size(exercise)
        if size:
            positions = list(range(size))
            rng.shuffle(positions)
            layouts[exercise.id] = tuple(positions)
    ids = tuple(e.id for e in unit.exercises)
    return StudySession(
        unit=unit.ref,
        exercises={e.id: e for e in unit.exercises},
        order=ids,
        queue=ids,
        layouts=layouts,
    )


def _layout_size(exercise: Exercise) -> int:
    if isinstance(exercise, ChoiceExercise):
        return len(exercise.choices)
    if isinstance(exercise, ArrangeExercise):
        return len(exercise.tiles)
    if isinstance(exercise, MatchExercise):
        return len(exercise.pairs)
    return 0
