"""Spaced repetition: review cards, the review log, FSRS scheduling by replay, the daily queue.

The review log is the only truth. A card's state is a pure function of the union of its log
entries (whatever device wrote them, whatever order they arrived in), so two devices that hold
the same entries compute the same state, and any cached state can be thrown away and rebuilt.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Final, Protocol

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS

from app.domain.course import CourseId, Unit, UnitId, UnitRef

# -- what is reviewed ------------------------------------------------------------------------


class Facet(StrEnum):
    """Which side of an item a card asks for; one item gives one card per facet."""

    RECOGNIZE = "recognize"  # see the Korean word, recall its meaning
    LISTEN = "listen"  # hear the Korean word, recall its meaning
    PRODUCE = "produce"  # see the meaning, recall the Korean word
    READ = "read"  # see a Hangul letter, recall its sound


@dataclass(frozen=True, order=True)
class CardSpec:
    """What a card asks: one facet of one content item, addressed by stable content ids."""

    course: CourseId
    unit: UnitId
    item: str
    facet: Facet

    @property
    def card_id(self) -> str:
        """`course/unit/item:facet`; content ids never change meaning, so neither does this."""
        return f"{self.course}/{self.unit}/{self.item}:{self.facet}"

    @property
    def ref(self) -> UnitRef:
        """The unit the item belongs to."""
        return UnitRef(self.course, self.unit)

    @classmethod
    def parse(cls, card_id: str) -> CardSpec:
        """The spec a card id was made from; ValueError if it is not one."""
        path, sep, facet = card_id.rpartition(":")
        parts = path.split("/")
        if not sep or len(parts) != 3 or not all(parts):
            raise ValueError(f"not a card id: {card_id!r}")
        try:
            kind = Facet(facet)
        except ValueError:
            raise ValueError(f"not a card id: {card_id!r}") from None
        return cls(CourseId(parts[0]), UnitId(parts[1]), parts[2], kind)


# Production is asked last: a word is recognised before it can be recalled, and the learn-new
# limit then introduces the easier facets of a unit's words first.
VOCABULARY_FACETS: Final = (Facet.RECOGNIZE, Facet.LISTEN, Facet.PRODUCE)


def cards_for_unit(unit: Unit) -> list[CardSpec]:
    """Cards for what a unit teaches: Hangul letters (read) and vocabulary (three facets)."""
    # Grammar examples, dialogue lines and vocabulary example sentences are left out on purpose:
    # examples carry no id of their own (only a position in a tuple), so a card for one would be
    # orphaned or silently change meaning when an author reorders or edits them. Sentences are
    # practised by the unit's exercises; cards hold what has a stable id.
    ref = unit.ref
    specs = [CardSpec(ref.course, ref.unit, letter.id, Facet.READ) for letter in unit.letters]
    for facet in VOCABULARY_FACETS:
        specs.extend(CardSpec(ref.course, ref.unit, item.id, facet) for item in unit.vocabulary)
    return specs


# -- the review log --------------------------------------------------------------------------


class Rating(IntEnum):
    """The learner's answer to a card, with FSRS's numbering (1-4)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def rating_for(correct: bool) -> Rating:
    """The rating an exercise result stands for: wrong is Again, right is Good."""
    # Hard and Easy are never guessed from an exercise: speed or hesitation says more about the
    # phone and the keyboard than about memory, and a wrong guess distorts FSRS's difficulty.
    # Only the learner's own button press gives Hard or Easy.
    return Rating.GOOD if correct else Rating.AGAIN


LogKey = tuple[datetime, str, str]  # (reviewed_at, device_id, id): the one replay order


@dataclass(frozen=True)
class ReviewLogEntry:
    """One review of one card on one device; entries are never changed once written."""

    id: str  # a UUID made by the device that reviewed
    card_id: str
    rating: Rating
    reviewed_at: datetime  # timezone-aware
    device_id: str
    duration_ms: int | None = None

    def __post_init__(self) -> None:
        if self.reviewed_at.tzinfo is None or self.reviewed_at.utcoffset() is None:
            raise ValueError("reviewed_at must be timezone-aware")
        if not self.id or not self.device_id:
            raise ValueError("a review log entry needs an id and a device id")
        if self.duration_ms is not None and self.duration_ms < 0:
            raise ValueError("duration_ms cannot be negative")
        # Accept a plain 1-4 from storage or the wire, refuse anything else.
        object.__setattr__(self, "rating", Rating(self.rating))

    @property
    def key(self) -> LogKey:
        """Position in the replay order; ties in time are broken by device, then id."""
        return (self.reviewed_at, self.device_id, self.id)


# -- card state ------------------------------------------------------------------------------


class Phase(StrEnum):
    NEW = "new"  # never reviewed
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


