"""App state and the intents that change it. No Flet here: views render `state`, call intents.

Every intent ends by calling `on_change` so the shell re-renders; what the learner does is
written to the store before the screen changes, so closing the app never loses an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.content.loader import Library
from app.domain.assignments import Assignment
from app.domain.course import Course, Unit, UnitRef
from app.domain.exercises import (
    ArrangeExercise,
    ChoiceExercise,
    Exercise,
    ExerciseType,
    MatchExercise,
    TypeExercise,
)
from app.domain.grading import match_complete, match_pick
from app.domain.hangul_input import Composer
from app.domain.progress import UnitProgress, fold
from app.domain.session import Phase, StudySession, UnitResult, start_session
from app.domain.srs import (
    CardSpec,
    DailyGoal,
    Facet,
    Rating,
    ReviewLogEntry,
    cards_for_unit,
    daily_goal,
    due_queue,
    introduced_today,
    rating_for,
    streak,
)
from app.domain.srs import Phase as CardPhase
from app.domain.stats import minutes_studied, per_day, retention, words_known
from app.export import export_anki, export_csv, export_review_log_csv
from app.i18n.catalog import LANGUAGES, Translator, UnknownLanguage, load_translator
from app.media.library import AudioLibrary
from app.mt.base import MachineTranslation, MachineTranslationError, ModelInfo
from app.store.repository import DEVICE_KEY, SqlStore

if TYPE_CHECKING:  # the controller only calls them; the shell builds them
    from app.ui.syncing import Syncing
    from app.ui.tutoring import Tutoring

LANGUAGE_KEY = "ui_language"
TRANSLATION_KEY = "show_translation"
SLOW_AUDIO_KEY = "slow_audio"
KEYBOARD_KEY = "hangul_keyboard"
NEW_PER_DAY = 10  # new review cards a day: enough to grow, few enough not to drown in reviews
DAILY_GOAL = 20  # reviews a day
# Which review card an exercise about a word exercises.
EXERCISE_FACETS = {
    ExerciseType.MEANING: Facet.RECOGNIZE,
    ExerciseType.KOREAN: Facet.PRODUCE,
    ExerciseType.LISTEN: Facet.LISTEN,
}


class AudioClips(Protocol):
    """Where the built audio of a Korean text is, if it has been built."""

    def clip(self, text: str, slow: bool) -> str | None: ...


class Player(Protocol):
    """Plays one clip at a time; calls the controller's `clip_finished` when a clip ends."""

    def play(self, src: str) -> None: ...

    def stop(self) -> None: ...


class NoAudio:
    """No audio built on this device: every play button says so."""

    def clip(self, text: str, slow: bool) -> str | None:
        return None


class SilentPlayer:
    def play(self, src: str) -> None:
        pass

    def stop(self) -> None:
        pass


# An exercise's answer in progress, before she starts (all immutable, so safe to share).
NO_ANSWER: dict[str, object] = {
    "placed": (),
    "typed": "",
    "composer": Composer(),
    "match_picks": (),
    "match_left": None,
}


class Screen(StrEnum):
    LANGUAGE = "language"
    HOME = "home"
    COURSE = "course"
    UNIT = "unit"
    EXERCISE = "exercise"
    RESULT = "result"
    REVIEW = "review"
    PROGRESS = "progress"
    SETTINGS = "settings"
    CLASSES = "classes"  # a tutor's classes and their assignments


class Section(StrEnum):
    LETTERS = "letters"
    DIALOGUE = "dialogue"
    VOCABULARY = "vocabulary"
    GRAMMAR = "grammar"
    PRONUNCIATION = "pronunciation"
    CULTURE = "culture"
    FACTS = "facts"


def sections_of(unit: Unit) -> tuple[Section, ...]:
    """The study sections a unit has, in teaching order."""
    present = {
        Section.LETTERS: bool(unit.letters),
        Section.DIALOGUE: unit.dialogue is not None,
        Section.VOCABULARY: bool(unit.vocabulary),
        Section.GRAMMAR: bool(unit.grammar),
        Section.PRONUNCIATION: unit.pronunciation is not None,
        Section.CULTURE: unit.culture is not None,
        Section.FACTS: bool(unit.facts),
    }
    return tuple(s for s in Section if present[s])


