"""Pure answer grading: normalise what the learner gave, compare it with what is accepted, and
name the near miss when a wrong answer is one (wrong particle, batchim, honorific, register, typo).

Every `Grade.detail` has the form "given→expected": the part of her answer that is off and what
it should be (either side may be empty when something was added or left out), except for
POLITENESS, whose detail names the registers instead, e.g. "banmal→haeyo".
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.exercises import (
    ArrangeExercise,
    ChoiceExercise,
    Exercise,
    MatchExercise,
    TypeExercise,
)
from app.domain.hangul import (
    decompose,
    final_of,
    has_batchim,
    is_syllable,
    jamo_distance,
    resyllabify,
    to_compatibility,
    with_final,
    with_medial,
)

# Full-width ASCII forms (！？，．) as typed by CJK keyboards, and the ideographic space.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FINAL_PUNCTUATION = ".?!。？！…~,、"
_SENTENCE_END = ".?!。？！…"
ARROW = "→"  # separates the two sides of a Grade.detail

# A response is the index of a choice, the tiles in order, or typed text.
Response = int | tuple[str, ...] | str


class NearMiss(StrEnum):
    """A wrong answer that is nearly right, named so feedback can say what to fix."""

    WRONG_PARTICLE = "wrong_particle"  # detail: the particles, "는→은"; "→에" if left out
    WRONG_BATCHIM = "wrong_batchim"  # detail: the syllables, "잇→있", "일거→읽어"
    MISSING_HONORIFIC = "missing_honorific"  # detail: the words, "있어요→계세요"
    POLITENESS = "politeness"  # detail: the registers, "banmal→haeyo"
    JAMO_TYPO = "jamo_typo"  # detail: the syllables, "헙→합", "ㅎㅏㄴ→한"


class Register(StrEnum):
    """The speech level a sentence ending marks."""

    BANMAL = "banmal"  # 반말: 학생이야, 먹어
    HAEYO = "haeyo"  # 해요체: 학생이에요, 먹어요
    HAMNIDA = "hamnida"  # 합니다체: 학생입니다, 먹습니다


@dataclass(frozen=True)
class Grade:
    correct: bool
    expected: str  # the best answer, as Korean text (or the choice label key for choices)
    expected_choice: int | None = None  # for choice exercises, index in authored order
    near_miss: NearMiss | None = None  # what kind of nearly-right a wrong answer is
    detail: str | None = None  # "given→expected" hint for the near miss (see module docstring)


def normalise(text: str) -> str:
    """NFC, compatibility jamo, half-width punctuation, single spaces, no final punctuation."""
    text = unicodedata.normalize("NFC", text.translate(_FULLWIDTH))
    # After NFC, so conjoining sequences have already become syllables; what is left is a lone
    # letter, which is then the same whichever block the keyboard took it from. Compatibility
    # letters are never composed (ㅎㅏㄴ is not 한): that is for the near-miss analysis to name.
    text = " ".join(to_compatibility(text).split())
    return text.rstrip(_FINAL_PUNCTUATION + " ")


def compact(text: str) -> str:
    """Normalised text without any spaces: Korean spacing is not what these exercises test."""
    return "".join(normalise(text).split())


def accepts(given: str, accepted: Sequence[str]) -> bool:
    """True if `given` equals any accepted answer, ignoring spacing and final punctuation."""
    wanted = compact(given)
    return bool(wanted) and any(wanted == compact(answer) for answer in accepted)


def diagnose(given: str, expected: str) -> tuple[NearMiss, str] | None:
    """The near miss `given` is of `expected` and its detail, or None if it is not one."""
    attempt, answer = _Answer.of(given), _Answer.of(expected)
    if not attempt.compact or not answer.compact or attempt.compact == answer.compact:
        return None
    for kind, find in _FINDERS:
        detail = find(attempt, answer)
        if detail is not None:
            return kind, detail
    return None


def grade(exercise: Exercise, response: Response) -> Grade:
    """Grade one response; the grade names the best answer so feedback can show it."""
    if isinstance(exercise, ChoiceExercise):
        if not isinstance(response, int):
            raise TypeError(f"{exercise.id}: a choice exercise takes a choice index")
        answer = exercise.choices[exercise.answer]
        expected = answer if isinstance(answer, str) else answer.ko or ""
        return Grade(response == exercise.answer, expected, exercise.answer)
    if isinstance(exercise, ArrangeExercise):
        if not isinstance(response, tuple):
            raise TypeError(f"{exercise.id}: an arrange exercise takes a tuple of tiles")
        return _grade_text(" ".join(response), exercise.accepted)
    if isinstance(exercise, TypeExercise):
        if not isinstance(response, str):
            raise TypeError(f"{exercise.id}: a typing exercise takes text")
        return _grade_text(response, exercise.accepted)
    if isinstance(exercise, MatchExercise):
        if not isinstance(response, tuple):
            raise TypeError(f"{exercise.id}: a match exercise takes the picks made")
        return Grade(
            match_complete(response, len(exercise.pairs)) and not match_slips(response),
            " · ".join(korean for korean, _ in exercise.pairs),
        )
    raise TypeError(f"unknown exercise {exercise!r}")


def match_pick(left: int, right: int) -> str:
    """One pick in a match exercise: the Korean word `left` paired with meaning `right`."""
    return f"{left}={right}"


def match_slips(picks: tuple[str, ...]) -> int:
    """How many picks paired a word with the wrong meaning."""
    return sum(1 for pick in picks if len(set(pick.split("="))) != 1)


def match_complete(picks: tuple[str, ...], size: int) -> bool:
    """Whether every word has been paired with its own meaning."""
    right = {pick.split("=")[0] for pick in picks if len(set(pick.split("="))) == 1}
    return right == {str(i) for i in range(size)}


def response_text(response: Response) -> str:
    """A response as text for the attempt log."""
    if isinstance(response, tuple):
        return " ".join(response)
    return str(response)


def _grade_text(given: str, accepted: Sequence[str]) -> Grade:
    if accepts(given, accepted):
        return Grade(True, accepted[0])
    # Kinds first, then answers: a particle slip against the second answer says more than a
    # typo against the first. The answer it was measured against is the one shown, so the
    # detail and the answer on screen agree.
    attempt = _Answer.of(given)
    if attempt.compact:
        answers = [_Answer.of(answer) for answer in accepted]
        for kind, find in _FINDERS:
            for raw, answer in zip(accepted, answers, strict=True):
                detail = find(attempt, answer) if answer.compact else None
                if detail is not None:
                    return Grade(False, raw, near_miss=kind, detail=detail)
    return Grade(False, accepted[0])


@dataclass(frozen=True)
class _Answer:
    """A text prepared once for all the comparisons."""

    words: tuple[str, ...]  # normalised, split at spaces
    compact: str

    @classmethod
    def of(cls, text: str) -> _Answer:
        words = tuple(normalise(text).split())
        return cls(words, "".join(words))


def _span(given: str, expected: str) -> str:
    """The differing middles of two strings, as a "given→expected" detail."""
    start = _common_prefix(given, expected)
    end = _common_suffix(given[start:], expected[start:])
    return f"{given[start : len(given) - end]}{ARROW}{expected[start : len(expected) - end]}"


def _common_prefix(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


# --- particles ------------------------------------------------------------------------------

# Case particles (school grammar counts the copula 이다 as one too, 서술격 조사). A learner
# swaps one for another, drops one, or picks the allomorph for the wrong kind of noun ending.
_CASE_PARTICLES = frozenset(
    {
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "에",
        "에서",
        "에게",
        "한테",
        "로",
        "으로",
        "와",
        "과",
        "하고",
        "랑",
        "이랑",
        "도",
        "만",
        "의",
        "나",
        "이나",
        "까지",
        "부터",
        "에는",
        "에서는",
        "에도",
        "에게서",
        "한테서",
        "보다",
        "처럼",
    }
)
# Copula forms are only confused with their own allomorph: 이에요 vs 이야 is a register change.
_COPULA_PAIRS = (
    frozenset({"이에요", "예요"}),
    frozenset({"이야", "야"}),
    frozenset({"이었어요", "였어요"}),
    frozenset({"이었어", "였어"}),
    frozenset({"이라고", "라고"}),
)
_AFTER_BATCHIM = frozenset(
    {"은", "이", "을", "과", "이랑", "이나", "이에요", "이야", "이었어요", "이었어", "이라고"}
)
_AFTER_VOWEL = frozenset(
    {"는", "가", "를", "와", "랑", "나", "예요", "야", "였어요", "였어", "라고"}
)
# (after batchim, after vowel): the allomorph a noun takes depends on its last syllable.
_ALLOMORPHS = (
    ("이었어요", "였어요"),
    ("이었어", "였어"),
    ("이에요", "예요"),
    ("이라고", "라고"),
    ("이랑", "랑"),
    ("이나", "나"),
    ("이야", "야"),
    ("으로", "로"),
    ("은", "는"),
    ("이", "가"),
    ("을", "를"),
    ("과", "와"),
)
_LONGEST_PARTICLE = 4


def _fits(particle: str, noun_end: str) -> bool:
    """True if `particle` is the allomorph that follows a noun ending in `noun_end`."""
    if not is_syllable(noun_end):
        return False
    final = final_of(noun_end)
    if particle == "로":  # 로 follows vowels and ㄹ (지하철로), 으로 the other batchim
        return final in ("", "ㄹ")
    if particle == "으로":
        return final not in ("", "ㄹ")
    if particle in _AFTER_BATCHIM:
        return final != ""
    return particle not in _AFTER_VOWEL or final == ""


def _swappable(given: str, expected: str) -> bool:
    if given == expected:
        return False
    if any({given, expected} == pair for pair in _COPULA_PAIRS):
        return True
    return {given, expected} <= _CASE_PARTICLES | {""}


def _word_ends(words: Sequence[str]) -> frozenset[int]:
    """Indices in the compact text of the characters that end a word (or precede punctuation)."""
    ends: set[int] = set()
    index = 0
    for word in words:
        for offset, char in enumerate(word):
            last = offset == len(word) - 1
            if last or (is_syllable(char) and not is_syllable(word[offset + 1])):
                ends.add(index + offset)
        index += len(word)
    return frozenset(ends)


def _particle(attempt: _Answer, answer: _Answer) -> str | None:
    given, expected = attempt.compact, answer.compact
    ends = _word_ends(answer.words)
    prefix = _common_prefix(given, expected)
    suffix = _common_suffix(given[prefix:], expected[prefix:])
    # The plain diff can cut a particle in two (학교에 / 학교에서 share 에), so widen it.
    for back, ahead in sorted(
        itertools.product(range(_LONGEST_PARTICLE), repeat=2), key=lambda pair: sum(pair)
    ):
        start = prefix - back
        if start < 1 or ahead > suffix:
            continue
        wrote = given[start : len(given) - suffix + ahead]
        wanted = expected[start : len(expected) - suffix + ahead]
        if not _swappable(wrote, wanted):
            continue
        noun_end = expected[start - 1]
        if wanted:
            # A particle sits at the end of its word, right after its noun, in the right form.
            good = (start + len(wanted) - 1) in ends and (start - 1) not in ends
            good = good and _fits(wanted, noun_end)
        else:
            good = (start - 1) in ends and is_syllable(noun_end)
        if good:
            return f"{wrote}{ARROW}{wanted}"
    return None


def _refit(noun: str, rest: str) -> str:
    """`rest` with a leading particle changed to the allomorph that follows `noun`."""
    if not noun or not is_syllable(noun[-1]):
        return rest
    for pair in _ALLOMORPHS:
        for form in pair:
            if rest.startswith(form):
                return pair[0 if has_batchim(noun) else 1] + rest[len(form) :]
    return rest


# --- batchim --------------------------------------------------------------------------------


def _batchim(attempt: _Answer, answer: _Answer) -> str | None:
    given, expected = attempt.compact, answer.compact
    if len(given) == len(expected):
        pairs = [(g, e) for g, e in zip(given, expected, strict=True) if g != e]
        if pairs and all(
            is_syllable(g) and is_syllable(e) and decompose(g)[:2] == decompose(e)[:2]
            for g, e in pairs
        ):
            return _span(given, expected)
    # Written as it is said: the batchim moved onto the next syllable (읽어요 → 일거요) or a
    # silent ㅎ left out (좋아요 → 조아요). Said the same, spelled wrong: still a batchim slip.
    if resyllabify(given) == resyllabify(expected):
        return _span(given, expected)
    return None


# --- verb forms -----------------------------------------------------------------------------


def _bright(syllable: str) -> bool:
    """True if `syllable` takes 아 rather than 어 (vowel harmony: ㅏ and ㅗ)."""
    return is_syllable(syllable) and decompose(syllable).medial in ("ㅏ", "ㅗ", "ㅑ")


def _infinitives(stem: str) -> set[str]:
    """The -아/어 forms a verb stem may take (가 → 가, 먹 → 먹어, 마시 → 마셔, 하 → 해)."""
    if not stem or not is_syllable(stem[-1]):
        return set()
    head, last = stem[:-1], stem[-1]
    _, medial, final = decompose(last)
    vowel = "아" if _bright(last) else "어"
    if last == "하":
        return {head + "해", head + "하여"}
    if final:
        forms = {stem + vowel}
        # Irregular stems are tried too; a wrong guess only adds a form nobody types.
        bare = head + with_final(last, "")
        if final == "ㅂ":  # 춥 → 추워, 돕 → 도와
            forms |= {bare + "워", bare + "와"}
        elif final == "ㄷ":  # 듣 → 들어
            forms.add(head + with_final(last, "ㄹ") + vowel)
        elif final == "ㅅ":  # 짓 → 지어
            forms.add(bare + vowel)
        return forms
    contracted = {
        "ㅗ": "ㅘ",
        "ㅜ": "ㅝ",
        "ㅣ": "ㅕ",
        "ㅚ": "ㅙ",
    }
    if medial in ("ㅏ", "ㅓ", "ㅐ", "ㅔ", "ㅕ", "ㅑ"):
        return {stem, stem + "어"} if medial in ("ㅐ", "ㅔ") else {stem}
    if medial in contracted:
        return {head + with_medial(last, contracted[medial]), stem + vowel}
    if medial == "ㅡ":  # ㅡ drops and the vowel before decides: 바쁘 → 바빠, 쓰 → 써
        forms = {head + with_medial(last, "ㅏ" if head and _bright(head[-1]) else "ㅓ")}
        if last == "르" and head and is_syllable(head[-1]):  # 모르 → 몰라
            forms.add(
                head[:-1] + with_final(head[-1], "ㄹ") + ("라" if _bright(head[-1]) else "러")
            )
        return forms
    return {stem + "어"}


def _stems(infinitive: str) -> set[str]:
    """The verb stems whose -아/어 form `infinitive` may be (먹어 → 먹, 와 → 오, 추워 → 춥)."""
    if not infinitive or not is_syllable(infinitive[-1]):
        return set()
    head, last = infinitive[:-1], infinitive[-1]
    initial, medial, final = decompose(last)
    stems: set[str] = set()
    joined = bool(head) and is_syllable(head[-1])  # there is a syllable to change before `last`
    if initial == "ㅇ" and medial in ("ㅏ", "ㅓ") and not final and joined:
        stems.add(head)  # 먹어, 좋아, 했어, 마시어
    if last == "해":
        stems.add(head + "하")
    if final:
        return stems
    if medial in ("ㅏ", "ㅓ", "ㅐ", "ㅔ", "ㅕ"):
        stems.add(infinitive)  # 가, 서, 보내, 켜
    if medial in ("ㅏ", "ㅓ"):
        stems.add(head + with_medial(last, "ㅡ"))  # 바빠 → 바쁘, 써 → 쓰
        if initial == "ㄹ" and joined and final_of(head[-1]) == "ㄹ":  # 몰라 → 모르
            stems.add(head[:-1] + with_final(head[-1], "") + "르")
    uncontracted = {"ㅕ": "ㅣ", "ㅘ": "ㅗ", "ㅝ": "ㅜ", "ㅙ": "ㅚ"}
    if medial in uncontracted:
        stems.add(head + with_medial(last, uncontracted[medial]))
    if medial in ("ㅝ", "ㅘ") and initial == "ㅇ" and joined:
        stems.add(head[:-1] + with_final(head[-1], "ㅂ"))  # 추워 → 춥, 도와 → 돕
    return stems


def _formal(stem: str) -> str:
    """`stem` ready for -니다/-니까: 가 → 갑, 살 → 삽, 먹 → 먹습."""
    last = stem[-1]
    if final_of(last) in ("", "ㄹ"):
        return stem[:-1] + with_final(last, "ㅂ")
    return stem + "습"


def _with_past(infinitive: str) -> str:
    """The past stem made from a -아/어 form: 가 → 갔, 먹어 → 먹었."""
    return infinitive[:-1] + with_final(infinitive[-1], "ㅆ")


# --- honorifics -----------------------------------------------------------------------------

_HONORIFIC_NOUNS: dict[str, tuple[str, ...]] = {
    "성함": ("이름",),
    "연세": ("나이",),
    "댁": ("집",),
    "진지": ("밥",),
    "말씀": ("말",),
    "생신": ("생일",),
    "따님": ("딸",),
    "아드님": ("아들",),
    "분": ("사람",),
}
# Honorific verbs whose 시 is part of the word: the stem before it, and the plain verbs.
_HONORIFIC_STEMS: dict[str, tuple[str, ...]] = {
    "계": ("있",),
    "드": ("먹", "마시"),
    "주무": ("자",),
    "잡수": ("먹",),
    "돌아가": ("죽",),
    "편찮": ("아프",),
    "말씀하": ("말하",),
}
# Humble 드리다 for 주다, in the forms its conjugation takes.
_HUMBLE = {"드려": "줘", "드렸": "줬", "드릴": "줄", "드립": "줍", "드리": "주"}
# The honorific particles: 께서 for 이/가 (or 은/는), 께 for 에게/한테.
_HONORIFIC_PARTICLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("께서는", ("은",)),
    ("께서도", ("도",)),
    ("께서", ("이", "은")),
    ("께", ("에게", "한테")),
)
_SI = frozenset("시세셔셨십실신")  # -(으)시- and its fusions with the ending after it
_MAX_VARIANTS = 64


def _plain_nouns(word: str) -> Iterator[str]:
    for honorific, plains in _HONORIFIC_NOUNS.items():
        at = word.find(honorific)
        if at >= 0:
            rest = word[at + len(honorific) :]
            for plain in plains:
                yield word[:at] + plain + _refit(plain, rest)
    at = word.find("님", 1)
    if at > 0:  # 선생님이 → 선생이
        yield word[:at] + _refit(word[:at], word[at + 1 :])
    for honorific, plains in _HONORIFIC_PARTICLES:
        noun, found, rest = word.rpartition(honorific)
        if found and noun and not rest:
            for plain in plains:
                yield noun + _refit(noun, plain)
    for humble, plain in _HUMBLE.items():
        if humble in word:
            yield word.replace(humble, plain, 1)


def _plain_stems(stem: str) -> set[str]:
    stems = {stem}
    for honorific, plains in _HONORIFIC_STEMS.items():
        if stem.endswith(honorific):
            stems |= {stem[: len(stem) - len(honorific)] + plain for plain in plains}
    if is_syllable(stem[-1]) and not final_of(stem[-1]):
        stems.add(stem[:-1] + with_final(stem[-1], "ㄹ"))  # ㄹ drops before 시: 사세요 ← 살다
    return stems


def _plain_verbs(word: str) -> Iterator[str]:
    """`word` without -(으)시- (가세요 → 가요, 읽으셨어요 → 읽었어요, 계세요 → 있어요)."""
    for at in range(1, len(word)):
        si, rest = word[at], word[at + 1 :]
        if si not in _SI:
            continue
        stem = word[:at]
        stems = {stem}
        if stem.endswith("으") and len(stem) > 1:  # 읽으세요: 으 belongs to -(으)시-
            stems.add(stem[:-1])
        for plain in {p for s in stems if is_syllable(s[-1]) for p in _plain_stems(s)}:
            yield from _conjugate(plain, si, rest)


def _conjugate(stem: str, si: str, rest: str) -> Iterator[str]:
    """The plain word for a stem whose honorific form had `si` followed by `rest`."""
    last, final = stem[-1], final_of(stem[-1])
    if (si == "세" and rest.startswith("요")) or si == "셔":  # 시 + 어
        yield from (form + rest for form in _infinitives(stem))
    elif si == "셨":  # 시 + 었
        yield from (_with_past(form) + rest for form in _infinitives(stem))
    elif si == "십" and rest.startswith("니"):  # 시 + ㅂ니다
        yield _formal(stem) + rest
    elif si in ("실", "신"):  # 시 + ㄹ / ㄴ
        ending = "ㄹ" if si == "실" else "ㄴ"
        if final in ("", "ㄹ"):
            yield stem[:-1] + with_final(last, ending) + rest
        else:
            yield stem + ("을" if si == "실" else "은") + rest
            if si == "신":
                yield stem + "는" + rest  # 있는, 없는
    elif si == "시":
        yield stem + rest
        if final not in ("", "ㄹ"):
            yield stem + "으" + rest  # 읽으시면 → 읽으면


def _closure(word: str, rules: Iterable[Callable[[str], Iterator[str]]]) -> set[str]:
    """Every form reached from `word` by applying the rules again and again (bounded)."""
    rules = tuple(rules)
    seen, frontier = {word}, [word]
    while frontier and len(seen) < _MAX_VARIANTS:
        current = frontier.pop()
        for rule in rules:
            for form in rule(current):
                if form not in seen:
                    seen.add(form)
                    frontier.append(form)
    return seen - {word}


def _word_spans(wrote: Sequence[str], wanted: Sequence[str]) -> str:
    changed = [i for i, (w, e) in enumerate(zip(wrote, wanted, strict=True)) if w != e]
    first, last = changed[0], changed[-1] + 1
    return f"{' '.join(wrote[first:last])}{ARROW}{' '.join(wanted[first:last])}"


def _matching(
    attempt: _Answer, words: Sequence[str], options: Sequence[set[str]]
) -> tuple[str, ...] | None:
    """The sentence, each word kept or swapped for one of its options, that she typed."""
    target = attempt.compact
    choices = [
        [word, *sorted(alternatives)] for word, alternatives in zip(words, options, strict=True)
    ]
    dead_ends: set[tuple[int, int]] = set()  # (word, position) known not to lead to a match

    def walk(index: int, position: int) -> tuple[str, ...] | None:
        if index == len(choices):
            return () if position == len(target) else None
        if (index, position) in dead_ends:
            return None
        for choice in choices[index]:
            if target.startswith(choice, position):
                rest = walk(index + 1, position + len(choice))
                if rest is not None:
                    return (choice, *rest)
        dead_ends.add((index, position))
        return None

    # Walking the text she typed word by word stays linear where trying every sentence would not.
    sentence = walk(0, 0)
    return sentence if sentence != tuple(words) else None


def _honorific(attempt: _Answer, answer: _Answer) -> str | None:
    options = [_closure(_core(word), (_plain_nouns, _plain_verbs)) for word in answer.words]
    tails = [_tail(word) for word in answer.words]
    options = [{form + tail for form in forms} for forms, tail in zip(options, tails, strict=True)]
    if not any(options):
        return None
    sentence = _matching(attempt, answer.words, options)
    return _word_spans(sentence, answer.words) if sentence else None


def _core(word: str) -> str:
    return word.rstrip(_FINAL_PUNCTUATION)


def _tail(word: str) -> str:
    return word[len(_core(word)) :]


# --- registers ------------------------------------------------------------------------------

_BANMAL_ENDINGS = frozenset({"야", "지", "게", "까", "네", "자", "래"})
_BANMAL_VOWELS = frozenset("ㅏㅓㅐㅕㅘㅝㅙ")


def _copula_noun(word: str, ending: str) -> str | None:
    noun = word[: len(word) - len(ending)]
    return noun if word.endswith(ending) and noun and is_syllable(noun[-1]) else None


_Registers = tuple[Register, dict[Register, set[str]]]


def _register(word: str) -> _Registers | None:
    """The register of a sentence-final word and the same word in the other registers."""
    if not word or not is_syllable(word[-1]):
        return None
    if word.endswith(("니다", "니까")) and len(word) >= 3:
        return Register.HAMNIDA, _from_hamnida(word[:-2])
    if word.endswith("요") and len(word) >= 2:
        return Register.HAEYO, _from_haeyo(word[:-1])
    _, medial, final = decompose(word[-1])
    if word[-1] in _BANMAL_ENDINGS or (medial in _BANMAL_VOWELS and not final):
        return Register.BANMAL, _from_banmal(word)
    return None


def _formal_forms(base: str) -> set[str]:
    # Statement or question alike: what is asked is the register, not the mood.
    return {base + "니다", base + "니까"}


def _from_hamnida(base: str) -> dict[Register, set[str]]:
    last = base[-1]
    stems: set[str] = set()
    if base.endswith("습") and len(base) > 1:
        stems.add(base[:-1])
    elif is_syllable(last) and final_of(last) == "ㅂ":
        stems |= {base[:-1] + with_final(last, ""), base[:-1] + with_final(last, "ㄹ")}
    haeyo: set[str] = set()
    banmal: set[str] = set()
    for stem in stems:
        noun = _copula_noun(stem, "이")
        if stem.endswith("아니"):
            haeyo.add(stem + "에요")
            banmal.add(stem + "야")
        elif stem.endswith("시"):  # 가십니다 → 가세요, 가셔
            haeyo.add(stem[:-1] + "세요")
            banmal.add(stem[:-1] + "셔")
        if noun is not None:  # 학생입니다 → 학생이에요, 학생이야
            haeyo.add(noun + ("이에요" if has_batchim(noun) else "예요"))
            banmal.add(noun + ("이야" if has_batchim(noun) else "야"))
        for form in _infinitives(stem):
            haeyo.add(form + "요")
            banmal.add(form)
    return {Register.HAEYO: haeyo, Register.BANMAL: banmal}


def _from_haeyo(base: str) -> dict[Register, set[str]]:
    banmal: set[str] = set()
    hamnida: set[str] = set()
    copula = next(
        (noun for ending in ("이에", "예") if (noun := _copula_noun(base, ending)) is not None),
        None,
    )
    if base.endswith("아니에"):
        banmal.add(base[:-1] + "야")
        hamnida |= _formal_forms(base[:-2] + "닙")
    elif copula is not None:
        banmal.add(copula + ("이야" if base.endswith("이에") else "야"))
        hamnida |= _formal_forms(copula + "입")
    elif base.endswith("세"):  # 가세요 → 가셔, 가십니다
        banmal.add(base[:-1] + "셔")
        hamnida |= _formal_forms(base[:-1] + "십")
    else:
        banmal.add(base)
        for stem in _stems(base):
            hamnida |= _formal_forms(_formal(stem))
    return {Register.BANMAL: banmal, Register.HAMNIDA: hamnida}


def _from_banmal(word: str) -> dict[Register, set[str]]:
    if word.endswith("아니야"):
        return {
            Register.HAEYO: {word[:-1] + "에요"},
            Register.HAMNIDA: _formal_forms(word[:-2] + "닙"),
        }
    for ending, polite in (("이야", "이에요"), ("야", "예요")):
        noun = _copula_noun(word, ending)
        if noun is not None and has_batchim(noun) == (ending == "이야"):
            return {
                Register.HAEYO: {noun + polite},
                Register.HAMNIDA: _formal_forms(noun + "입"),
            }
    hamnida: set[str] = set()
    for stem in _stems(word):
        hamnida |= _formal_forms(_formal(stem))
    return {Register.HAEYO: {word + "요"}, Register.HAMNIDA: hamnida}


def _politeness(attempt: _Answer, answer: _Answer) -> str | None:
    words = answer.words
    # Only a sentence's last word carries its register.
    found: list[_Registers | None] = [
        _register(_core(word))
        if i == len(words) - 1 or any(mark in _tail(word) for mark in _SENTENCE_END)
        else None
        for i, word in enumerate(words)
    ]
    for target in Register:
        options = [
            {form + _tail(word) for form in registers[1].get(target, set())} if registers else set()
            for word, registers in zip(words, found, strict=True)
        ]
        if not any(options):
            continue
        sentence = _matching(attempt, words, options)
        if sentence is not None:
            changed = zip(found, sentence, words, strict=True)
            own = next(registers[0] for registers, w, e in changed if registers and w != e)
            return f"{target}{ARROW}{own}"
    return None


# --- typos ----------------------------------------------------------------------------------


def _typo(attempt: _Answer, answer: _Answer) -> str | None:
    # Distance 0 with different text means letters typed but never composed (ㅎㅏㄴ for 한).
    if jamo_distance(attempt.compact, answer.compact) <= 1:
        return _span(attempt.compact, answer.compact)
    return None


# The most specific kind wins; a one-jamo typo is what is left when nothing else explains it.
_FINDERS: tuple[tuple[NearMiss, Callable[[_Answer, _Answer], str | None]], ...] = (
    (NearMiss.WRONG_PARTICLE, _particle),
    (NearMiss.WRONG_BATCHIM, _batchim),
    (NearMiss.MISSING_HONORIFIC, _honorific),
    (NearMiss.POLITENESS, _politeness),
    (NearMiss.JAMO_TYPO, _typo),
)