@dataclass(frozen=True)
class Memory:
    """What the scheduler knows about one card: all it needs to schedule the next review."""

    phase: Phase = Phase.NEW
    step: int | None = None  # learning / relearning step, None otherwise
    stability: float | None = None  # days until recall probability falls to 90%
    difficulty: float | None = None  # 1 (easy) .. 10 (hard)
    due: datetime | None = None  # None while new
    last_review: datetime | None = None


NEW_MEMORY: Final = Memory()


@dataclass(frozen=True)
class CardState:
    """A card's state as replayed from its log: scheduler memory plus counts."""

    card_id: str
    memory: Memory = NEW_MEMORY
    first_review: datetime | None = None
    reps: int = 0
    lapses: int = 0  # times a card in review was forgotten (Again)
    last_key: LogKey | None = None  # the last entry applied, to tell a late entry from a new one

    @property
    def phase(self) -> Phase:
        return self.memory.phase

    @property
    def due(self) -> datetime | None:
        return self.memory.due

    @property
    def last_review(self) -> datetime | None:
        return self.memory.last_review

    @property
    def is_new(self) -> bool:
        return self.memory.phase is Phase.NEW

    def is_due(self, now: datetime) -> bool:
        """True when the card has been seen and its next review time has come."""
        return self.memory.due is not None and self.memory.due <= now


@dataclass(frozen=True)
class ReviewCard:
    """A card as the review screen needs it: what to ask (spec) and where it stands (state)."""

    spec: CardSpec
    state: CardState

    @property
    def card_id(self) -> str:
        return self.spec.card_id

    @classmethod
    def of(cls, state: CardState) -> ReviewCard:
        """The card for a state; its spec is read back from the card id."""
        return cls(CardSpec.parse(state.card_id), state)


# -- scheduling ------------------------------------------------------------------------------


class Scheduler(Protocol):
    """The scheduling algorithm; must be a pure function of its arguments for replay to hold."""

    def review(self, memory: Memory, rating: Rating, at: datetime) -> Memory:
        """The card's memory after a review with `rating` at `at`."""
        ...

    def retrievability(self, memory: Memory, at: datetime) -> float:
        """Predicted probability (0-1) that the card is recalled at `at`."""
        ...


_TO_FSRS: Final = {
    Phase.NEW: fsrs.State.Learning,  # fsrs 6 has no New state: a new card is Learning step 0
    Phase.LEARNING: fsrs.State.Learning,
    Phase.REVIEW: fsrs.State.Review,
    Phase.RELEARNING: fsrs.State.Relearning,
}
_FROM_FSRS: Final = {
    fsrs.State.Learning: Phase.LEARNING,
    fsrs.State.Review: Phase.REVIEW,
    fsrs.State.Relearning: Phase.RELEARNING,
}


class FsrsScheduler:
    """FSRS-6 (py-fsrs) behind the Scheduler port."""

    def __init__(
        self,
        desired_retention: float = 0.9,
        parameters: Sequence[float] | None = None,
        maximum_interval_days: int = 36500,
    ) -> None:
        # Fuzzing is off because it draws from the global `random` module: the same log replayed
        # twice (after a rebuild, or on the learner's other device) would get different due
        # dates, and "state = replay(log)" would no longer hold. Any spreading of due dates must
        # come from the log itself, never from hidden randomness.
        self._fsrs = fsrs.Scheduler(
            parameters=DEFAULT_PARAMETERS if parameters is None else tuple(parameters),
            desired_retention=desired_retention,
            maximum_interval=maximum_interval_days,
            enable_fuzzing=False,
        )

    def review(self, memory: Memory, rating: Rating, at: datetime) -> Memory:
        """The card's memory after a review with `rating` at `at`."""
        at = _utc(at)  # py-fsrs refuses any zone but UTC
        card, _log = self._fsrs.review_card(_card(memory, at), fsrs.Rating(int(rating)), at)
        return Memory(
            phase=_FROM_FSRS[card.state],
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )

    def retrievability(self, memory: Memory, at: datetime) -> float:
        """Predicted probability (0-1) that the card is recalled at `at`."""
        if memory.phase is Phase.NEW:
            return 0.0
        return float(self._fsrs.get_card_retrievability(_card(memory, _utc(at)), _utc(at)))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC)


def _card(memory: Memory, at: datetime) -> fsrs.Card:
    # card_id and due are always given: py-fsrs would otherwise read the clock (and sleep 1 ms).
    return fsrs.Card(
        card_id=0,
        state=_TO_FSRS[memory.phase],
        step=0 if memory.phase is Phase.NEW else memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due if memory.due is not None else at,
        last_review=memory.last_review,
    )


DEFAULT_SCHEDULER: Final[Scheduler] = FsrsScheduler()