@dataclass(frozen=True)
class AssignedUnit:
    """A tutor's assignment as Home shows it: the unit, if it is on this device, and her state."""

    assignment: Assignment
    unit: Unit | None  # None: the course or unit is not on this device
    done: bool  # she has completed the unit here
    overdue: bool  # past its due date and not done


@dataclass(frozen=True)
class ProgressReport:
    """What the progress screen shows, computed once when it opens."""

    reviews: list[tuple[date, int]]  # last 14 days
    minutes: list[tuple[date, int]]  # last 14 days
    retention: float | None  # last 30 days
    words: list[tuple[Course, int, int]]  # per course: known, total
    units: list[tuple[Unit, UnitProgress, float]]  # studied units: progress, share of cards learned


@dataclass(frozen=True)
class State:
    screen: Screen
    lang: str | None = None
    course_id: str | None = None
    unit_id: str | None = None
    section: Section | None = None
    show_translation: bool = True
    session: StudySession | None = None
    placed: tuple[int, ...] = ()  # arrange: tile indices (authored order) in answer order
    typed: str = ""
    result: UnitResult | None = None
    progress: dict[UnitRef, UnitProgress] = field(default_factory=dict)
    notice: str | None = None  # a problem to tell the learner about (e.g. a saved language)
    slow: bool = False  # play audio at 0.75x
    playing: str | None = None  # the Korean text whose clip is playing
    playlist: tuple[str, ...] = ()  # dialogue line ids still to play after the current one
    playing_line: str | None = None  # dialogue line being played (highlighted)
    keyboard: bool = False  # show the on-screen Hangul keyboard in typing exercises
    composer: Composer = field(default_factory=Composer)  # what the on-screen keyboard typed
    shift: bool = False
    review_queue: tuple[str, ...] = ()  # card ids still to review in this sitting
    revealed: bool = False  # the answer side of the current review card is showing
    reviewed: int = 0  # cards rated in this sitting
    report: ProgressReport | None = None
    exported: tuple[str, ...] = ()  # files written by the last export
    model_message: str | None = None  # Settings: what happened to the last model install/removal
    model_event: str | None = None  # "installed", "removed" or "failed"
    match_left: int | None = None  # match: the Korean word picked, waiting for its meaning
    match_picks: tuple[str, ...] = ()  # match: every pairing tried, right or wrong


