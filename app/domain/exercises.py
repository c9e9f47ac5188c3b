"""Exercises as data, already resolved against the unit's vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.text import Text


class ExerciseType(StrEnum):
    MEANING = "meaning"  # Korean word -> pick its meaning
    KOREAN = "korean"  # meaning -> pick the Korean word
    ARRANGE = "arrange"  # build the Korean sentence from word tiles
    TYPE = "type"  # type the Korean sentence
    FILL = "fill"  # pick what goes in the gap
    REPLY = "reply"  # pick the right answer to a line
    READ = "read"  # see Hangul, pick how it sounds
    LISTEN = "listen"  # hear a Korean word, pick its meaning
    DICTATION = "dictation"  # hear a Korean sentence, type it
    MATCH = "match"  # pair Korean words with their meanings


# A choice is either a language-neutral string (Korean, a romanisation) shown as it is,
# or a gloss shown in the learner's language.
Choice = str | Text


def choice_label(choice: Choice, lang: str) -> str:
    """What a learner of `lang` sees on a choice button."""
    return choice if isinstance(choice, str) else choice.in_lang(lang)


@dataclass(frozen=True)
class ChoiceExercise:
    """Pick one of several choices (meaning, korean, fill, reply, read, listen)."""

    id: str
    type: ExerciseType
    cue: Text  # what is shown: the word, the gloss, the gapped sentence, the line
    choices: tuple[Choice, ...]
    answer: int  # index into choices, in authored order
    vocab_id: str | None = None  # the word it practises, as "unit/item" within the course


@dataclass(frozen=True)
class ArrangeExercise:
    """Put word tiles in order to build the Korean sentence."""

    id: str
    target: Text  # ko is the answer; translations are the prompt
    tiles: tuple[str, ...]  # the words of the answer plus distractor tiles
    accepted: tuple[str, ...]  # the answer first, then alternatives

    type: ExerciseType = ExerciseType.ARRANGE


@dataclass(frozen=True)
class TypeExercise:
    """Type the Korean for a sentence given in her language, or heard (dictation)."""

    id: str
    target: Text
    accepted: tuple[str, ...]

    type: ExerciseType = ExerciseType.TYPE


@dataclass(frozen=True)
class MatchExercise:
    """Pair each Korean word with its meaning; one slip makes the exercise missed."""

    id: str
    pairs: tuple[tuple[str, Text], ...]  # (Korean, meaning) in authored order

    type: ExerciseType = ExerciseType.MATCH


Exercise = ChoiceExercise | ArrangeExercise | TypeExercise | MatchExercise
