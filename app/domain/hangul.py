"""Hangul by Unicode arithmetic: syllables ⇄ jamo, compatibility ⇄ conjoining jamo, batchim.

A precomposed syllable (U+AC00..U+D7A3) is 0xAC00 + (initial * 21 + medial) * 28 + final.
Jamo come in two Unicode blocks: compatibility jamo (U+3131..U+3163, what a keyboard shows
for a letter standing alone, one code point per letter whatever its position) and conjoining
jamo (U+1100.., separate code points for initial, medial and final, which NFC composes into
syllables). Everything this module returns spells jamo as compatibility jamo.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
SYLLABLE_COUNT = SYLLABLE_LAST - SYLLABLE_FIRST + 1  # 19 * 21 * 28 = 11,172

# In Unicode's order, which the syllable arithmetic depends on.
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS: tuple[str, ...] = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

# The conjoining blocks: initials U+1100.., medials U+1161.., finals U+11A8.. (final 0 is none).
_L_FIRST, _V_FIRST, _T_FIRST = 0x1100, 0x1161, 0x11A7

# A double batchim and its two letters (the second is what moves on before a vowel).
FINAL_PARTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "ㄳ": ("ㄱ", "ㅅ"),
        "ㄵ": ("ㄴ", "ㅈ"),
        "ㄶ": ("ㄴ", "ㅎ"),
        "ㄺ": ("ㄹ", "ㄱ"),
        "ㄻ": ("ㄹ", "ㅁ"),
        "ㄼ": ("ㄹ", "ㅂ"),
        "ㄽ": ("ㄹ", "ㅅ"),
        "ㄾ": ("ㄹ", "ㅌ"),
        "ㄿ": ("ㄹ", "ㅍ"),
        "ㅀ": ("ㄹ", "ㅎ"),
        "ㅄ": ("ㅂ", "ㅅ"),
    }
)


class Syllable(NamedTuple):
    """The three jamo of a syllable, as compatibility jamo; `final` is "" without batchim."""

    initial: str
    medial: str
    final: str = ""


def _conjoining_to_compatibility() -> dict[int, str]:
    table = {_L_FIRST + i: jamo for i, jamo in enumerate(INITIALS)}
    table |= {_V_FIRST + i: jamo for i, jamo in enumerate(MEDIALS)}
    table |= {_T_FIRST + i: jamo for i, jamo in enumerate(FINALS) if jamo}
    return table


_TO_COMPATIBILITY = _conjoining_to_compatibility()
# Half-width jamo (U+FFA1..U+FFDC) come from some legacy keyboards. NFKC would take them to
# conjoining jamo, two of them archaic initials, so go by name to the compatibility letter.
_TO_COMPATIBILITY |= {
    code: unicodedata.lookup(unicodedata.name(chr(code)).removeprefix("HALFWIDTH "))
    for code in range(0xFFA1, 0xFFDD)
    if unicodedata.name(chr(code), "").startswith("HALFWIDTH HANGUL LETTER ")
}
# Sets, not the strings: `"" in INITIALS` is True and so is `"ㄱㄲ" in INITIALS`.
_INITIAL_SET, _MEDIAL_SET = frozenset(INITIALS), frozenset(MEDIALS)
_COMPATIBILITY = _INITIAL_SET | _MEDIAL_SET | frozenset(f for f in FINALS if f)


def is_syllable(char: str) -> bool:
    """True if `char` is one precomposed Hangul syllable (가..힣)."""
    return len(char) == 1 and SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def is_jamo(char: str) -> bool:
    """True if `char` is one modern jamo: compatibility, conjoining or half-width."""
    return len(char) == 1 and (char in _COMPATIBILITY or ord(char) in _TO_COMPATIBILITY)


def to_compatibility(text: str) -> str:
    """`text` with every conjoining or half-width jamo replaced by its compatibility jamo."""
    return text.translate(_TO_COMPATIBILITY)


def _compatible(jamo: str) -> str:
    return to_compatibility(jamo) if len(jamo) == 1 else jamo


def decompose(syllable: str) -> Syllable:
    """The initial, medial and final jamo of one precomposed syllable."""
    if not is_syllable(syllable):
        raise ValueError(f"not a Hangul syllable: {syllable!r}")
    index = ord(syllable) - SYLLABLE_FIRST
    return Syllable(INITIALS[index // (21 * 28)], MEDIALS[index // 28 % 21], FINALS[index % 28])


def compose(initial: str, medial: str, final: str = "") -> str:
    """The syllable of these jamo (compatibility or conjoining); ValueError if none is."""
    initial, medial, final = _compatible(initial), _compatible(medial), _compatible(final)
    if initial not in _INITIAL_SET or medial not in _MEDIAL_SET or final not in FINALS:
        raise ValueError(f"no syllable is {initial!r} + {medial!r} + {final!r}")
    index = (INITIALS.index(initial) * 21 + MEDIALS.index(medial)) * 28 + FINALS.index(final)
    return chr(SYLLABLE_FIRST + index)


def to_conjoining(syllable: str) -> str:
    """One syllable as its conjoining jamo sequence (the same as its NFD)."""
    if not is_syllable(syllable):
        raise ValueError(f"not a Hangul syllable: {syllable!r}")
    index = ord(syllable) - SYLLABLE_FIRST
    final = index % 28
    head = chr(_L_FIRST + index // (21 * 28)) + chr(_V_FIRST + index // 28 % 21)
    return head + (chr(_T_FIRST + final) if final else "")


def has_batchim(word: str) -> bool:
    """True if the last syllable of `word` ends in a consonant (받침), as 학생 does and 저 not."""
    if not word or not is_syllable(word[-1]):
        raise ValueError(f"does not end in a Hangul syllable: {word!r}")
    return (ord(word[-1]) - SYLLABLE_FIRST) % 28 != 0


def final_of(syllable: str) -> str:
    """The final consonant of one syllable, "" if it has none."""
    return decompose(syllable).final


def with_final(syllable: str, final: str) -> str:
    """`syllable` with its final consonant replaced (가 + ㅂ → 갑; "" removes it)."""
    initial, medial, _ = decompose(syllable)
    return compose(initial, medial, final)


def with_medial(syllable: str, medial: str) -> str:
    """`syllable` with its vowel replaced (주 + ㅝ → 줘)."""
    initial, _, final = decompose(syllable)
    return compose(initial, medial, final)


def jamo(text: str) -> str:
    """`text` spelled out in compatibility jamo (한국 → ㅎㅏㄴㄱㅜㄱ); other characters stay."""
    letters: list[str] = []
    for char in to_compatibility(text):
        letters.extend(decompose(char) if is_syllable(char) else char)
    return "".join(letters)


def jamo_distance(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute one jamo) between two texts spelled in jamo."""
    x, y = jamo(a), jamo(b)
    previous = list(range(len(y) + 1))
    for i, left in enumerate(x, 1):
        current = [i]
        for j, right in enumerate(y, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            )
        previous = current
    return previous[-1]


def _link(final: str) -> tuple[str, str]:
    """How a final before a silent ㅇ is said: (what stays, what moves on)."""
    if final == "ㅎ":
        return ("", "")  # ㅎ falls silent before a vowel: 좋아요 is said 조아요
    if final in ("ㄶ", "ㅀ"):
        return ("", FINAL_PARTS[final][0])  # 많아요 → 마나요, 싫어요 → 시러요
    if final in FINAL_PARTS:
        return FINAL_PARTS[final]  # 읽어요 → 일거요: the second letter moves on
    return ("", final)


def resyllabify(text: str) -> str:
    """`text` as it is said (연음): a batchim before a ㅇ-initial syllable moves onto it."""
    chars = list(text)
    for i in range(len(chars) - 1):
        here, after = chars[i], chars[i + 1]
        if not (is_syllable(here) and is_syllable(after)):
            continue
        final, (initial, medial, next_final) = final_of(here), decompose(after)
        # A final ㅇ is a sound of its own and stays put (강아지).
        if not final or final == "ㅇ" or initial != "ㅇ":
            continue
        stays, moves = _link(final)
        chars[i] = with_final(here, stays)
        if moves:
            chars[i + 1] = compose(moves, medial, next_final)
    return "".join(chars)