class Controller:
    def __init__(
        self,
        library: Library,
        store: SqlStore,
        clock: Callable[[], datetime],
        new_id: Callable[[], str],
        seed: Callable[[], int],
        forced_language: str | None = None,
        audio: AudioClips | None = None,
        player: Player | None = None,
        export_dir: Path | None = None,
        syncing: Syncing | None = None,
        machine: MachineTranslation | None = None,
        tutoring: Tutoring | None = None,
    ) -> None:
        self.library = library
        self.syncing = syncing  # None: this app was built without sync
        self.tutoring = tutoring  # a tutor's classes and assignments (needs sync)
        self.machine = machine  # on-device translation models, if the engine is available
        self.store = store
        self.audio: AudioClips = audio or NoAudio()
        self.player: Player = player or SilentPlayer()
        self.clock = clock
        self.new_id = new_id
        self.seed = seed
        self.export_dir = export_dir or Path.home() / "SSOC Korean"
        self.on_change: Callable[[], None] = lambda: None
        device = store.get(DEVICE_KEY)
        if device is None:
            device = new_id()
            store.set(DEVICE_KEY, device)
        self.device_id = device
        self.translator = load_translator("en")
        saved = forced_language or store.get(LANGUAGE_KEY)
        # The language screen with her remembered settings; Home once a language is known.
        self.state = State(
            Screen.LANGUAGE,
            show_translation=store.get(TRANSLATION_KEY) != "0",
            progress=fold(store.results()),
            slow=store.get(SLOW_AUDIO_KEY) == "1",
            keyboard=store.get(KEYBOARD_KEY) == "1",
        )
        if saved is None:
            return
        try:
            self.translator = load_translator(saved)
        except UnknownLanguage:
            # A bad saved value must not lock her out: ask again, say why.
            self.state = replace(self.state, notice=saved)
            return
        self.state = replace(self.state, screen=Screen.HOME, lang=saved)

    # -- helpers ---------------------------------------------------------------------------

    def _set(self, **changes: object) -> None:
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self.on_change()

    @property
    def course(self) -> Course | None:
        cid = self.state.course_id
        return self.library.course(cid) if cid else None

    @property
    def unit(self) -> Unit | None:
        course = self.course
        uid = self.state.unit_id
        return course.unit(uid) if course and uid else None

    def progress_of(self, unit: Unit) -> UnitProgress | None:
        return self.state.progress.get(unit.ref)

    def next_unit(self) -> Unit | None:
        """The first unit not yet completed, across courses in order (where to continue)."""
        for course in self.library.courses:
            for unit in course.units:
                if unit.ref not in self.state.progress:
                    return unit
        return None

    # -- navigation ------------------------------------------------------------------------

    def choose_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise UnknownLanguage(lang)
        self.translator = load_translator(lang)
        self.store.set(LANGUAGE_KEY, lang)
        self._set(screen=Screen.HOME, lang=lang, notice=None)

    def open_language(self) -> None:
        self._set(screen=Screen.LANGUAGE, notice=None)

    def open_settings(self) -> None:
        self._set(screen=Screen.SETTINGS, notice=None, model_message=None)

    def change_language(self, lang: str) -> None:
        """Settings: switch the interface language now; remembered on this device."""
        if lang not in LANGUAGES:
            raise UnknownLanguage(lang)
        self.translator = load_translator(lang)
        self.store.set(LANGUAGE_KEY, lang)
        self._set(lang=lang, notice=None)

    # -- settings: sync ----------------------------------------------------------------------

    def sync_sign_in(self, server: str, username: str, password: str, register: bool) -> None:
        if self.syncing is not None:
            self.syncing.sign_in(server, username, password, register)

    def sync_agree(self) -> None:
        if self.syncing is not None:
            self.syncing.agree()

    def sync_now(self) -> None:
        if self.syncing is not None:
            self.syncing.sync_now()

    def sync_sign_out(self) -> None:
        if self.syncing is not None:
            self.syncing.sign_out()

    def progress_synced(self) -> bool:
        """A sync may have brought unit results from her other devices: take them into the
        progress Home shows. True when it changed (nothing is redrawn here)."""
        progress = fold(self.store.results())
        if progress == self.state.progress:
            return False
        self.state = replace(self.state, progress=progress)
        return True

    # -- tutor assignments -----------------------------------------------------------------

    def assigned_units(self) -> list[AssignedUnit]:
        """Her tutors' live assignments, soonest due first, with the units they name."""
        today = self.clock().astimezone().date()  # due dates are days where she lives
        found = []
        for assignment in self.store.assignments():
            try:
                unit: Unit | None = self.library.course(assignment.course_id).unit(
                    assignment.unit_id
                )
            except KeyError:
                unit = None
            done = assignment.unit in self.state.progress
            overdue = not done and assignment.overdue(today)
            found.append(AssignedUnit(assignment, unit, done, overdue))
        return found

    @property
    def is_tutor(self) -> bool:
        """Signed in as a tutor or an admin: the My classes screen is offered."""
        return self.tutoring is not None and self.tutoring.is_tutor

    def open_classes(self) -> None:
        if self.tutoring is None:
            return
        self._set(screen=Screen.CLASSES, notice=None)
        self.tutoring.load_classes()

    def library_changed(self, library: Library) -> None:
        """Newer course packs were installed: show them (the open unit, if gone, closes)."""
        self.library = library
        state = self.state
        try:
            if state.course_id and state.unit_id:
                library.course(state.course_id).unit(state.unit_id)
        except KeyError:
            self.go_home()
            return
        self.on_change()

    # -- settings: offline translation models ----------------------------------------------

    def translation_models(self) -> list[ModelInfo]:
        return self.machine.installed() if self.machine is not None else []

    def install_model(self, path: str) -> None:
        """Install an .argosmodel file from this computer (no network needed)."""
        if self.machine is None:
            return
        file = Path(path.strip().strip('"')).expanduser()
        try:
            if not file.is_file():
                raise MachineTranslationError(f"no file at {file}")
            info = self.machine.install(file)
        except (MachineTranslationError, OSError) as error:
            self._set(model_message=str(error), model_event="failed")
            return
        self._set(model_message=info.describe(), model_event="installed")

    def remove_model(self, name: str) -> None:
        if self.machine is None:
            return
        try:
            info = self.machine.remove(name)
        except MachineTranslationError as error:
            self._set(model_message=str(error), model_event="failed")
            return
        self._set(model_message=info.describe(), model_event="removed")

    def can_translate_on_device(self, lang: str) -> bool:
        if self.machine is None or lang in ("en", "ko"):
            return False
        try:
            return self.machine.can_translate("en", lang)
        except MachineTranslationError:
            return False

    def translate_on_device(self, english: str, lang: str) -> str | None:
        """A line with no translation in her language, translated here from English."""
        if not self.can_translate_on_device(lang):
            return None
        assert self.machine is not None
        try:
            return self.machine.translate(english, "en", lang)
        except MachineTranslationError:
            return None

    def go_home(self) -> None:
        self._set(screen=Screen.HOME, course_id=None, unit_id=None, session=None, result=None)

    def open_course(self, course_id: str) -> None:
        self.library.course(course_id)  # KeyError for an unknown course
        self._set(screen=Screen.COURSE, course_id=course_id, unit_id=None, session=None)

    def open_unit(self, course_id: str, unit_id: str) -> None:
        unit = self.library.course(course_id).unit(unit_id)
        first = sections_of(unit)[0] if sections_of(unit) else None
        self._set(
            screen=Screen.UNIT,
            course_id=course_id,
            unit_id=unit_id,
            section=first,
            session=None,
            result=None,
        )

    def open_section(self, section: Section) -> None:
        self._set(section=section)

    def back(self) -> None:
        screen = self.state.screen
        if screen in (Screen.EXERCISE, Screen.RESULT):
            self._set(
                screen=Screen.UNIT,
                session=None,
                result=None,
                **NO_ANSWER,
            )
        elif screen is Screen.UNIT:
            self._set(screen=Screen.COURSE, unit_id=None)
        elif screen in (Screen.REVIEW, Screen.PROGRESS, Screen.SETTINGS, Screen.CLASSES):
            self.go_home()
        elif screen is Screen.LANGUAGE and self.state.lang is None:
            return  # nothing to go back to before a language is chosen
        else:
            self.go_home()

    def toggle_translation(self) -> None:
        show = not self.state.show_translation
        self.store.set(TRANSLATION_KEY, "1" if show else "0")
        self._set(show_translation=show)

    # -- audio -----------------------------------------------------------------------------

    def clip(self, text: str) -> str | None:
        """The clip for `text` at the chosen speed, or None if it was not built."""
        return self.audio.clip(text, self.state.slow)

    def play(self, text: str) -> None:
        """Play the Korean `text` (a letter, word, example or line)."""
        src = self.clip(text)
        if src is None:
            return
        self.player.play(src)
        self._set(playing=text, playlist=(), playing_line=None)

    def play_dialogue(self) -> None:
        """Play every line of the dialogue in turn, highlighting the line being played."""
        unit = self.unit
        if unit is None or unit.dialogue is None:
            return
        lines = [line for line in unit.dialogue.lines if self.clip(line.text.ko or "")]
        if not lines:
            return
        self._start_line(lines[0].id, tuple(line.id for line in lines[1:]))

    def _start_line(self, line_id: str, rest: tuple[str, ...]) -> None:
        unit = self.unit
        assert unit is not None and unit.dialogue is not None
        line = next(x for x in unit.dialogue.lines if x.id == line_id)
        src = self.clip(line.text.ko or "")
        assert src is not None
        self.player.play(src)
        self._set(playing=line.text.ko, playlist=rest, playing_line=line_id)

    def clip_finished(self) -> None:
        """The player reports the end of a clip: go on with the dialogue, or stop."""
        if self.state.playlist and self.state.screen is Screen.UNIT:
            self._start_line(self.state.playlist[0], self.state.playlist[1:])
        else:
            self._set(playing=None, playlist=(), playing_line=None)

    def stop_audio(self) -> None:
        self.player.stop()
        self._set(playing=None, playlist=(), playing_line=None)

    def toggle_speed(self) -> None:
        """Switch between normal and slow (0.75x) audio; remembered on this device."""
        slow = not self.state.slow
        self.store.set(SLOW_AUDIO_KEY, "1" if slow else "0")
        self._set(slow=slow)

    # -- exercises -------------------------------------------------------------------------

    def start_exercises(self) -> None:
        unit = self.unit
        if unit is None:
            return
        session = start_session(unit, self.seed())
        self._set(
            screen=Screen.EXERCISE,
            session=session,
            **NO_ANSWER,
            result=None,
        )

    def _answer(self, response: int | tuple[str, ...] | str) -> None:
        session = self.state.session
        if session is None or session.phase is not Phase.ANSWERING:
            return
        session = session.answer(response, self.clock(), self.new_id())
        attempt = session.attempts[-1]
        self.store.record_attempt(attempt)
        exercise = session.exercises[attempt.exercise_id]
        facet = EXERCISE_FACETS.get(exercise.type)
        if (
            attempt.first_try
            and facet
            and isinstance(exercise, ChoiceExercise)
            and exercise.vocab_id
        ):
            # A first answer about a word is a review of that word's card.
            card = f"{session.unit.course}/{exercise.vocab_id}:{facet.value}"
            self._review(card, rating_for(attempt.correct), attempt.answered_at)
        self._set(session=session)

    def choose(self, index: int) -> None:
        """Answer a choice exercise with the choice at authored `index`."""
        if isinstance(self._current(), ChoiceExercise):
            self._answer(index)

    def place_tile(self, index: int) -> None:
        """Arrange: move tile `index` (authored order) from the bank to the answer."""
        exercise = self._current()
        if not isinstance(exercise, ArrangeExercise) or index in self.state.placed:
            return
        self._set(placed=(*self.state.placed, index))

    def remove_tile(self, index: int) -> None:
        """Arrange: send tile `index` back to the bank."""
        self._set(placed=tuple(i for i in self.state.placed if i != index))

    def pick_word(self, index: int) -> None:
        """Match: pick the Korean word `index` (authored order)."""
        if isinstance(self._current(), MatchExercise):
            self._set(match_left=index)

    def pick_meaning(self, index: int) -> None:
        """Match: pair the picked word with meaning `index`; all paired ends the exercise."""
        exercise = self._current()
        left = self.state.match_left
        if not isinstance(exercise, MatchExercise) or left is None:
            return
        picks = (*self.state.match_picks, match_pick(left, index))
        self._set(match_picks=picks, match_left=None)
        if match_complete(picks, len(exercise.pairs)):
            self._answer(picks)

    def type_text(self, text: str) -> None:
        # No re-render while typing: the text field owns its own cursor.
        self.state = replace(self.state, typed=text, composer=Composer(committed=text))

    # -- on-screen Hangul keyboard (for devices without a Korean keyboard) ------------------

    def toggle_keyboard(self) -> None:
        keyboard = not self.state.keyboard
        self.store.set(KEYBOARD_KEY, "1" if keyboard else "0")
        self._set(keyboard=keyboard, shift=False)

    def _compose(self, composer: Composer, *, shift: bool = False) -> None:
        self._set(composer=composer, typed=composer.text, shift=shift)

    def key(self, jamo: str) -> None:
        """A key of the on-screen keyboard: compose the jamo into the answer."""
        self._compose(self.state.composer.type(jamo))

    def backspace(self) -> None:
        self._compose(self.state.composer.backspace(), shift=self.state.shift)

    def space(self) -> None:
        self._compose(self.state.composer.space())

    def toggle_shift(self) -> None:
        self._set(shift=not self.state.shift)

    def check(self) -> None:
        """Submit the arranged tiles or the typed answer."""
        exercise = self._current()
        if isinstance(exercise, ArrangeExercise):
            if self.state.placed:
                self._answer(tuple(exercise.tiles[i] for i in self.state.placed))
        elif isinstance(exercise, TypeExercise) and self.state.typed.strip():
            self._answer(self.state.typed)

    def next(self) -> None:
        """Leave the feedback: next exercise, or the unit result when all are done."""
        session = self.state.session
        if session is None or session.phase is not Phase.FEEDBACK:
            return
        session = session.advance()
        if session.phase is Phase.FINISHED:
            now = self.clock()
            result = session.result(now, self.new_id())
            self.store.record_result(result)
            unit = self.unit
            if unit is not None:  # what she has studied becomes reviewable
                self.store.ensure_cards(cards_for_unit(unit), now)
            progress = fold(self.store.results())
            self._set(screen=Screen.RESULT, session=session, result=result, progress=progress)
        else:
            self._set(
                session=session,
                **NO_ANSWER,
            )

    # -- review (spaced repetition) ----------------------------------------------------------

    def _review(self, card_id: str, rating: Rating, at: datetime) -> None:
        entry = ReviewLogEntry(self.new_id(), card_id, rating, at, self.device_id)
        self.store.record_review(entry)

    def review_queue(self) -> tuple[str, ...]:
        """Today's queue: due cards first, then new ones up to the daily limit."""
        now = self.clock()
        # Only the states the queue can use (indexed by due date): fast at 50,000 cards.
        states = self.store.queue_states(now, limit=200, new_limit=NEW_PER_DAY).values()
        return tuple(
            due_queue(
                states,
                now,
                limit=200,
                new_per_day=NEW_PER_DAY,
                new_introduced_today=introduced_today(states, now),
            )
        )

    def goal(self) -> tuple[DailyGoal, int]:
        """Today's review goal and the streak of days with reviews."""
        now = self.clock()
        per_day = self.store.reviews_per_day(now - timedelta(days=400))
        today = now.date()
        return daily_goal(per_day.get(today, 0), DAILY_GOAL), streak(set(per_day), today)

    def open_review(self) -> None:
        self._set(
            screen=Screen.REVIEW, review_queue=self.review_queue(), revealed=False, reviewed=0
        )

    def reveal(self) -> None:
        self._set(revealed=True)

    def rate(self, rating: Rating) -> None:
        """Rate the current card and go to the next one."""
        queue = self.state.review_queue
        if not queue or not self.state.revealed:
            return
        self._review(queue[0], rating, self.clock())
        self._set(review_queue=queue[1:], revealed=False, reviewed=self.state.reviewed + 1)

    def card_content(self, card_id: str) -> tuple[CardSpec, Unit]:
        """The card's spec and the unit that teaches its item."""
        spec = CardSpec.parse(card_id)
        return spec, self.library.course(spec.course).unit(spec.unit)

    # -- progress -----------------------------------------------------------------------------

    def open_progress(self) -> None:
        self._set(screen=Screen.PROGRESS, report=self.progress_report(), exported=())

    def progress_report(self) -> ProgressReport:
        """Reviews, study time, retention, words known and unit mastery, from the logs."""
        now = self.clock()
        today = now.date()
        logs = self.store.review_logs()
        states = self.store.card_states()
        units = [
            unit
            for course in self.library.courses
            for unit in course.units
            if unit.ref in self.state.progress
        ]
        activity = [entry.reviewed_at for entry in logs]
        for unit in units:
            activity += [attempt.answered_at for attempt in self.store.attempts(unit.ref)]
        mastery = []
        for unit in units:
            ids = [spec.card_id for spec in cards_for_unit(unit)]
            learned = sum(1 for i in ids if i in states and states[i].phase is CardPhase.REVIEW)
            mastery.append(
                (unit, self.state.progress[unit.ref], learned / len(ids) if ids else 0.0)
            )
        return ProgressReport(
            reviews=per_day((entry.reviewed_at for entry in logs), today, 14),
            minutes=minutes_studied(activity, today, 14),
            retention=retention(logs, now - timedelta(days=30)),
            words=words_known(self.library.courses, states),
            units=mastery,
        )

    def export(self, folder: Path) -> None:
        """Write her words (Anki deck, CSV) and review history (CSV) into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        stamp = self.clock().strftime("%Y%m%d-%H%M")
        deck = folder / f"ssoc-korean-{stamp}.apkg"
        words = folder / f"ssoc-korean-words-{stamp}.csv"
        log = folder / f"ssoc-korean-reviews-{stamp}.csv"
        audio = self.audio if isinstance(self.audio, AudioLibrary) else None
        export_anki(self.library, self.store, deck, self.state.lang or "en", audio)
        export_csv(self.library, self.store, words)
        export_review_log_csv(self.store, log)
        self._set(exported=(str(deck), str(words), str(log)))

    def _current(self) -> Exercise | None:
        session = self.state.session
        return session.current if session is not None else None

    @property
    def t(self) -> Translator:
        return self.translator
