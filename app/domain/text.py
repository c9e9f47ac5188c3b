"""Multilingual learner-facing text with per-translation provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

SOURCE_LANG = "ko"
FALLBACK_LANG = "en"


class Provenance(StrEnum):
    AUTHORED = "authored"
    MACHINE = "machine"


class Review(StrEnum):
    UNREVIEWED = "unreviewed"
    REVIEWED = "reviewed"


@dataclass(frozen=True)
class Translation:
    text: str
    provenance: Provenance = Provenance.AUTHORED
    review: Review = Review.UNREVIEWED


@dataclass(frozen=True)
class Shown:
    """A translation picked for display, and the language it is actually in."""

    text: str
    lang: str
    provenance: Provenance

    @property
    def is_machine(self) -> bool:
        return self.provenance is Provenance.MACHINE


@dataclass(frozen=True)
class Text:
    """A Korean source (absent for glosses) and its translations by language tag."""

    ko: str | None = None
    translations: Mapping[str, Translation] = field(default_factory=dict)

    def shown(self, lang: str) -> Shown | None:
        """The text for a learner of `lang`, falling back to English; None if neither exists."""
        if lang == SOURCE_LANG and self.ko is not None:
            return Shown(self.ko, SOURCE_LANG, Provenance.AUTHORED)
        for candidate in (lang, FALLBACK_LANG):
            found = self.translations.get(candidate)
            if found is not None:
                return Shown(found.text, candidate, found.provenance)
        return None

    def in_lang(self, lang: str) -> str:
        """Display string for `lang` (falls back to English, then Korean)."""
        shown = self.shown(lang)
        if shown is not None:
            return shown.text
        return self.ko or ""
