"""Which bundled fonts the interface loads for each language, and in which order.

Every script the app shows is drawn from fonts in assets/fonts/ (OFL Noto subsets built by
scripts/build_fonts.py), so Flutter never asks a CDN for a fallback font, also in `--web` mode.
A language loads only what it needs:

- Latin (with Vietnamese, Uzbek, Turkmen, Filipino letters), Hangul and a few symbols, always:
  the course is Korean, and Latin carries digits, punctuation and the bidi controls;
- the full font of its own script (Thai, Khmer, Han, …), if that is not Latin or Hangul;
- tiny "names" fonts holding just the glyphs of the languages' own names, so the language
  list in Settings reads correctly in any interface language.

Flutter picks, for each character, the first font in [family, *fallback] that has it. Latin comes
first, except for Chinese and Japanese, whose CJK font comes first so their punctuation and
quotation marks take CJK forms.

No Flet here: the shell turns `family_chain()` into the theme, the build script reads the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.i18n.catalog import LANGUAGES, SCRIPTS


@dataclass(frozen=True)
class Font:
    family: str  # the name the app registers it under (page.fonts)
    file: str  # path inside the assets folder


LATIN = Font("SSOC Latin", "fonts/NotoSans-Latin.ttf")
HANGUL = Font("SSOC Hangul", "fonts/NotoSansCJKkr-Hangul.otf")
SYMBOLS = Font("SSOC Symbols", "fonts/NotoSansSymbols2.ttf")  # ✓ ✗ in the lessons

# The full font of each script that is neither Latin nor Hangul.
SCRIPT_FONTS: dict[str, Font] = {
    "Cyrl": Font("SSOC Cyrillic", "fonts/NotoSans-Cyrillic.ttf"),
    "Hans": Font("SSOC Han SC", "fonts/NotoSansCJKsc-Hans.otf"),
    "Jpan": Font("SSOC Japanese", "fonts/NotoSansCJKjp-Jpan.otf"),
    "Thai": Font("SSOC Thai", "fonts/NotoSansThai.ttf"),
    "Laoo": Font("SSOC Lao", "fonts/NotoSansLao.ttf"),
    "Khmr": Font("SSOC Khmer", "fonts/NotoSansKhmer.ttf"),
    "Mymr": Font("SSOC Myanmar", "fonts/NotoSansMyanmar.ttf"),
    "Deva": Font("SSOC Devanagari", "fonts/NotoSansDevanagari.ttf"),
    "Beng": Font("SSOC Bengali", "fonts/NotoSansBengali.ttf"),
    "Arab": Font("SSOC Urdu", "fonts/NotoNastaliqUrdu.ttf"),
}

# Scripts whose own font leads the chain (CJK punctuation and quotes in CJK forms).
CJK_FIRST = frozenset({"Hans", "Jpan"})


def _suffix(script: str) -> str:
    return Path(SCRIPT_FONTS[script].file).suffix


# Just the glyphs of the language names written in each script (a few kilobytes each).
NAME_FONTS: dict[str, Font] = {
    script: Font(f"SSOC Names {script}", f"fonts/names/{script}{_suffix(script)}")
    for script in SCRIPT_FONTS
}


def names_in(script: str) -> str:
    """The text a names font must draw: every language name written in `script`."""
    return "".join(name for lang, name in LANGUAGES.items() if SCRIPTS[lang] == script)


def fonts_for(lang: str) -> list[Font]:
    """The fonts `lang` loads, in fallback order (the first is the theme's font family)."""
    script = SCRIPTS[lang]
    own = SCRIPT_FONTS.get(script)
    chain = [LATIN, HANGUL, SYMBOLS]
    if own is not None:
        chain.insert(0 if script in CJK_FIRST else 1, own)
    # Also its own script's names font: it shows the language list right while the full font
    # of a newly chosen language is still on its way.
    names = [font for other, font in NAME_FONTS.items() if names_in(other)]
    return chain + names


def family_chain(lang: str) -> tuple[str, list[str]]:
    """The theme's font family and its ordered fallbacks for `lang`."""
    families = [font.family for font in fonts_for(lang)]
    return families[0], families[1:]


def page_fonts(lang: str) -> dict[str, str]:
    """page.fonts for `lang`: family -> file in the assets folder."""
    return {font.family: font.file for font in fonts_for(lang)}


def payload(lang: str, assets_dir: Path) -> int:
    """Bytes of font a device loads for `lang`."""
    return sum((assets_dir / font.file).stat().st_size for font in fonts_for(lang))
