import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.hangul import (
    FINALS,
    INITIALS,
    MEDIALS,
    SYLLABLE_COUNT,
    SYLLABLE_FIRST,
    SYLLABLE_LAST,
    Syllable,
    compose,
    decompose,
    final_of,
    has_batchim,
    is_jamo,
    is_syllable,
    jamo,
    jamo_distance,
    resyllabify,
    to_compatibility,
    to_conjoining,
    with_final,
    with_medial,
)

ALL_SYLLABLES = [chr(code) for code in range(SYLLABLE_FIRST, SYLLABLE_LAST + 1)]
syllables = st.integers(SYLLABLE_FIRST, SYLLABLE_LAST).map(chr)
hangul_text = st.text(st.one_of(syllables, st.sampled_from(" ,.?ㄱㅏㅎ")), max_size=12)


# --- every syllable -------------------------------------------------------------------------


def test_the_block_holds_19_by_21_by_28_syllables() -> None:
    assert len(INITIALS) == 19 and len(MEDIALS) == 21 and len(FINALS) == 28
    assert SYLLABLE_COUNT == len(ALL_SYLLABLES) == 11_172


def test_compose_undoes_decompose_for_all_11172_syllables() -> None:
    assert [compose(*decompose(s)) for s in ALL_SYLLABLES] == ALL_SYLLABLES


def test_decomposition_is_nfd_for_all_11172_syllables() -> None:
    for s in ALL_SYLLABLES:
        assert to_conjoining(s) == unicodedata.normalize("NFD", s)
        assert to_compatibility(to_conjoining(s)) == jamo(s) == "".join(decompose(s))


def test_has_batchim_agrees_with_decomposition_for_all_11172_syllables() -> None:
    assert all(has_batchim(s) == (decompose(s).final != "") for s in ALL_SYLLABLES)


# --- properties -----------------------------------------------------------------------------


@given(syllables)
def test_decompose_then_compose_is_identity(syllable: str) -> None:
    assert compose(*decompose(syllable)) == syllable


@given(st.sampled_from(INITIALS), st.sampled_from(MEDIALS), st.sampled_from(FINALS))
def test_compose_then_decompose_is_identity(initial: str, medial: str, final: str) -> None:
    assert decompose(compose(initial, medial, final)) == Syllable(initial, medial, final)


@given(syllables)
def test_composing_from_conjoining_jamo_gives_the_same_syllable(syllable: str) -> None:
    assert compose(*to_conjoining(syllable)) == syllable
    assert unicodedata.normalize("NFC", to_conjoining(syllable)) == syllable


@given(st.text(syllables, min_size=1, max_size=8))
def test_has_batchim_looks_at_the_last_syllable(word: str) -> None:
    assert has_batchim(word) == (final_of(word[-1]) != "") == has_batchim(word[-1])


@given(syllables, st.sampled_from(FINALS))
def test_with_final_changes_only_the_final(syllable: str, final: str) -> None:
    changed = decompose(with_final(syllable, final))
    assert changed[:2] == decompose(syllable)[:2] and changed.final == final


@given(hangul_text)
def test_resyllabify_keeps_length_and_is_idempotent(text: str) -> None:
    said = resyllabify(text)
    assert len(said) == len(text) and resyllabify(said) == said


@given(hangul_text, hangul_text)
def test_jamo_distance_is_a_symmetric_measure(a: str, b: str) -> None:
    assert jamo_distance(a, b) == jamo_distance(b, a)
    assert (jamo_distance(a, b) == 0) == (jamo(a) == jamo(b))
    assert jamo_distance(a, b) <= max(len(jamo(a)), len(jamo(b)))


# --- compatibility and conjoining jamo ------------------------------------------------------


def test_every_conjoining_and_half_width_letter_maps_to_the_compatibility_letter_of_its_name() -> (
    None
):
    # Unicode's own names are an oracle independent of the tables in the module.
    blocks = [*range(0x1100, 0x1113), *range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]
    blocks += [c for c in range(0xFFA1, 0xFFDD) if "LETTER" in unicodedata.name(chr(c), "")]
    assert len(blocks) == 19 + 21 + 27 + 51
    for code in blocks:
        letter = unicodedata.name(chr(code)).split()[-1]
        compatible = to_compatibility(chr(code))
        assert unicodedata.name(compatible) == f"HANGUL LETTER {letter}"
        assert is_jamo(chr(code)) and is_jamo(compatible)


