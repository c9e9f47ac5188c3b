"""Composing Hangul from 2-beolsik (두벌식) keystrokes, for an on-screen Korean keyboard.

The composing syllable is kept as the sequence of jamo typed into it, so backspace can
take back exactly one keystroke (값 → 갑 → 가 → ㄱ) and the syllable is recomputed from
that sequence. Everything shown is NFC: precomposed syllables (U+AC00..U+D7A3) and,
for a letter standing alone, a compatibility jamo (U+3131..U+3163).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

# The Unicode tables live in hangul.py; re-exported here for the keyboard's callers.
from app.domain.hangul import (
    FINAL_PARTS,
    FINALS,
    INITIALS,
    MEDIALS,
    SYLLABLE_FIRST,
    SYLLABLE_LAST,
)

COMPOUND_VOWELS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("ㅗ", "ㅏ"): "ㅘ",
        ("ㅗ", "ㅐ"): "ㅙ",
        ("ㅗ", "ㅣ"): "ㅚ",
        ("ㅜ", "ㅓ"): "ㅝ",
        ("ㅜ", "ㅔ"): "ㅞ",
        ("ㅜ", "ㅣ"): "ㅟ",
        ("ㅡ", "ㅣ"): "ㅢ",
    }
)
# Double batchim from their two letters: the inverse of hangul.FINAL_PARTS.
COMPOUND_FINALS: Mapping[tuple[str, str], str] = MappingProxyType(
    {parts: whole for whole, parts in FINAL_PARTS.items()}
)
# A compound letter has no key of its own: it is typed as its two parts.
_PARTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {whole: parts for parts, whole in (*COMPOUND_VOWELS.items(), *COMPOUND_FINALS.items())}
)

# The letters that have a key: every initial consonant and the 14 simple vowels.
CONSONANT_KEYS = frozenset(INITIALS)
VOWEL_KEYS = frozenset(MEDIALS) - frozenset(COMPOUND_VOWELS.values())
_FINAL_SINGLES = frozenset(f for f in FINALS if f and f not in _PARTS)


@dataclass(frozen=True)
class Key:
    """One key of the on-screen keyboard: its Latin letter, its jamo, and its jamo with Shift."""

    latin: str
    jamo: str
    shifted: str | None = None

    def jamo_for(self, shift: bool) -> str:
        """The jamo this key types with or without Shift (keys without a Shift jamo repeat it)."""
        return self.shifted if shift and self.shifted is not None else self.jamo

    @property
    def shifted_latin(self) -> str:
        """The Latin key that types the shifted jamo (the upper-case letter)."""
        return self.latin.upper()


def _row(letters: str, jamo: str, shifted: Mapping[str, str]) -> tuple[Key, ...]:
    return tuple(Key(latin, j, shifted.get(latin)) for latin, j in zip(letters, jamo, strict=True))


_SHIFTED = {"q": "ㅃ", "w": "ㅉ", "e": "ㄸ", "r": "ㄲ", "t": "ㅆ", "o": "ㅒ", "p": "ㅖ"}

# The standard KS X 5002 layout, top to bottom, as the UI draws it.
ROWS: tuple[tuple[Key, ...], ...] = (
    _row("qwertyuiop", "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", _SHIFTED),
    _row("asdfghjkl", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", _SHIFTED),
    _row("zxcvbnm", "ㅋㅌㅊㅍㅠㅜㅡ", _SHIFTED),
)

# Latin key → jamo: the 26 lower-case letters and the 7 upper-case ones that Shift changes.
LAYOUT: Mapping[str, str] = MappingProxyType(
    {
        **{key.latin: key.jamo for row in ROWS for key in row},
        **{key.shifted_latin: key.shifted for row in ROWS for key in row if key.shifted},
    }
)
_KEY_FOR_JAMO: Mapping[str, str] = MappingProxyType({j: latin for latin, j in LAYOUT.items()})


def key_jamo(text: str) -> tuple[str, ...]:
    """The jamo keystrokes that type `text`; characters that are not Hangul stay as they are."""
    strokes: list[str] = []
    for char in text:
        code = ord(char)
        if SYLLABLE_FIRST <= code <= SYLLABLE_LAST:
            index = code - SYLLABLE_FIRST
            letters: Iterable[str] = (
                INITIALS[index // (21 * 28)],
                MEDIALS[index // 28 % 21],
                FINALS[index % 28],
            )
        else:
            letters = (char,)
        for letter in letters:
            strokes.extend(_PARTS.get(letter, (letter,)) if letter else ())
    return tuple(strokes)


def keystrokes(text: str) -> str:
    """The Latin keys that type `text` on a 2-beolsik keyboard (e.g. 닭 → "ekfr")."""
    return "".join(_KEY_FOR_JAMO.get(stroke, stroke) for stroke in key_jamo(text))


@dataclass(frozen=True)
class _Block:
    """The syllable being composed, split into its slots (a slot may hold two typed jamo)."""

    initial: str
    vowels: tuple[str, ...]
    finals: tuple[str, ...]

    @property
    def medial(self) -> str:
        return _combine(self.vowels, COMPOUND_VOWELS)

    @property
    def final(self) -> str:
        return _combine(self.finals, COMPOUND_FINALS)

    def text(self) -> str:
        if not self.vowels:
            return self.initial
        if not self.initial:
            return self.medial
        index = (INITIALS.index(self.initial) * 21 + MEDIALS.index(self.medial)) * 28
        return chr(SYLLABLE_FIRST + index + FINALS.index(self.final))


def _combine(parts: tuple[str, ...], table: Mapping[tuple[str, str], str]) -> str:
    if len(parts) == 2:
        return table[(parts[0], parts[1])]
    return parts[0] if parts else ""


def _block(pending: tuple[str, ...]) -> _Block:
    """Parse the typed jamo of the composing syllable; raise ValueError if no syllable fits."""
    rest = pending
    initial = ""
    if rest and rest[0] in CONSONANT_KEYS:
        initial, rest = rest[0], rest[1:]
    count = 0
    while count < len(rest) and rest[count] in VOWEL_KEYS:
        count += 1
    vowels, finals = rest[:count], rest[count:]
    valid = (
        len(vowels) <= 2
        and (len(vowels) < 2 or vowels in COMPOUND_VOWELS)
        and all(f in _FINAL_SINGLES for f in finals)
        and (len(finals) < 2 or finals in COMPOUND_FINALS)
        and len(finals) <= 2
        and (not finals or (initial and vowels))
    )
    if not valid:
        raise ValueError(f"no syllable is typed as {''.join(pending)!r}")
    return _Block(initial, vowels, finals)


@dataclass(frozen=True)
class Composer:
    """Text typed on the on-screen keyboard: what is committed plus the syllable being composed.

    `pending` holds the jamo typed into the composing syllable, in order.
    """

    committed: str = ""
    pending: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _block(self.pending)  # fail at construction, not at the next keystroke
        if not unicodedata.is_normalized("NFC", self.committed):
            # Frozen, so the one sanctioned way to store the normalised form.
            object.__setattr__(self, "committed", unicodedata.normalize("NFC", self.committed))

    @property
    def composing(self) -> str:
        """The syllable or lone letter being composed (the UI underlines it); "" if none."""
        return _block(self.pending).text()

    @property
    def text(self) -> str:
        """Everything typed so far, as the learner sees it (NFC)."""
        return self.committed + self.composing

    def type(self, jamo: str) -> Composer:
        """Type one jamo; a compound letter (ㅘ, ㄳ) is typed as its two parts, other text as is."""
        if jamo in _PARTS:
            first, second = _PARTS[jamo]
            return self.type(first).type(second)
        if jamo in CONSONANT_KEYS:
            return self._consonant(jamo)
        if jamo in VOWEL_KEYS:
            return self._vowel(jamo)
        return self.insert(jamo)

    def press(self, key: str) -> Composer:
        """Press a Latin key of the 2-beolsik layout; Space, punctuation and digits go in as is."""
        if key == " ":
            return self.space()
        # Shift+A types ㅁ on a real keyboard, so an upper-case key without a Shift jamo falls back.
        jamo = LAYOUT.get(key) or LAYOUT.get(key.lower())
        return self.type(jamo) if jamo is not None else self.insert(key)

    def press_all(self, keys: str) -> Composer:
        """Press each key of `keys` in turn."""
        composer = self
        for key in keys:
            composer = composer.press(key)
        return composer

    def space(self) -> Composer:
        """Finish the syllable being composed and type a space."""
        return self.insert(" ")

    def insert(self, text: str) -> Composer:
        """Finish the syllable being composed and add `text` after it unchanged."""
        return Composer(self.committed + self.composing + text)

    def commit(self) -> Composer:
        """Finish the syllable being composed (e.g. when the answer is submitted)."""
        return Composer(self.text)

    def backspace(self) -> Composer:
        """Take back the composing syllable's last jamo, or else the last committed character."""
        if self.pending:
            return Composer(self.committed, self.pending[:-1])
        return Composer(self.committed[:-1])

    def _consonant(self, consonant: str) -> Composer:
        block = _block(self.pending)
        if block.initial and block.vowels:
            if not block.finals and consonant in _FINAL_SINGLES:
                return Composer(self.committed, (*self.pending, consonant))
            if len(block.finals) == 1 and (block.finals[0], consonant) in COMPOUND_FINALS:
                return Composer(self.committed, (*self.pending, consonant))
        # ㄸ ㅃ ㅉ cannot close a syllable, and a consonant after a lone letter starts anew.
        return Composer(self.committed + self.composing, (consonant,))

    def _vowel(self, vowel: str) -> Composer:
        block = _block(self.pending)
        if block.finals:
            # The last final becomes the next syllable's initial: 닭 + ㅏ → 달가.
            head = _block(self.pending[:-1]).text()
            return Composer(self.committed + head, (self.pending[-1], vowel))
        if block.initial and not block.vowels:
            return Composer(self.committed, (*self.pending, vowel))
        if len(block.vowels) == 1 and (block.vowels[0], vowel) in COMPOUND_VOWELS:
            return Composer(self.committed, (*self.pending, vowel))
        return Composer(self.committed + self.composing, (vowel,))
