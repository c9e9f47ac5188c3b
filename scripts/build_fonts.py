"""Build the app font: a subset of Noto Sans CJK SC covering every script the app shows.

One font serves all UI languages so Flutter never asks a CDN for a fallback font:
Latin (with Vietnamese), all 11,172 Hangul syllables and the jamo, CJK punctuation and the
6,763 Hanzi of GB 2312 (what Simplified Chinese text uses). The SC variant is chosen so
Chinese learners see Chinese glyph forms; Hangul and Latin are the same in every variant.

Source: Debian's fonts-noto-cjk (SIL Open Font License 1.1). Rebuild with
`python scripts/build_fonts.py` after `apt-get install fonts-noto-cjk`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc")
SC_INDEX = 2  # order inside the collection: JP, KR, SC, TC, HK
OUT = Path(__file__).resolve().parent.parent / "assets" / "fonts"

RANGES = [
    (0x0020, 0x024F),  # Basic Latin .. Latin Extended-B
    (0x0300, 0x036F),  # combining marks (Vietnamese tone marks)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (precomposed Vietnamese)
    (0x2000, 0x206F),  # general punctuation
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed numbers
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x27BF),  # symbols, dingbats (✓ ✗)
    (0x1100, 0x11FF),  # Hangul jamo
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0xA960, 0xA97F),  # Hangul jamo extended-A
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul jamo extended-B
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]


def gb2312_hanzi() -> set[int]:
    """Every Hanzi of GB 2312 (rows 16-87)."""
    chars: set[int] = set()
    for row in range(0xB0, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([row, col]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def build(weight: str) -> Path:
    font = TTCollection(str(SOURCE).format(weight=weight)).fonts[SC_INDEX]
    unicodes = gb2312_hanzi()
    for lo, hi in RANGES:
        unicodes.update(range(lo, hi + 1))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    out = OUT / f"NotoSansCJKsc-{weight}-subset.otf"
    font.save(str(out))
    return out


if __name__ == "__main__":
    for weight in sys.argv[1:] or ["Regular"]:
        path = build(weight)
        print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
