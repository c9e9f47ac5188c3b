import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.hangul_input import (
    COMPOUND_FINALS,
    COMPOUND_VOWELS,
    LAYOUT,
    ROWS,
    Composer,
    Key,
    key_jamo,
    keystrokes,
)

BACKSPACE = "\b"


def typed(keys: str) -> str:
    return Composer().press_all(keys).text


# --- the layout -------------------------------------------------------------------------------


def test_rows_are_the_three_qwerty_letter_rows() -> None:
    assert ["".join(k.latin for k in row) for row in ROWS] == ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
    assert ["".join(k.jamo for k in row) for row in ROWS] == [
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ",
        "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ",
        "ㅋㅌㅊㅍㅠㅜㅡ",
    ]


def test_shift_changes_seven_keys_and_repeats_the_others() -> None:
    shifted = {k.latin: k.shifted for row in ROWS for k in row if k.shifted}
    assert shifted == {"q": "ㅃ", "w": "ㅉ", "e": "ㄸ", "r": "ㄲ", "t": "ㅆ", "o": "ㅒ", "p": "ㅖ"}
    assert Key("a", "ㅁ").jamo_for(shift=True) == "ㅁ"
    assert ROWS[0][0].jamo_for(shift=True) == "ㅃ" and ROWS[0][0].jamo_for(shift=False) == "ㅂ"


def test_layout_maps_33_keys_to_33_different_jamo() -> None:
    assert len(LAYOUT) == 33 and len(set(LAYOUT.values())) == 33
    assert {LAYOUT[k] for k in "QWERTOP"} == set("ㅃㅉㄸㄲㅆㅒㅖ")


# --- typing words from the course -------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        pytest.param(
            "dkssudgktpdy", "안녕하세요", id="안녕하세요: batchim ㄴ moves, ㄴ+ㄴ is no cluster"
        ),
        pytest.param("dlfrdjdy", "읽어요", id="읽어요: double final ㄺ then ㅇ"),
        pytest.param("ekfr", "닭", id="닭: double final ㄺ"),
        pytest.param("rhoscksgdkdy", "괜찮아요", id="괜찮아요: ㅙ and ㄶ"),
        pytest.param("djqtdjdy", "없어요", id="없어요: double final ㅄ"),
        pytest.param("dho", "왜", id="왜: ㅗ+ㅐ"),
        pytest.param("dmltk", "의사", id="의사: ㅡ+ㅣ then ㅅ moves"),
        pytest.param("anjdPdy", "뭐예요", id="뭐예요: ㅜ+ㅓ, shifted ㅖ"),
        pytest.param("Tkf", "쌀", id="쌀: shifted ㅆ"),
        pytest.param("Qkffl", "빨리", id="빨리: ㄹ+ㄹ is no cluster"),
        pytest.param("dhlrnrdls", "외국인", id="외국인: ㅗ+ㅣ"),
        pytest.param("rkqtdl", "값이", id="값이"),
        pytest.param("rkrk", "가가", id="각 + ㅏ: the batchim moves"),
        pytest.param("ekfrk", "달가", id="닭 + ㅏ: the second half of ㄺ moves"),
        pytest.param("rkqtl", "갑시", id="값 + ㅣ: the second half of ㅄ moves"),
        pytest.param("rkTj", "가써", id="갔 + ㅓ: ㅆ is one letter and moves whole"),
        pytest.param("rkEk", "가따", id="ㄸ cannot be a final: starts a syllable"),
        pytest.param("rkQk", "가빠", id="ㅃ cannot be a final"),
        pytest.param("rkWk", "가짜", id="ㅉ cannot be a final"),
        pytest.param("rkrtr", "갃ㄱ", id="no third final"),
        pytest.param("rhkk", "과ㅏ", id="no third vowel"),
        pytest.param("rhh", "고ㅗ", id="ㅗ+ㅗ is no compound"),
        pytest.param("k", "ㅏ", id="lone vowel as compatibility jamo"),
        pytest.param("hk", "ㅘ", id="lone compound vowel"),
        pytest.param("r", "ㄱ", id="lone consonant as compatibility jamo"),
        pytest.param("rt", "ㄱㅅ", id="consonant after a lone consonant starts anew"),
        pytest.param("ks", "ㅏㄴ", id="consonant after a lone vowel starts anew"),
        pytest.param("dkssud gktpdy?", "안녕 하세요?", id="space and punctuation commit"),
        pytest.param(
            "DKSSUD", "안녕", id="Shift on a key without a Shift jamo types the plain one"
        ),
        pytest.param("dks1", "안1", id="a digit commits"),
    ],
)
def test_typing_keys(keys: str, expected: str) -> None:
    assert typed(keys) == expected


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        pytest.param("안녕하세요", "dkssudgktpdy", id="안녕하세요"),
        pytest.param("괜찮아요", "rhoscksgdkdy", id="compounds split into their keys"),
        pytest.param("뭐예요", "anjdPdy", id="shifted vowel"),
        pytest.param("빨리 ㅘ!", "Qkffl hk!", id="lone jamo, space and punctuation"),
    ],
)
def test_keystrokes_of_text(text: str, keys: str) -> None:
    assert keystrokes(text) == keys


