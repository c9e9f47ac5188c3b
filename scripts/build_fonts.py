"""Build the app's fonts (assets/fonts/) from Debian's Noto fonts: `make fonts`.

Every script of the 21 interface languages must render with no network, also in `--web` mode,
where Flutter would otherwise fetch fallback fonts from Google's CDN. So the app bundles
subsets of Noto (SIL Open Font License 1.1, OFL.txt), one file per script, and loads only the
ones a language needs (app/ui/fonts.py says which; the table there names the files built here):

- Latin: Noto Sans with Vietnamese, Uzbek (ʻ), Turkmen, Filipino letters, punctuation,
  currency (₩) and the bidi controls;
- Hangul: Noto Sans CJK KR, all 11,172 syllables and the jamo (a learner may type any of them),
  Korean punctuation, the symbols the lessons use (① → ≈) and the few Han characters every
  learner reads in them (人 己 in the Hangul course);
- Symbols: Noto Sans Symbols 2, dingbats and shapes no CJK font has (✗);
- Han: Noto Sans CJK SC with the 6,763 Hanzi of GB 2312 (what Simplified Chinese text uses),
  plus any other Hanzi in the Chinese lessons and catalog;
- Japanese: Noto Sans CJK JP with kana and the 6,355 kanji of JIS X 0208, plus any other
  character in the Japanese lessons and catalog;
- Cyrillic (Russian, Tajik ғ ӣ қ ӯ ҳ ҷ, Mongolian ө ү), Thai, Lao, Khmer, Myanmar,
  Devanagari (Hindi, Nepali), Bengali: the script's block of the Noto Sans font;
- Urdu: Noto Nastaliq Urdu, the style Urdu is read in (see README, "Fonts");
- names/<script>: just the glyphs of the language names in that script, for the language list.

Shaping rules (GSUB/GPOS) are kept whole, so conjuncts, stacked Khmer and Myanmar consonants and
Nastaliq joining still work. Hinting is dropped: phones, browsers and macOS ignore it, and it
doubles the size. Output is byte-for-byte reproducible from the same Debian packages
(fonts-noto-core, fonts-noto-cjk), fontTools version and content (the three CJK subsets add the
characters the lessons and catalogs use: rebuild them after adding Chinese or Japanese text;
tests/i18n/test_fonts.py fails until then):

    python scripts/build_fonts.py            # build everything, print the payload per language
    python scripts/build_fonts.py --check    # exit 1 if a committed font differs from a rebuild
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n.catalog import LANGUAGES, catalog_path  # noqa: E402
from app.paths import LESSONS_DIR, LOCALES_DIR  # noqa: E402
from app.ui.fonts import (  # noqa: E402
    HANGUL,
    LATIN,
    NAME_FONTS,
    SCRIPT_FONTS,
    SYMBOLS,
    Font,
    fonts_for,
    names_in,
    payload,
)

NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_INDEX = {"JP": 0, "KR": 1, "SC": 2}  # order inside the collection: JP, KR, SC, TC, HK
ASSETS = ROOT / "assets"

Ranges = list[tuple[int, int]]

LATIN_RANGES: Ranges = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 .. Latin Extended-B (Turkmen ň ş ž ý, Filipino ñ)
    (0x0250, 0x02FF),  # IPA and spacing modifiers (Uzbek oʻ gʻ use U+02BB)
    (0x0300, 0x036F),  # combining marks (Vietnamese tone marks)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (precomposed Vietnamese)
    (0x200B, 0x200B),  # zero-width space (ZWJ/ZWNJ stay with the script fonts that shape them)
    (0x200E, 0x206F),  # LRM/RLM, dashes, quotes, …, bidi embeddings and isolates (LRI … PDI)
    (0x20A0, 0x20CF),  # currency (₩)
    (0x2100, 0x218F),  # letterlike symbols, number forms (№ ℃ ½)
    (0x2200, 0x22FF),  # mathematical operators (− ×; Noto Sans has a few)
]
SYMBOL_RANGES: Ranges = [
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats (✓ ✗)
]
CYRILLIC_RANGES: Ranges = [
    (0x0400, 0x052F),  # Cyrillic, Cyrillic Supplement
    (0x1C80, 0x1C8F),  # Cyrillic Extended-C
    (0x2DE0, 0x2DFF),  # Cyrillic Extended-A
    (0xA640, 0xA69F),  # Cyrillic Extended-B
]
HANGUL_RANGES: Ranges = [
    (0x1100, 0x11FF),  # Hangul jamo
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ)
    (0x2190, 0x21FF),  # arrows (→ ↔ ⇧)
    (0x2200, 0x22FF),  # mathematical operators (≈)
    (0x2460, 0x24FF),  # enclosed numbers (① ②)
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x27BF),  # symbols, dingbats (✓ ✗)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x3200, 0x32FF),  # enclosed CJK letters (㈜)
    (0xA960, 0xA97F),  # Hangul jamo extended-A
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul jamo extended-B
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]
CJK_PUNCTUATION: Ranges = [
    (0x2010, 0x2027),  # dashes, quotes, … in CJK widths (the CJK font leads for zh and ja)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]
KANA: Ranges = [(0x3040, 0x30FF), (0x31F0, 0x31FF)]
# What every complex-script font keeps besides its block: joiners, dotted circle, dandas,
# variation selectors.
SHAPING: Ranges = [(0x200B, 0x200D), (0x25CC, 0x25CC), (0xFE00, 0xFE0F)]
DANDA: Ranges = [(0x0964, 0x0965)]


@dataclass(frozen=True)
class Source:
    path: Path
    index: int | None = None  # inside a .ttc collection
    ranges: tuple[tuple[int, int], ...] = ()
    extra: str = ""  # a named set of characters added to the ranges

    def open(self) -> TTFont:
        if self.index is None:
            return TTFont(str(self.path), recalcTimestamp=False)
        return TTCollection(str(self.path), recalcTimestamp=False).fonts[self.index]


def gb2312_hanzi() -> set[int]:
    """Every Hanzi of GB 2312 (rows 16-87)."""
    return _double_byte("gb2312", range(0xB0, 0xF8))


def jis_kanji() -> set[int]:
    """Every kanji of JIS X 0208 (levels 1 and 2, rows 16-84)."""
    return _double_byte("euc_jp", range(0xB0, 0xF5))


def _double_byte(codec: str, rows: Iterable[int]) -> set[int]:
    chars: set[int] = set()
    for row in rows:
        for col in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([row, col]).decode(codec)))
            except (UnicodeDecodeError, TypeError):
                continue
    return chars


def noto(name: str, *ranges: Ranges) -> Source:
    return Source(NOTO / f"{name}-Regular.ttf", None, tuple(r for rs in ranges for r in rs))


SOURCES: dict[Font, Source] = {
    LATIN: noto("NotoSans", LATIN_RANGES),
    HANGUL: Source(CJK, CJK_INDEX["KR"], tuple(HANGUL_RANGES), "hanja"),
    SYMBOLS: noto("NotoSansSymbols2", SYMBOL_RANGES),
    SCRIPT_FONTS["Cyrl"]: noto("NotoSans", CYRILLIC_RANGES),
    SCRIPT_FONTS["Hans"]: Source(CJK, CJK_INDEX["SC"], tuple(CJK_PUNCTUATION), "gb2312"),
    SCRIPT_FONTS["Jpan"]: Source(CJK, CJK_INDEX["JP"], tuple(CJK_PUNCTUATION + KANA), "jis"),
    SCRIPT_FONTS["Thai"]: noto("NotoSansThai", [(0x0E00, 0x0E7F)], SHAPING),
    SCRIPT_FONTS["Laoo"]: noto("NotoSansLao", [(0x0E80, 0x0EFF)], SHAPING),
    SCRIPT_FONTS["Khmr"]: noto("NotoSansKhmer", [(0x1780, 0x17FF), (0x19E0, 0x19FF)], SHAPING),
    SCRIPT_FONTS["Mymr"]: noto(
        "NotoSansMyanmar", [(0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)], SHAPING
    ),
    SCRIPT_FONTS["Deva"]: noto(
        "NotoSansDevanagari", [(0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)], SHAPING
    ),
    SCRIPT_FONTS["Beng"]: noto("NotoSansBengali", [(0x0980, 0x09FF)], DANDA, SHAPING),
    SCRIPT_FONTS["Arab"]: Source(
        NOTO / "NotoNastaliqUrdu-Regular.ttf",
        None,
        # Arabic, Arabic Supplement, presentation forms (copied text sometimes has them),
        # LRM/RLM (bidi in Urdu text), joiners and dotted circle.
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), *SHAPING),
    ),
}


# -- what the content needs beyond the standard sets ------------------------------------------

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: six times faster
CJK_IDEOGRAPHS: Ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)]


@cache
def lesson_texts(lessons: Path = LESSONS_DIR) -> list[tuple[str | None, str]]:
    """(language tag or None, text) of every string in the lessons: `ko:`/`vi:`… keys tag
    their text; in a translation file (i18n/<lang>/, `lang:` at the top) `text:` is in `lang`."""
    found: list[tuple[str | None, str]] = []

    def walk(node: object, tag: str | None, file_lang: str | None) -> None:
        if isinstance(node, dict):
            if file_lang is None and node.get("lang") in LANGUAGES:
                file_lang = str(node["lang"])
            for key, value in node.items():
                here = str(key) if str(key) in LANGUAGES else tag
                walk(value, file_lang if key == "text" and file_lang else here, file_lang)
        elif isinstance(node, list):
            for item in node:
                walk(item, tag, file_lang)
        elif isinstance(node, str):
            found.append((tag, node))

    for path in sorted(lessons.rglob("*.yaml")):
        walk(yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER), None, None)
    return found


def catalog_text(lang: str) -> str:
    """Every translation in the interface catalog of `lang` ("" before it exists)."""
    path = catalog_path(lang, LOCALES_DIR)
    if not path.is_file():
        return ""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return "".join(
        text
        for message in catalog
        if message.id
        for text in ([message.string] if isinstance(message.string, str) else message.string)
        if text
    )


def content_chars(lang: str | None) -> set[int]:
    """Characters shown to learners of `lang` (lessons and catalog); None: to every learner
    (Korean and untagged lesson text, and the Latin-script translations)."""
    if lang is None:
        own = {"zh-Hans", "ja"}  # the only texts whose Han characters have their own font
        texts = [text for tag, text in lesson_texts() if tag not in own]
    else:
        texts = [text for tag, text in lesson_texts() if tag == lang] + [catalog_text(lang)]
    return {ord(c) for text in texts for c in text}


def han_for_everyone() -> set[int]:
    """Han characters in lessons every learner reads (the Hangul lessons compare ㅅ with 人)."""
    han = {c for lo, hi in CJK_IDEOGRAPHS for c in range(lo, hi + 1)}
    return content_chars(None) & han


EXTRA = {
    "gb2312": lambda: gb2312_hanzi() | content_chars("zh-Hans"),
    "jis": lambda: jis_kanji() | content_chars("ja"),
    "hanja": han_for_everyone,
}


def unicodes(source: Source) -> set[int]:
    chars = {c for lo, hi in source.ranges for c in range(lo, hi + 1)}
    if source.extra:
        chars |= EXTRA[source.extra]()
    return chars


def subset_font(source: Source, chars: set[int], out: Path) -> Path:
    font = source.open()
    options = subset.Options()
    options.layout_features = ["*"]  # every shaping rule of the glyphs kept
    options.name_IDs = ["*"]  # keeps copyright and licence in the name table
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(chars & set(font.getBestCmap())))
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return out


def build(assets: Path = ASSETS) -> list[Path]:
    """Every font the app loads, into assets/fonts (and assets/fonts/names)."""
    built = []
    for font, source in SOURCES.items():
        built.append(subset_font(source, unicodes(source), assets / font.file))
    for script, font in NAME_FONTS.items():
        text = names_in(script)
        if text:
            source = SOURCES[SCRIPT_FONTS[script]]
            built.append(subset_font(source, {ord(c) for c in text}, assets / font.file))
    return built


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check() -> list[str]:
    """Fonts whose committed file differs from a fresh build (empty: all reproduced)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        return [
            str(path.relative_to(fresh))
            for path in build(fresh)
            if not (ASSETS / path.relative_to(fresh)).is_file()
            or sha256(path) != sha256(ASSETS / path.relative_to(fresh))
        ]


def report(assets: Path = ASSETS) -> str:
    """A Markdown table: the fonts each language loads and their size."""
    rows = ["| language | fonts loaded | size |", "|---|---|---|"]
    for lang, name in LANGUAGES.items():
        files = ", ".join(Path(f.file).name for f in fonts_for(lang) if "/names/" not in f.file)
        rows.append(f"| {lang} {name} | {files} + names | {payload(lang, assets) / 1e6:.2f} MB |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare a rebuild with assets/")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        for name in stale:
            print(f"differs from a rebuild: {name}")
        return 1 if stale else 0
    for path in build():
        print(f"{path.relative_to(ASSETS)}: {path.stat().st_size / 1e3:,.0f} kB")
    print()
    print(report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
