"""Pure answer grading: normalise what the learner gave and compare it with what is accepted."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.exercises import ArrangeExercise, ChoiceExercise, Exercise, TypeExercise

# Full-width ASCII forms (！？，．) as typed by CJK keyboards, and the ideographic space.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FINAL_PUNCTUATION = ".?!。？！…~,、"

# A response is the index of a choice, the tiles in order, or typed text.
Response = int | tuple[str, ...] | str


@dataclass(frozen=True)
class Grade:
    correct: bool
    expected: str  # the best answer, as Korean text (or the choice label key for choices)
    expected_choice: int | None = None  # for choice exercises, index in authored order


def normalise(text: str) -> str:
    """NFC, half-width punctuation, single spaces, no final punctuation."""
    text = unicodedata.normalize("NFC", text.translate(_FULLWIDTH))
    text = " ".join(text.split())
    return text.rstrip(_FINAL_PUNCTUATION + " ")


def compact(text: str) -> str:
    """Normalised text without any spaces: Korean spacing is not what these exercises test."""
    return "".join(normalise(text).split())


def accepts(given: str, accepted: Sequence[str]) -> bool:
    """True if `given` equals any accepted answer, ignoring spacing and final punctuation."""
    wanted = compact(given)
    return bool(wanted) and any(wanted == compact(answer) for answer in accepted)


def grade(exercise: Exercise, response: Response) -> Grade:
    """Grade one response; the grade names the best answer so feedback can show it."""
    if isinstance(exercise, ChoiceExercise):
        if not isinstance(response, int):
            raise TypeError(f"{exercise.id}: a choice exercise takes a choice index")
        answer = exercise.choices[exercise.answer]
        expected = answer if isinstance(answer, str) else answer.ko or ""
        return Grade(response == exercise.answer, expected, exercise.answer)
    if isinstance(exercise, ArrangeExercise):
        if not isinstance(response, tuple):
            raise TypeError(f"{exercise.id}: an arrange exercise takes a tuple of tiles")
        return Grade(accepts(" ".join(response), exercise.accepted), exercise.accepted[0])
    if isinstance(exercise, TypeExercise):
        if not isinstance(response, str):
            raise TypeError(f"{exercise.id}: a typing exercise takes text")
        return Grade(accepts(response, exercise.accepted), exercise.accepted[0])
    raise TypeError(f"unknown exercise {exercise!r}")


def response_text(response: Response) -> str:
    """A response as text for the attempt log."""
    if isinstance(response, tuple):
        return " ".join(response)
    return str(response)