def test_type_takes_compound_letters_as_their_two_parts() -> None:
    assert Composer().type("ㄱ").type("ㅘ").text == "과"
    assert Composer().type("ㄷ").type("ㅏ").type("ㄺ") == Composer().press_all("ekfr")
    assert Composer().type("가").text == "가"  # not a letter: goes in as text


def test_composing_is_the_part_the_ui_underlines() -> None:
    composer = Composer().press_all("dkssud")
    assert (composer.committed, composer.composing) == ("안", "녕")
    assert composer.commit() == Composer("안녕")
    assert composer.space().text == "안녕 " and composer.space().composing == ""


def test_committed_text_is_kept_in_nfc() -> None:
    assert Composer("\u1100\u1161").committed == "가"


def test_an_impossible_composing_syllable_is_refused() -> None:
    with pytest.raises(ValueError, match="no syllable"):
        Composer("", ("ㅏ", "ㄱ"))


# --- backspace --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "steps"),
    [
        pytest.param("rkqt", ["값", "갑", "가", "ㄱ", ""], id="값 one jamo at a time"),
        pytest.param("ekfr", ["닭", "달", "다", "ㄷ", ""], id="닭 one jamo at a time"),
        pytest.param("rhk", ["과", "고", "ㄱ", ""], id="compound vowel comes apart"),
        pytest.param("dkssud", ["안녕", "안녀", "안ㄴ", "안", ""], id="committed 안 goes whole"),
        pytest.param("ekfrk", ["달가", "달ㄱ", "달", ""], id="moved batchim does not go back"),
        pytest.param("dk ", ["아 ", "아", ""], id="space is a committed character"),
        pytest.param("", ["", ""], id="nothing to delete"),
    ],
)
def test_backspace(keys: str, steps: list[str]) -> None:
    composer = Composer().press_all(keys)
    seen = [composer.text]
    for _ in steps[1:]:
        composer = composer.backspace()
        seen.append(composer.text)
    assert seen == steps


# --- properties -------------------------------------------------------------------------------

KEYS = sorted(LAYOUT)
JAMO_KEYS = sorted(LAYOUT.values())
SYLLABLES = st.integers(0xAC00, 0xD7A3).map(chr)
# Every modern letter a learner might type alone; lone clusters such as ㄳ are left out, because
# ㄱ then ㅅ without a vowel types two letters (ㄱㅅ), as it should when learning the alphabet.
LONE_LETTERS = st.sampled_from(
    sorted(set(JAMO_KEYS) | set(COMPOUND_VOWELS.values())),
)


def composed_by(strokes: list[str]) -> Composer:
    composer = Composer()
    for stroke in strokes:
        composer = composer.backspace() if stroke == BACKSPACE else composer.press(stroke)
    return composer


@given(st.lists(st.sampled_from([*KEYS, " ", BACKSPACE])))
def test_any_keys_give_nfc_syllables_and_compatibility_jamo(strokes: list[str]) -> None:
    composer = composed_by(strokes)
    assert unicodedata.is_normalized("NFC", composer.text)
    assert len(composer.composing) <= 1
    for char in composer.text:
        assert char == " " or 0xAC00 <= ord(char) <= 0xD7A3 or 0x3131 <= ord(char) <= 0x3163


# Round trip. Words are runs of precomposed syllables (with optional punctuation), or a single
# lone letter; words are separated by spaces. Any run of syllables round-trips, because every
# syllable starts with a consonant: a vowel never meets the previous syllable's vowel, and a final
# that borrowed the next initial gives it back when the next vowel comes. A lone letter is only
# unambiguous between separators (고 then ㅏ would type 과, ㄱ then ㅏ would type 가), so lone
# letters are generated as words of their own.
WORDS = st.one_of(
    st.lists(st.one_of(SYLLABLES, st.sampled_from(".,?!")), min_size=1, max_size=8).map("".join),
    LONE_LETTERS,
)


@given(st.lists(WORDS, max_size=6).map(" ".join))
def test_typing_the_keystrokes_of_a_text_gives_back_that_text(text: str) -> None:
    assert typed(keystrokes(text)) == text


@given(st.lists(SYLLABLES, min_size=1, max_size=10).map("".join))
def test_syllables_typed_without_separators_round_trip(text: str) -> None:
    assert typed(keystrokes(text)) == text
    assert Composer().press_all(keystrokes(text)).composing == text[-1]


@given(st.lists(st.sampled_from([*KEYS, " "])), st.sampled_from(JAMO_KEYS))
def test_backspace_undoes_a_jamo_typed_into_the_composing_syllable(
    strokes: list[str], jamo: str
) -> None:
    before = composed_by(strokes)
    after = before.type(jamo)
    if after.committed == before.committed:  # the jamo joined the composing syllable
        assert after.backspace() == before
    elif after.committed == before.text:  # the jamo started a syllable of its own
        assert after.backspace().text == before.text
    else:  # a vowel took the last final along: 닭 + ㅏ → 달가, and backspace leaves 달ㄱ
        assert jamo in set("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ")
        assert after.backspace().composing == before.pending[-1]


@given(st.lists(SYLLABLES, min_size=1, max_size=5).map("".join))
def test_key_jamo_are_all_on_the_keyboard(text: str) -> None:
    assert set(key_jamo(text)) <= set(LAYOUT.values())
    assert not set(key_jamo(text)) & (set(COMPOUND_VOWELS.values()) | set(COMPOUND_FINALS.values()))
