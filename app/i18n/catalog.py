"""Load a language's .po catalog and look messages up, with CLDR plural rules.

Numbers, percentages and dates shown in the interface are formatted for the language's locale
with Babel (`Translator.number`, `.percent`, `.date`), in the locale's own digits where CLDR
says so (Bengali, Burmese, Nepali).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from app.paths import LOCALES_DIR

# Interface languages (BCP 47 tags), each named in its own language (shown in the language
# picker and in Settings, whatever the current interface language is).
LANGUAGES: dict[str, str] = {
    "ko": "한국어",
    "en": "English",
    "vi": "Tiếng Việt",
    "zh-Hans": "简体中文",
    "th": "ไทย",
    "fil": "Filipino",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "my": "မြန်မာ",
    "km": "ខ្មែរ",
    "hi": "हिन्दी",
    "uz": "Oʻzbekcha",
    "tg": "Тоҷикӣ",
    "tk": "Türkmençe",
    "ja": "日本語",
    "mn": "Монгол",
    "ru": "Русский",
    "lo": "ລາວ",
    "ne": "नेपाली",
    "bn": "বাংলা",
    "ur": "اردو",
}
DEFAULT_LANGUAGE = "en"

# The writing system (ISO 15924) of each interface language: it decides which fonts the app
# loads (app/ui/fonts.py). Uzbek is written in Latin letters (the official script since 1995),
# Mongolian in Cyrillic, Japanese in kana and kanji.
SCRIPTS: dict[str, str] = {
    "ko": "Hang",
    "en": "Latn",
    "vi": "Latn",
    "zh-Hans": "Hans",
    "th": "Thai",
    "fil": "Latn",
    "id": "Latn",
    "ms": "Latn",
    "my": "Mymr",
    "km": "Khmr",
    "hi": "Deva",
    "uz": "Latn",
    "tg": "Cyrl",
    "tk": "Latn",
    "ja": "Jpan",
    "mn": "Cyrl",
    "ru": "Cyrl",
    "lo": "Laoo",
    "ne": "Deva",
    "bn": "Beng",
    "ur": "Arab",
}

FSI = "\u2068"  # first-strong isolate
PDI = "\u2069"  # pop directional isolate

# Digit zero of the CLDR numbering systems our locales use by default (Babel formats symbols
# and grouping for a numbering system, but always writes the digits 0-9).
_ZERO = {"beng": 0x09E6, "mymr": 0x1040, "deva": 0x0966, "arabext": 0x06F0}


class UnknownLanguage(ValueError):
    def __init__(self, lang: str) -> None:
        choices = ", ".join(LANGUAGES)
        super().__init__(f"unknown language '{lang}'; choose one of: {choices}")
        self.lang = lang


def babel_id(lang: str) -> str:
    """The Babel/gettext identifier of a BCP 47 tag: zh-Hans -> zh_Hans."""
    return lang.replace("-", "_")


def catalog_path(lang: str, root: Path = LOCALES_DIR) -> Path:
    """locales/<babel id>/LC_MESSAGES/messages.po (zh-Hans is stored as zh_Hans)."""
    return root / babel_id(lang) / "LC_MESSAGES" / "messages.po"


@dataclass
class Translator:
    """Looks up UI messages for one language; a missing message falls back to English.

    Whole numbers given as {placeholders} are written in the locale's digits and grouping."""

    lang: str
    messages: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    locale: Locale = field(default_factory=lambda: Locale.parse("en"))
    plural: Callable[[int], int] = field(default=lambda n: int(n != 1))

    def _fill(self, text: str, values: dict[str, object]) -> str:
        shown = {name: self._value(value) for name, value in values.items()}
        return text.format(**shown) if shown else text

    def _value(self, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.number(value)
        if isinstance(value, str) and value and self.rtl:
            # In a right-to-left sentence a left-to-right value (an English course title,
            # Korean) keeps its own order: a first-strong isolate, as ICU MessageFormat does.
            return f"{FSI}{value}{PDI}"
        return value

    def _(self, message: str, **values: object) -> str:
        """The translation of `message`, with {placeholders} filled in."""
        found = self.messages.get(message)
        text = found if isinstance(found, str) and found else message
        return self._fill(text, values)

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
        return self._fill(text, {"n": n, **values})

    # -- locale formatting ------------------------------------------------------------------

    def _digits(self, text: str) -> str:
        zero = _ZERO.get(self.locale.default_numbering_system)
        if zero is None:
            return text
        return text.translate({ord("0") + i: zero + i for i in range(10)})

    def number(self, value: float) -> str:
        """A number as the locale writes it: 1,234 · 1.234 · 1 234 · ১,২৩৪."""
        return self._digits(format_decimal(value, locale=self.locale))

    def percent(self, fraction: float) -> str:
        """A share (0.8) as a whole percentage: 80% · 80 % · ৮০%."""
        return self._digits(format_percent(fraction, locale=self.locale))

    def date(self, day: date) -> str:
        """A date in the locale's medium format: Mar 14, 2025 · 2025. 3. 14. · 14 мар. 2025 г."""
        return self._digits(format_date(day, "medium", locale=self.locale))

    def moment(self, when: datetime) -> str:
        """A date and time in the device's time zone, as the locale writes them."""
        local = when.astimezone()
        return self._digits(
            format_datetime(local, "medium", tzinfo=local.tzinfo, locale=self.locale)
        )

    def megabytes(self, size: int) -> str:
        """A file size: 12.5 MB (in the locale's digits)."""
        return f"{self._digits(format_decimal(round(size / 1e6, 1), locale=self.locale))} MB"

    def language_name(self, lang: str) -> str:
        """What this interface calls the language `lang` (CLDR): Thai, 태국어, ภาษาไทย…"""
        name = Locale.parse(babel_id(lang)).get_display_name(self.locale)
        return name or LANGUAGES[lang]

    @property
    def rtl(self) -> bool:
        return self.locale.character_order == "right-to-left"


def load_translator(lang: str, root: Path = LOCALES_DIR) -> Translator:
    """The translator for `lang`; UnknownLanguage if the app has no such interface language."""
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    locale = Locale.parse(babel_id(lang))
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
