"""Wrong answers that are nearly right are named, with a hint, and the right answer is shown."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.exercises import ArrangeExercise, ChoiceExercise, ExerciseType, TypeExercise
from app.domain.grading import ARROW, Grade, NearMiss, Register, diagnose, grade, normalise
from app.domain.hangul import MEDIALS, SYLLABLE_FIRST, SYLLABLE_LAST, decompose, with_medial
from app.domain.text import Text

P = NearMiss.WRONG_PARTICLE
B = NearMiss.WRONG_BATCHIM
T = NearMiss.JAMO_TYPO
H = NearMiss.MISSING_HONORIFIC
R = NearMiss.POLITENESS


def typed(expected: str, given: str, *alternatives: str) -> Grade:
    return grade(TypeExercise("t", Text(expected, {}), (expected, *alternatives)), given)


NEAR_MISSES = [
    # --- particles: "given→expected" --------------------------------------------------------
    pytest.param("저는 학생이에요.", "저은 학생이에요.", P, "은→는", id="은 after a vowel (저은)"),
    pytest.param(
        "우리는 친구예요.", "우리은 친구예요.", P, "은→는", id="은 after a vowel (우리은)"
    ),
    pytest.param("선생님은 바빠요.", "선생님는 바빠요.", P, "는→은", id="는 after batchim"),
    pytest.param("학생이 왔어요.", "학생가 왔어요.", P, "가→이", id="batchim + 이 (학생가)"),
    pytest.param("친구가 와요.", "친구이 와요.", P, "이→가", id="vowel + 가 (친구이)"),
    pytest.param("책을 읽어요.", "책를 읽어요.", P, "를→을", id="batchim + 을"),
    pytest.param("커피를 마셔요.", "커피을 마셔요.", P, "을→를", id="vowel + 를"),
    pytest.param("빵과 우유", "빵와 우유", P, "와→과", id="batchim + 과"),
    pytest.param("우유와 빵", "우유과 빵", P, "과→와", id="vowel + 와"),
    pytest.param("손으로 먹어요.", "손로 먹어요.", P, "로→으로", id="batchim + 으로"),
    pytest.param("버스로 가요.", "버스으로 가요.", P, "으로→로", id="vowel + 로"),
    pytest.param("지하철로 가요.", "지하철으로 가요.", P, "으로→로", id="ㄹ batchim takes 로"),
    pytest.param(
        "저는 학생이에요.", "저는 학생예요.", P, "예요→이에요", id="copula 이에요 after batchim"
    ),
    pytest.param("의사예요.", "의사이에요.", P, "이에요→예요", id="copula 예요 after a vowel"),
    pytest.param("학교에 가요.", "학교에서 가요.", P, "에서→에", id="에서 for 에 (going to)"),
    pytest.param(
        "도서관에서 공부해요.", "도서관에 공부해요.", P, "에→에서", id="에 for 에서 (doing at)"
    ),
    pytest.param(
        "가방이 어디에 있어요?", "가방이 어디에서 있어요?", P, "에서→에", id="에서 with 있다"
    ),
    pytest.param("물이 있어요.", "물은 있어요.", P, "은→이", id="topic for subject"),
    pytest.param("커피를 좋아해요.", "커피가 좋아해요.", P, "가→를", id="subject for object"),
    pytest.param("친구에게 줘요.", "친구에 줘요.", P, "에→에게", id="에 for 에게 with a person"),
    pytest.param("학교에 가요.", "학교 가요.", P, "→에", id="particle left out"),
    pytest.param("저는 학생이에요.", "저 학생이에요.", P, "→는", id="topic particle left out"),
    pytest.param("학교에 가요.", "학교 에서 가요.", P, "에서→에", id="particle typed apart"),
    pytest.param("학교에 가요.", "학교에서가요", P, "에서→에", id="no spaces at all"),
    pytest.param("저는 학생이에요.", "저은 학생이에요！", P, "은→는", id="full-width exclamation"),
    # --- batchim ----------------------------------------------------------------------------
    pytest.param("있어요.", "잇어요.", B, "잇→있", id="ㅅ for ㅆ"),
    pytest.param("같아요.", "갔아요.", B, "갔→같", id="ㅆ for ㅌ"),
    pytest.param("없어요.", "업어요.", B, "업→없", id="double batchim ㅄ simplified"),
    pytest.param("닭", "닥", B, "닥→닭", id="double batchim ㄺ simplified"),
    pytest.param("밖에 있어요.", "박에 있어요.", B, "박→밖", id="ㄱ for ㄲ"),
    pytest.param("있었어요.", "잇엇어요.", B, "잇엇→있었", id="two batchim wrong"),
    pytest.param(
        "읽어요.", "일거요.", B, "일거→읽어", id="double batchim written as said (읽어요/일거요)"
    ),
    pytest.param("먹어요.", "머거요.", B, "머거→먹어", id="batchim written as said"),
    pytest.param("한국어", "한구거", B, "구거→국어", id="한국어 written as said"),
    pytest.param("좋아요.", "조아요.", B, "조→좋", id="silent ㅎ left out"),
    pytest.param("많아요.", "마나요.", B, "마나→많아", id="ㄶ written as said"),
    pytest.param(
        "들어요.", "듣어요.", B, "듣→들", id="ㄷ-irregular kept as ㄷ: only the batchim is off"
    ),
    pytest.param("앉으세요.", "안즈세요.", B, "안즈→앉으", id="ㄵ written as said"),
    pytest.param("값이 비싸요.", "갑시 비싸요.", B, "갑시→값이", id="ㅄ written as said"),
    pytest.param("꽃이 예뻐요.", "꼬치 예뻐요.", B, "꼬치→꽃이", id="ㅊ batchim written as said"),
    # --- one jamo ---------------------------------------------------------------------------
    pytest.param("감사합니다.", "감사헙니다.", T, "헙→합", id="vowel ㅓ for ㅏ"),
    pytest.param("안녕하세요.", "안녕하새요.", T, "새→세", id="ㅐ for ㅔ"),
    pytest.param("주세요.", "쥬세요.", T, "쥬→주", id="ㅠ for ㅜ"),
    pytest.param("바다", "빠다", T, "빠→바", id="tense ㅃ for ㅂ"),
    pytest.param("한국어", "한극어", T, "극→국", id="ㅡ for ㅜ"),
    pytest.param("고맙습니다.", "고맙습니디.", T, "디→다", id="last vowel"),
    pytest.param("회사원이에요.", "회사언이에요.", T, "언→원", id="compound vowel ㅝ is one jamo"),
    pytest.param("먹어요.", "먹아요.", T, "아→어", id="vowel harmony slip is one jamo"),
    pytest.param("사과 주세요.", "사가 주세요.", T, "가→과", id="과 of 사과 is no particle"),
    pytest.param(
        "사과 주세요.", "사와 주세요.", T, "와→과", id="와 cannot follow a vowel-final 과"
    ),
    pytest.param("한국어", "ㅎㅏㄴ국어", T, "ㅎㅏㄴ→한", id="compatibility jamo never composed"),
    pytest.param(
        "한국어", "\u1112ㅏㄴ국어", T, "ㅎㅏㄴ→한", id="lone conjoining jamo as compatibility"
    ),
    pytest.param("한국어", "\uffbeㅏㄴ국어", T, "ㅎㅏㄴ→한", id="half-width jamo as compatibility"),
    pytest.param("가요.", "ㄱㅏ요.", T, "ㄱㅏ→가", id="letters typed apart"),
    # --- honorifics: "given words→expected words" -------------------------------------------
    pytest.param(
        "할머니께서 계세요.", "할머니께서 있어요.", H, "있어요→계세요", id="계세요 / 있어요"
    ),
    pytest.param("많이 드세요.", "많이 먹어요.", H, "먹어요→드세요", id="드세요 / 먹어요"),
    pytest.param("커피 드세요.", "커피 마셔요.", H, "마셔요→드세요", id="드세요 / 마셔요"),
    pytest.param("안녕히 주무세요.", "안녕히 자요.", H, "자요→주무세요", id="주무세요 / 자요"),
    pytest.param(
        "성함이 어떻게 되세요?", "이름이 어떻게 되세요?", H, "이름이→성함이", id="성함 / 이름"
    ),
    pytest.param(
        "연세가 어떻게 되세요?", "나이가 어떻게 되세요?", H, "나이가→연세가", id="연세 / 나이"
    ),
    pytest.param(
        "진지 드세요.", "밥 먹어요.", H, "밥 먹어요→진지 드세요", id="진지 드세요 / 밥 먹어요"
    ),
    pytest.param(
        "할머니께서 오셨어요.", "할머니가 오셨어요.", H, "할머니가→할머니께서", id="께서 / 가"
    ),
    pytest.param(
        "선생님께서 오셨어요.", "선생님이 오셨어요.", H, "선생님이→선생님께서", id="께서 / 이"
    ),
    pytest.param("어디에 가세요?", "어디에 가요?", H, "가요→가세요", id="-시- left out (가세요)"),
    pytest.param(
        "책을 읽으세요.", "책을 읽어요.", H, "읽어요→읽으세요", id="-으시- left out (읽으세요)"
    ),
    pytest.param("뭐 하세요?", "뭐 해요?", H, "해요→하세요", id="-시- left out (하세요)"),
    pytest.param(
        "어디 사세요?", "어디 살아요?", H, "살아요→사세요", id="-시- of a ㄹ-stem (사세요)"
    ),
    pytest.param(
        "할머니께서 오셨어요.", "할머니께서 왔어요.", H, "왔어요→오셨어요", id="-셨- left out"
    ),
    pytest.param(
        "아버지께서 신문을 읽으십니다.",
        "아버지께서 신문을 읽습니다.",
        H,
        "읽습니다→읽으십니다",
        id="-으십니다 left out",
    ),
    pytest.param(
        "선생님께서 말씀하셨어요.",
        "선생님이 말했어요.",
        H,
        "선생님이 말했어요→선생님께서 말씀하셨어요",
        id="all honorifics left out",
    ),
    pytest.param(
        "할아버지께 드렸어요.",
        "할아버지한테 줬어요.",
        H,
        "할아버지한테 줬어요→할아버지께 드렸어요",
        id="께 드리다 / 한테 주다",
    ),
    pytest.param(
        "할머니께서 계세요.", "할머니께서있어요", H, "있어요→계세요", id="honorific, no spaces"
    ),
    # --- registers: "given register→expected register" --------------------------------------
    pytest.param("학생이에요.", "학생입니다.", R, "hamnida→haeyo", id="학생입니다 for 학생이에요"),
    pytest.param("학생이에요.", "학생이야.", R, "banmal→haeyo", id="학생이야 for 학생이에요"),
    pytest.param("학생입니다.", "학생이에요.", R, "haeyo→hamnida", id="학생이에요 for 학생입니다"),
    pytest.param("의사예요.", "의사야.", R, "banmal→haeyo", id="의사야 for 의사예요"),
    pytest.param("아니에요.", "아니야.", R, "banmal→haeyo", id="아니야 for 아니에요"),
    pytest.param("감사합니다.", "감사해요.", R, "haeyo→hamnida", id="감사해요 for 감사합니다"),
    pytest.param(
        "안녕하십니까?", "안녕하세요?", R, "haeyo→hamnida", id="안녕하세요 for 안녕하십니까"
    ),
    pytest.param("밥을 먹어요.", "밥을 먹어.", R, "banmal→haeyo", id="먹어 for 먹어요"),
    pytest.param("밥을 먹어요.", "밥을 먹습니다.", R, "hamnida→haeyo", id="먹습니다 for 먹어요"),
    pytest.param(
        "어디에 가요?", "어디에 갑니까?", R, "hamnida→haeyo", id="question 갑니까 for 가요"
    ),
    pytest.param(
        "어제 친구를 만났어요.", "어제 친구를 만났습니다.", R, "hamnida→haeyo", id="past 만났습니다"
    ),
    pytest.param(
        "날씨가 추워요.", "날씨가 춥습니다.", R, "hamnida→haeyo", id="ㅂ-irregular 춥습니다"
    ),
    pytest.param(
        "커피를 마셔요.", "커피를 마십니다.", R, "hamnida→haeyo", id="마십니다 for 마셔요"
    ),
    pytest.param(
        "괜찮아.", "괜찮아요.", R, "haeyo→banmal", id="괜찮아요 where a friend says 괜찮아"
    ),
    pytest.param(
        "안녕하세요. 저는 학생이에요.",
        "안녕하세요. 저는 학생입니다.",
        R,
        "hamnida→haeyo",
        id="second sentence's register",
    ),
]


@pytest.mark.parametrize(("expected", "given", "kind", "detail"), NEAR_MISSES)
def test_near_miss_is_named(expected: str, given: str, kind: NearMiss, detail: str) -> None:
    result = typed(expected, given)
    assert not result.correct
    assert (result.near_miss, result.detail) == (kind, detail)
    assert result.expected == expected  # the right answer is still shown


NOT_NEAR_MISSES = [
    pytest.param("저는 학생이에요.", "안녕하세요.", id="a different sentence"),
    pytest.param("사과 주세요.", "바나나 주세요.", id="a different word"),
    pytest.param("먹어요.", "마셔요.", id="a different verb"),
    pytest.param("학교에 가요.", "가요 학교에.", id="words out of order"),
    pytest.param("저는 학생이에요.", "제가 학생이에요.", id="제가 is a different construction"),
    pytest.param("학생이에요.", "학생.", id="copula left out is not a particle slip"),
    # ㅂ-irregular: 춥 + 어요 → 추워요. 춥어요 is two jamo away (ㅂ added, ㅝ→ㅓ) and is a
    # conjugation error, not a slip of the finger; calling it a typo would hide what to learn.
    pytest.param("추워요.", "춥어요.", id="ㅂ-irregular conjugated regularly (decided: not named)"),
    pytest.param("가십니다.", "가요.", id="honorific and register both off"),
    pytest.param("한국어", "영어", id="two jamo and more"),
    pytest.param("저는 학생이에요.", "", id="nothing typed"),
    pytest.param("저는 학생이에요.", "？！", id="only punctuation"),
]


@pytest.mark.parametrize(("expected", "given"), NOT_NEAR_MISSES)
def test_a_wrong_answer_that_is_no_near_miss_is_not_named(expected: str, given: str) -> None:
    result = typed(expected, given)
    assert not result.correct
    assert result.near_miss is None and result.detail is None
    assert result.expected == expected


ACCEPTED = [
    pytest.param("학교에 가요.", "학교에가요", id="spacing left out"),
    pytest.param("학교에 가요.", "학교 에 가 요", id="spacing added"),
    pytest.param("학교에 가요.", "학교에 가요！", id="full-width exclamation"),
    pytest.param("학교에 가요?", "학교에 가요？", id="full-width question mark"),
    pytest.param("네, 학생이에요.", "네，학생이에요", id="full-width comma"),
    pytest.param(
        "한국어", "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165", id="conjoining jamo compose"
    ),
    pytest.param("한국어", "\u1112\u1161\u11ab국어", id="conjoining jamo next to syllables"),
    pytest.param("ㅎ", "\u1112", id="a lone letter from either block"),
]


@pytest.mark.parametrize(("expected", "given"), ACCEPTED)
def test_accepted_answers_are_not_near_misses(expected: str, given: str) -> None:
    assert typed(expected, given) == Grade(True, expected)


# --- through the exercise types -------------------------------------------------------------


def test_the_answer_shown_is_the_alternative_the_near_miss_is_of() -> None:
    result = typed("저는 학생이에요.", "학생예요", "학생이에요.")
    assert (result.near_miss, result.detail, result.expected) == (P, "예요→이에요", "학생이에요.")


def test_without_a_near_miss_the_first_answer_is_shown() -> None:
    assert typed("저는 학생이에요.", "안녕히 가세요", "학생이에요.").expected == "저는 학생이에요."


def test_an_arranged_sentence_is_analysed_like_a_typed_one() -> None:
    exercise = ArrangeExercise(
        "a",
        Text("저는 학생이에요.", {}),
        ("저은", "저는", "학생이에요.", "학생이야."),
        ("저는 학생이에요.",),
    )
    assert grade(exercise, ("저은", "학생이에요.")) == Grade(
        False, "저는 학생이에요.", near_miss=P, detail="은→는"
    )
    assert grade(exercise, ("저는", "학생이야.")).detail == "banmal→haeyo"
    assert grade(exercise, ("학생이에요.", "저는")).near_miss is None


def test_a_choice_is_right_or_wrong_without_a_near_miss() -> None:
    exercise = ChoiceExercise("c", ExerciseType.FILL, Text("저＿ 학생이에요."), ("는", "은"), 0)
    assert grade(exercise, 1) == Grade(False, "는", 0)


def test_detail_has_two_sides_and_politeness_names_registers() -> None:
    for param in NEAR_MISSES:
        expected, _, kind, detail = param.values
        wrote, wanted = detail.split(ARROW)
        if kind is R:
            assert {wrote, wanted} <= set(Register) and wrote != wanted
        else:
            assert wrote != wanted
            assert wanted in normalise(expected).replace(" ", "") or " " in wanted


def test_diagnose_compares_two_texts() -> None:
    assert diagnose("저은 학생이에요", "저는 학생이에요") == (P, "은→는")
    assert diagnose("저는 학생이에요", "저는 학생이에요.") is None
    assert diagnose("", "저는") is None


# --- properties -----------------------------------------------------------------------------

syllables = st.integers(SYLLABLE_FIRST, SYLLABLE_LAST).map(chr)
sentences = st.lists(st.text(syllables, min_size=1, max_size=5), min_size=1, max_size=4).map(
    " ".join
)


@given(sentences, st.sampled_from(["", ".", "?", "！", " "]))
def test_an_accepted_answer_is_right_however_punctuated(sentence: str, mark: str) -> None:
    assert typed(sentence, sentence + mark) == Grade(True, sentence)


@given(sentences, st.data())
def test_one_changed_vowel_is_always_some_near_miss(sentence: str, data: st.DataObject) -> None:
    at = data.draw(st.sampled_from([i for i, c in enumerate(sentence) if c != " "]))
    vowel = data.draw(
        st.sampled_from(MEDIALS).filter(lambda v: v != decompose(sentence[at]).medial)
    )
    changed = sentence[:at] + with_medial(sentence[at], vowel) + sentence[at + 1 :]
    result = typed(sentence, changed)
    assert not result.correct and result.near_miss is not None
    assert result.detail is not None and ARROW in result.detail


@given(sentences, sentences)
def test_diagnose_never_fails_and_agrees_with_grade(expected: str, given_text: str) -> None:
    found = diagnose(given_text, expected)
    result = typed(expected, given_text)
    if result.correct:
        assert found is None
    else:
        assert (result.near_miss, result.detail) == (found or (None, None))