@pytest.mark.parametrize(
    ("letters", "syllable"),
    [
        pytest.param(("ㅎ", "ㅏ", "ㄴ"), "한", id="compatibility jamo"),
        pytest.param(("\u1112", "\u1161", "\u11ab"), "한", id="conjoining jamo"),
        pytest.param(("\u1112", "ㅏ", "\u11ab"), "한", id="mixed blocks"),
        pytest.param(("ㄷ", "ㅏ", "ㄺ"), "닭", id="double batchim"),
        pytest.param(("ㄲ", "ㅘ", ""), "꽈", id="double initial, compound vowel, no final"),
    ],
)
def test_compose(letters: tuple[str, str, str], syllable: str) -> None:
    assert compose(*letters) == syllable


@pytest.mark.parametrize(
    "letters",
    [
        pytest.param(("", "ㅏ", ""), id="no initial"),
        pytest.param(("ㄱ", "", ""), id="no medial"),
        pytest.param(("ㄳ", "ㅏ", ""), id="ㄳ cannot begin a syllable"),
        pytest.param(("ㄱ", "ㅏ", "ㄸ"), id="ㄸ cannot end one"),
        pytest.param(("ㄱㄲ", "ㅏ", ""), id="two letters"),
        pytest.param(("a", "ㅏ", ""), id="not a jamo"),
    ],
)
def test_compose_rejects_what_is_no_syllable(letters: tuple[str, str, str]) -> None:
    with pytest.raises(ValueError):
        compose(*letters)


@pytest.mark.parametrize("text", ["a", "ㄱ", "", "한국"])
def test_decompose_takes_one_syllable(text: str) -> None:
    with pytest.raises(ValueError):
        decompose(text)


def test_letters_standing_alone_are_not_syllables() -> None:
    assert not is_syllable("ㅎ") and not is_syllable("\u1112") and is_syllable("한")
    assert jamo("ㅎㅏㄴ") == jamo("한") == "ㅎㅏㄴ"
    assert jamo("한국 abc") == "ㅎㅏㄴㄱㅜㄱ abc"


@pytest.mark.parametrize(
    ("word", "batchim"),
    [
        pytest.param("학생", True, id="학생"),
        pytest.param("저", False, id="저"),
        pytest.param("지하철", True, id="지하철 (ㄹ)"),
        pytest.param("닭", True, id="닭 (double)"),
        pytest.param("친구", False, id="친구"),
    ],
)
def test_has_batchim(word: str, batchim: bool) -> None:
    assert has_batchim(word) is batchim


@pytest.mark.parametrize("word", ["", "abc", "학생!", "ㄱ"])
def test_has_batchim_needs_a_final_syllable(word: str) -> None:
    with pytest.raises(ValueError):
        has_batchim(word)


def test_with_medial() -> None:
    assert with_medial("주", "ㅝ") == "줘" and with_medial("봐", "ㅗ") == "보"


@pytest.mark.parametrize(
    ("written", "said"),
    [
        pytest.param("먹어요", "머거요", id="single batchim moves on"),
        pytest.param("읽어요", "일거요", id="double batchim: second letter moves on"),
        pytest.param("앉아요", "안자요", id="ㄵ"),
        pytest.param("좋아요", "조아요", id="ㅎ falls silent"),
        pytest.param("많아요", "마나요", id="ㄶ: ㅎ silent, ㄴ moves on"),
        pytest.param("싫어요", "시러요", id="ㅀ"),
        pytest.param("강아지", "강아지", id="ㅇ batchim stays"),
        pytest.param("있어요", "이써요", id="ㅆ moves whole"),
        pytest.param("학교", "학교", id="nothing to link"),
        pytest.param("책 이", "책 이", id="not across a space"),
    ],
)
def test_resyllabify(written: str, said: str) -> None:
    assert resyllabify(written) == said


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        pytest.param("한", "ㅎㅏㄴ", 0, id="composed or not, the same letters"),
        pytest.param("저는", "저은", 1, id="one initial"),
        pytest.param("과", "가", 1, id="a compound vowel is one jamo"),
        pytest.param("닭", "달", 1, id="a double batchim is one jamo"),
        pytest.param("추워요", "춥어요", 2, id="ㅂ-irregular is two"),
        pytest.param("읽어요", "일거요", 2, id="linking is two"),
    ],
)
def test_jamo_distance(a: str, b: str, distance: int) -> None:
    assert jamo_distance(a, b) == distance
