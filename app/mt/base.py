"""On-device machine translation: the port the app and the CLI use, and the values it returns.

Language codes here are the app's (`zh-Hans`, `fil`, `ms`, ...); an adapter maps them to its
engine's own codes (see `ARGOS_CODES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# The app's language tags that Argos Translate spells differently. Every other code is the
# same ISO 639-1 code in both (en, vi, th, id, ms, ja, ru, hi, ...).
ARGOS_CODES = {"zh-Hans": "zh", "zh-Hant": "zt", "fil": "tl"}
_FROM_ARGOS = {argos: app for app, argos in ARGOS_CODES.items()}


def to_argos(lang: str) -> str:
    return ARGOS_CODES.get(lang, lang)


def from_argos(code: str) -> str:
    return _FROM_ARGOS.get(code, code)


def language_name(lang: str) -> str:
    """`ms` -> `Malay`, in English (for messages and the CLI); the code itself if unknown."""
    try:
        from babel import Locale, UnknownLocaleError

        try:
            return str(Locale.parse(lang.replace("-", "_")).get_display_name("en"))
        except (UnknownLocaleError, ValueError):
            return lang
    except ImportError:  # pragma: no cover - Babel is a dependency of the app
        return lang


class MachineTranslationError(Exception):
    """Base of every error of this package; the message is meant for a person."""


class ModelFileError(MachineTranslationError):
    """A file offered for installation is not a usable translation model."""


class UnknownModel(MachineTranslationError):
    """No installed model has that name."""


class NoModel(MachineTranslationError):
    """No installed model (or chain of two) translates `source` into `target`."""

    def __init__(self, source: str, target: str) -> None:
        self.source, self.target = source, target
        super().__init__(needed_model_message(source, target))


class TranslationFailed(MachineTranslationError):
    """An installed model could not translate (damaged files, engine error)."""


@dataclass(frozen=True)
class ModelInfo:
    """One installed model. `name` is its folder, the handle for `remove`."""

    name: str
    source: str  # app language code
    target: str
    source_name: str
    target_name: str
    version: str
    size: int  # bytes on disk
    path: Path

    @property
    def pair(self) -> tuple[str, str]:
        return self.source, self.target

    def describe(self) -> str:
        return f"{self.name} ({self.source}→{self.target}, version {self.version or '?'})"


@dataclass(frozen=True)
class Route:
    """How `source` becomes `target`: one model, or two through a pivot language."""

    source: str
    target: str
    steps: tuple[ModelInfo, ...]

    @property
    def via(self) -> tuple[str, ...]:
        return tuple(step.target for step in self.steps[:-1])

    def describe(self) -> str:
        names = ", ".join(step.name for step in self.steps)
        pivot = f" via {', '.join(language_name(v) for v in self.via)}" if self.via else ""
        return f"{language_name(self.source)} → {language_name(self.target)}{pivot} ({names})"


def needed_model_message(source: str, target: str) -> str:
    """What to install so that `source` → `target` works (for the CLI and the app)."""
    src, tgt = to_argos(source), to_argos(target)
    return (
        f"no installed model translates {language_name(source)} into "
        f"{language_name(target)} ({source}→{target}). Install an Argos Translate model "
        f"for {src}→{tgt} (a file named like translate-{src}_{tgt}-1_0.argosmodel; "
        f"a {src}→X and an X→{tgt} model also work) from a file: "
        "python -m app.cli models install FILE, or in the app under Settings → Offline "
        "translation. Model files are downloaded once on a connected computer from Argos "
        "Translate's package index and copied over; nothing is downloaded by this app."
    )


class MachineTranslation(Protocol):
    """Offline translation with models the learner installs from files.

    `translate` has the shape `app.content.translate.fill` needs (`MachineTranslator`).
    """

    def installed(self) -> list[ModelInfo]:
        """The installed models, by source, target and name."""
        ...

    def available_pairs(self) -> list[tuple[str, str]]:
        """Every (source, target) the installed models can do, directly or through a pivot."""
        ...

    def route(self, source: str, target: str) -> Route | None:
        """The models that would translate `source` into `target`; None if there are none."""
        ...

    def can_translate(self, source: str, target: str) -> bool: ...

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate; raises NoModel if no route, TranslationFailed if the model fails."""
        ...

    def install(self, path: Path) -> ModelInfo:
        """Install a model file from disk (replacing an installed model of the same pair)."""
        ...

    def remove(self, name: str) -> ModelInfo:
        """Remove the installed model called `name`; raises UnknownModel."""
        ...