def new_state(card_id: str) -> CardState:
    """The state of a card nobody has reviewed yet."""
    return CardState(card_id)


def apply_review(
    state: CardState, entry: ReviewLogEntry, scheduler: Scheduler = DEFAULT_SCHEDULER
) -> CardState:
    """The state after one more review; the entry must come after every entry already applied."""
    if entry.card_id != state.card_id:
        raise ValueError(f"entry for {entry.card_id} applied to {state.card_id}")
    if state.last_key is not None and entry.key <= state.last_key:
        # An entry that sorts earlier (a late sync from another device) changes history:
        # the caller must replay the whole log instead.
        raise ValueError(f"{entry.id} sorts before the last applied entry; replay instead")
    memory = scheduler.review(state.memory, entry.rating, entry.reviewed_at)
    lapsed = state.memory.phase is Phase.REVIEW and entry.rating is Rating.AGAIN
    return replace(
        state,
        memory=memory,
        first_review=state.first_review or _utc(entry.reviewed_at),
        reps=state.reps + 1,
        lapses=state.lapses + int(lapsed),
        last_key=entry.key,
    )


def union(logs: Iterable[ReviewLogEntry]) -> list[ReviewLogEntry]:
    """Entries without duplicates, in replay order (reviewed_at, device_id, id)."""
    chosen: dict[str, ReviewLogEntry] = {}
    for entry in logs:
        known = chosen.get(entry.id)
        # The same id twice is the same entry seen twice; should the copies ever differ, the
        # smaller one wins so the result still does not depend on arrival order.
        if known is None or _total_key(entry) < _total_key(known):
            chosen[entry.id] = entry
    return sorted(chosen.values(), key=_total_key)


def _total_key(entry: ReviewLogEntry) -> tuple[LogKey, str, int, int]:
    duration = -1 if entry.duration_ms is None else entry.duration_ms
    return (entry.key, entry.card_id, int(entry.rating), duration)


def replay(
    card_id: str, logs: Iterable[ReviewLogEntry], scheduler: Scheduler = DEFAULT_SCHEDULER
) -> CardState:
    """A card's state rebuilt from the log alone (entries of other cards are ignored)."""
    state = new_state(card_id)
    for entry in union(e for e in logs if e.card_id == card_id):
        state = apply_review(state, entry, scheduler)
    return state


# -- the daily queue, streak and goal --------------------------------------------------------


def due_queue(
    states: Iterable[CardState],
    now: datetime,
    limit: int,
    new_per_day: int,
    new_introduced_today: int,
) -> list[str]:
    """Card ids to review now: due cards by due time, then new cards up to today's new limit."""
    _utc(now)  # a naive clock is a bug; say so instead of failing on the first comparison
    if limit <= 0:
        return []
    due: list[tuple[datetime, str]] = []
    new: list[str] = []
    budget = max(0, new_per_day - new_introduced_today)
    for state in states:
        if state.memory.due is None:
            # New cards keep the order they were given in (the store's introduction order).
            if len(new) < budget:
                new.append(state.card_id)
        elif state.memory.due <= now:
            due.append((state.memory.due, state.card_id))
    # nsmallest keeps this O(n log limit): the queue is built from every card on each visit.
    first = [card_id for _due, card_id in heapq.nsmallest(limit, due)]
    return (first + new)[:limit]


def due_count(states: Iterable[CardState], now: datetime) -> int:
    """How many seen cards are due at `now` (new cards not counted)."""
    return sum(1 for state in states if state.is_due(now))


def introduced_today(states: Iterable[CardState], now: datetime) -> int:
    """How many cards had their first review on `now`'s calendar day (in `now`'s zone)."""
    today = now.date()
    zone = now.tzinfo
    return sum(
        1
        for state in states
        if state.first_review is not None and state.first_review.astimezone(zone).date() == today
    )


def streak(review_days: set[date], today: date) -> int:
    """Consecutive days with reviews up to today; a day not yet reviewed does not break it."""
    # Until today is over the learner can still keep the streak, so it then counts to yesterday.
    day = today if today in review_days else today - timedelta(days=1)
    count = 0
    while day in review_days:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class DailyGoal:
    target: int
    done: int

    @property
    def met(self) -> bool:
        return self.done >= self.target

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.done)

    @property
    def fraction(self) -> float:
        """0.0-1.0, for a progress bar."""
        return 1.0 if self.target <= 0 else min(1.0, self.done / self.target)


def daily_goal(reviews_today: int, target: int) -> DailyGoal:
    """Where today's reviews stand against the learner's daily goal."""
    if target < 0 or reviews_today < 0:
        raise ValueError("the goal and the count cannot be negative")
    return DailyGoal(target=target, done=reviews_today)
