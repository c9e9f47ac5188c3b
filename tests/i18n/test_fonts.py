"""No tofu: every character the app can show a learner is in a font loaded for her language.

Flutter draws a character with the first font of [family, *fallbacks] that has it; a character in
none of them is a box (or, on the web, a request to a font CDN). So for each interface language
the union of the cmaps of `fonts_for(lang)` must cover its catalog, its Babel-formatted numbers
and dates, every language's own name (Settings lists them all), and the lessons' Korean text and
translations.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from app.i18n.catalog import LANGUAGES, SCRIPTS, catalog_path, load_translator
from app.paths import ASSETS_DIR
from app.ui.fonts import (
    HANGUL,
    LATIN,
    NAME_FONTS,
    SCRIPT_FONTS,
    Font,
    family_chain,
    fonts_for,
    names_in,
    page_fonts,
    payload,
)
from scripts import build_fonts

# A few words in each script, with the marks and clusters that need shaping rules.
SAMPLES = {
    "Latn": "Tiếng Việt ầ ẫ ự Oʻzbekcha gʻ Türkmençe ňžýş Filipino ñ — “₩10,000” …",
    "Hang": "한국어 똠방각하 뷁 ㄱㄲㅢ 각 ✓ ✗ ① → （）「」",
    "Hans": "简体中文 学习韩国语，你好！“语言”",
    "Jpan": "日本語 ひらがな カタカナ 漢字。「韓国語」",
    "Thai": "ภาษาไทย สวัสดีครับ กำลังเรียน",
    "Laoo": "ພາສາລາວ ສະບາຍດີ",
    "Khmr": "ភាសាខ្មែរ សួស្តី ស្ត្រី",
    "Mymr": "မြန်မာဘာသာ မင်္ဂလာပါ ၁၂၃",
    "Deva": "हिन्दी नेपाली क्षत्रिय श्री । ॥ १२३",
    "Beng": "বাংলা ভাষা ক্ষ র‍্যাব । ১২৩",
    "Arab": "اردو زبان، کورسز؟ ۔ ۱۲۳ ہے",
    "Cyrl": "Русский Тоҷикӣ ғӣқӯҳҷ Монгол өү ё",
}


@cache
def cmap(font: Font) -> frozenset[int]:
    path = ASSETS_DIR / font.file
    assert path.is_file(), f"{font.file} is missing (make fonts)"
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def covered(lang: str) -> frozenset[int]:
    return frozenset().union(*(cmap(font) for font in fonts_for(lang)))


def tofu(text: str, lang: str) -> list[str]:
    """Characters of `text` no font of `lang` has (control characters such as \\n aside)."""
    have = covered(lang)
    return sorted(
        {
            f"U+{ord(c):04X} {unicodedata.name(c, '?')} {c!r}"
            for c in text
            if ord(c) not in have and unicodedata.category(c) != "Cc"
        }
    )


def test_every_language_has_a_script_and_its_fonts() -> None:
    assert set(SCRIPTS) == set(LANGUAGES)
    for lang, script in SCRIPTS.items():
        fonts = fonts_for(lang)
        assert LATIN in fonts and HANGUL in fonts, lang
        if script in SCRIPT_FONTS:
            assert SCRIPT_FONTS[script] in fonts, lang
        for font in fonts:
            assert (ASSETS_DIR / font.file).is_file(), font.file
        family, fallback = family_chain(lang)
        assert [family, *fallback] == list(page_fonts(lang))


def test_a_language_loads_only_its_own_script_in_full() -> None:
    assert fonts_for("en")[:2] == [LATIN, HANGUL]
    assert fonts_for("th")[:3] == [LATIN, SCRIPT_FONTS["Thai"], HANGUL]
    assert fonts_for("zh-Hans")[0] == SCRIPT_FONTS["Hans"]  # CJK punctuation in CJK forms
    for lang in ("en", "th", "ur", "ru"):
        full = [f for f in fonts_for(lang) if f in SCRIPT_FONTS.values()]
        assert len(full) == (0 if SCRIPTS[lang] == "Latn" else 1), lang
    # Korean, Latin and the names fonts are all a Latin-script learner downloads.
    assert payload("en", ASSETS_DIR) < 2_000_000


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_own_name_and_sample_text_render(lang: str) -> None:
    assert tofu(LANGUAGES[lang], lang) == []
    assert tofu(SAMPLES[SCRIPTS[lang]], lang) == []
    assert tofu(SAMPLES["Latn"] + SAMPLES["Hang"], lang) == []  # Korean always renders


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_language_name_renders_in_every_interface(lang: str) -> None:
    assert tofu("".join(LANGUAGES.values()), lang) == []


def test_all_hangul_is_there_for_what_a_learner_types() -> None:
    hangul = cmap(HANGUL)
    assert set(range(0xAC00, 0xD7A4)) <= hangul  # all 11,172 syllables
    assert set(range(0x3131, 0x3164)) <= hangul  # compatibility jamo (the on-screen keyboard)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_translated_message_renders(lang: str) -> None:
    """The real guarantee: each character of each msgstr is in a font this language loads."""
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    text = "".join(
        s
        for message in catalog
        if message.id
        for s in ([message.string] if isinstance(message.string, str) else message.string)
        if s
    )
    assert text, f"{lang}: empty catalog"
    assert tofu(text, lang) == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_locale_formatted_numbers_dates_and_language_names_render(lang: str) -> None:
    t = load_translator(lang)
    shown = [t.number(1234567.5), t.percent(0.875), t._("{n}", n=10)]
    shown += [t.date(date(2026, month, 28)) for month in range(1, 13)]
    shown += [t.language_name(code) for code in LANGUAGES]
    assert tofu("".join(shown), lang) == []


def test_lesson_text_renders_for_its_readers() -> None:
    """Korean and untagged text for everyone; a translation for learners of its language."""
    problems = set()
    for tag, text in build_fonts.lesson_texts():
        readers = list(LANGUAGES) if tag in (None, "ko") else [tag]
        for reader in readers:
            missing = tofu(text, reader)
            if missing:
                problems.add(f"{tag or 'untagged'} for {reader}: {missing} in {text[:40]!r}")
    assert sorted(problems) == []


def test_names_fonts_hold_just_the_language_names() -> None:
    for script, font in NAME_FONTS.items():
        if names_in(script):
            assert (ASSETS_DIR / font.file).stat().st_size < 20_000, font.file


SMALL = {font: source for font, source in build_fonts.SOURCES.items() if source.index is None}


@pytest.mark.parametrize("font", list(SMALL), ids=lambda f: Path(f.file).name)
def test_make_fonts_rebuilds_the_committed_font_byte_for_byte(font: Font, tmp_path: Path) -> None:
    """The build is reproducible from Debian's packages (.ci/run installs them). The three CJK
    subsets take minutes each: `python scripts/build_fonts.py --check` covers them too."""
    source = SMALL[font]
    assert source.path.is_file(), f"{source.path} missing (apt-get install fonts-noto-core)"
    built = build_fonts.subset_font(source, build_fonts.unicodes(source), tmp_path / "font")
    assert build_fonts.sha256(built) == build_fonts.sha256(ASSETS_DIR / font.file)


def test_names_fonts_are_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    for script, font in NAME_FONTS.items():
        source = build_fonts.SOURCES[SCRIPT_FONTS[script]]
        assert source.path.is_file(), f"{source.path} missing (fonts-noto-core, fonts-noto-cjk)"
        out = tmp_path / Path(font.file).name
        build_fonts.subset_font(source, {ord(c) for c in names_in(script)}, out)
        assert build_fonts.sha256(out) == build_fonts.sha256(ASSETS_DIR / font.file), font.file
