"""Load a language's .po catalog and look messages up, with CLDR plural rules."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

from app.paths import LOCALES_DIR

# Interface languages, each named in its own language (shown in the language picker).
LANGUAGES: dict[str, str] = {
    "ko": "한국어",
    "en": "English",
    "vi": "Tiếng Việt",
    "zh-Hans": "简体中文",
}
DEFAULT_LANGUAGE = "en"


class UnknownLanguage(ValueError):
    def __init__(self, lang: str) -> None:
        choices = ", ".join(LANGUAGES)
        super().__init__(f"unknown language '{lang}'; choose one of: {choices}")
        self.lang = lang


def catalog_path(lang: str, root: Path = LOCALES_DIR) -> Path:
    """locales/<babel id>/LC_MESSAGES/messages.po (zh-Hans is stored as zh_Hans)."""
    return root / lang.replace("-", "_") / "LC_MESSAGES" / "messages.po"


@dataclass
class Translator:
    """Looks up UI messages for one language; a missing message falls back to English."""

    lang: str
    messages: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    locale: Locale = field(default_factory=lambda: Locale.parse("en"))
    plural: Callable[[int], int] = field(default=lambda n: int(n != 1))

    def _(self, message: str, **values: object) -> str:
        """The translation of `message`, with {placeholders} filled in."""
        found = self.messages.get(message)
        text = found if isinstance(found, str) and found else message
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The plural form of the message for count `n` ({n} is filled in)."""
        found = self.messages.get(singular)
        forms: tuple[str, ...] = (
            found if isinstance(found, tuple) and all(found) else (singular, plural)
        )
        if found is None or forms == (singular, plural):
            text = singular if n == 1 else plural
        else:
            text = forms[min(self.plural(n), len(forms) - 1)]
        return text.format(n=n, **values)

    @property
    def rtl(self) -> bool:
        return self.locale.character_order == "right-to-left"


def load_translator(lang: str, root: Path = LOCALES_DIR) -> Translator:
    """The translator for `lang`; UnknownLanguage if the app has no such interface language."""
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    locale = Locale.parse(lang.replace("-", "_"))
    path = catalog_path(lang, root)
    if not path.is_file():
        raise FileNotFoundError(f"interface catalog missing: {path}")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    messages: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        value = message.string
        messages[key] = value if isinstance(value, str) else tuple(value or ())
    # The catalog's Plural-Forms (from CLDR via Babel) as a function; c2py evaluates it safely.
    plural = gettext.c2py(catalog.plural_expr)
    return Translator(lang, messages, locale, plural)
