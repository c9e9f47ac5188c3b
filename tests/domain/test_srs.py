"""Spaced repetition: cards from content, FSRS behind the port, replay of the log, the queue."""

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.course import Letter, VocabItem
from app.domain.srs import (
    DEFAULT_SCHEDULER,
    CardSpec,
    CardState,
    Facet,
    FsrsScheduler,
    Phase,
    Rating,
    ReviewCard,
    ReviewLogEntry,
    apply_review,
    cards_for_unit,
    daily_goal,
    due_count,
    due_queue,
    introduced_today,
    new_state,
    rating_for,
    replay,
    streak,
    union,
)
from tests.domain.factories import REF, gloss, tiny_unit

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KST = timezone(timedelta(hours=9))
CARD = "level1/u01/v01:recognize"


def entry(
    n: int, rating: int, at: datetime, device: str = "phone", card: str = CARD
) -> ReviewLogEntry:
    return ReviewLogEntry(f"00000000-0000-4000-8000-{n:012d}", card, Rating(rating), at, device)


def fold(entries: list[ReviewLogEntry]) -> CardState:
    """The state a device keeps by applying each review as it happens."""
    state = new_state(CARD)
    for e in sorted(entries, key=lambda e: e.key):
        state = apply_review(state, e)
    return state


# -- strategies ------------------------------------------------------------------------------

# Minutes after T0: mostly spread over three years, sometimes crowded into a few minutes so that
# equal times (broken by device, then id) and same-day short-term reviews are exercised too.
offsets = st.one_of(st.integers(0, 3), st.integers(0, 3 * 365 * 24 * 60))
devices = st.sampled_from(["phone", "pc", "tablet"])


@st.composite
def logs(draw: st.DrawFn, device: st.SearchStrategy[str] = devices) -> list[ReviewLogEntry]:
    """Review log entries of one card, ids unique, in the order they happen to arrive."""
    ids = draw(st.lists(st.uuids(), max_size=25, unique=True))
    return [
        ReviewLogEntry(
            str(uuid),
            CARD,
            draw(st.sampled_from(list(Rating))),
            T0 + timedelta(minutes=draw(offsets)),
            draw(device),
            draw(st.none() | st.integers(0, 120_000)),
        )
        for uuid in ids
    ]


# -- cards from content ----------------------------------------------------------------------


def unit_with_letters_and_words():
    letter = Letter("l-a", "ㅏ", "아", "a", gloss("a as in father"), gloss("a stroke"), ())
    words = tuple(
        VocabItem(vid, ko, "noun", gloss(en), gloss(""))
        for vid, ko, en in [("v01", "이름", "name"), ("v02", "나라", "country")]
    )
    return replace(tiny_unit(), letters=(letter,), vocabulary=words)


def test_cards_come_from_letters_and_vocabulary_with_stable_ids() -> None:
    ids = [spec.card_id for spec in cards_for_unit(unit_with_letters_and_words())]
    assert ids == [
        "level1/u01/l-a:read",
        "level1/u01/v01:recognize",
        "level1/u01/v02:recognize",
        "level1/u01/v01:listen",
        "level1/u01/v02:listen",
        "level1/u01/v01:produce",
        "level1/u01/v02:produce",
    ]


def test_a_unit_without_letters_or_words_gives_no_cards() -> None:
    assert cards_for_unit(tiny_unit()) == []


def test_a_card_id_parses_back_into_its_spec() -> None:
    spec = CardSpec(REF.course, REF.unit, "v01", Facet.PRODUCE)
    assert CardSpec.parse(spec.card_id) == spec
    assert spec.ref == REF
    assert ReviewCard.of(new_state(spec.card_id)).spec == spec


@pytest.mark.parametrize(
    "bad", ["", "level1/u01/v01", "level1/u01:recognize", "level1/u01/v01:write", "a/b/c/d:read"]
)
def test_a_malformed_card_id_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="card id"):
        CardSpec.parse(bad)


# -- ratings and log entries -----------------------------------------------------------------


@pytest.mark.parametrize(("correct", "rating"), [(False, Rating.AGAIN), (True, Rating.GOOD)])
def test_an_exercise_result_gives_again_or_good_only(correct: bool, rating: Rating) -> None:
    assert rating_for(correct) is rating


def test_a_log_entry_takes_a_plain_rating_and_refuses_bad_ones() -> None:
    assert entry(1, 3, T0).rating is Rating.GOOD
    with pytest.raises(ValueError):
        entry(1, 5, T0)
    with pytest.raises(ValueError, match="timezone"):
        entry(1, 3, datetime(2026, 12, 1, 9))


# -- the scheduler port and replay -----------------------------------------------------------


def test_first_good_review_starts_learning_and_schedules_ten_minutes_later() -> None:
    state = apply_review(new_state(CARD), entry(1, 3, T0))
    assert state.phase is Phase.LEARNING and state.due == T0 + timedelta(minutes=10)
    assert state.reps == 1 and state.first_review == T0 and state.lapses == 0


def test_forgetting_a_card_in_review_counts_a_lapse() -> None:
    state = fold([entry(1, 4, T0), entry(2, 1, T0 + timedelta(days=20))])
    assert state.phase is Phase.RELEARNING and state.lapses == 1


def test_an_entry_older_than_the_last_applied_one_asks_for_a_replay() -> None:
    state = apply_review(new_state(CARD), entry(2, 3, T0 + timedelta(days=1)))
    with pytest.raises(ValueError, match="replay"):
        apply_review(state, entry(1, 3, T0))
    with pytest.raises(ValueError, match="applied to"):
        apply_review(state, entry(3, 3, T0 + timedelta(days=2), card="level1/u01/v02:listen"))


def test_replay_does_not_depend_on_the_global_random_state() -> None:
    # Long intervals are where py-fsrs would fuzz; with fuzzing off the seed cannot matter.
    log = [entry(i, 4, T0 + timedelta(days=40 * i)) for i in range(6)]
    random.seed(1)
    first = replay(CARD, log)
    random.seed(2)
    assert replay(CARD, log) == first and first.memory.stability is not None


def test_replay_ignores_other_cards_and_duplicate_deliveries() -> None:
    mine = [entry(1, 3, T0), entry(2, 3, T0 + timedelta(days=1))]
    other = entry(3, 1, T0, card="level1/u01/v02:listen")
    assert replay(CARD, [*mine, other, *mine]) == fold(mine)


@given(logs())
def test_intervals_are_never_negative_and_due_never_before_the_review(log: list) -> None:
    state = new_state(CARD)
    for e in union(log):
        state = apply_review(state, e)
        assert state.due is not None and state.last_review is not None
        assert state.due >= e.reviewed_at
        assert state.due - state.last_review >= timedelta(0)
        assert state.memory.stability is not None and state.memory.stability > 0
        assert state.memory.difficulty is not None and 1 <= state.memory.difficulty <= 10
        assert 0 <= DEFAULT_SCHEDULER.retrievability(state.memory, state.due) <= 1


@given(logs())
def test_a_state_rebuilt_from_the_log_equals_the_incremental_state(log: list) -> None:
    assert replay(CARD, log) == fold(log)
    assert replay(CARD, log).reps == len(log)


@given(logs(), st.randoms(use_true_random=False))
def test_replay_does_not_depend_on_the_order_entries_arrive_in(
    log: list, rng: random.Random
) -> None:
    shuffled = list(log)
    rng.shuffle(shuffled)
    assert replay(CARD, shuffled) == replay(CARD, log)


@given(logs(st.just("phone")), logs(st.just("pc")), st.randoms(use_true_random=False))
def test_the_union_of_two_devices_logs_gives_one_state_whatever_the_merge_order(
    phone: list, pc: list, rng: random.Random
) -> None:
    expected = replay(CARD, phone + pc)
    assert replay(CARD, pc + phone) == expected
    assert replay(CARD, phone + pc + phone) == expected  # a batch delivered twice
    merged = phone + pc
    rng.shuffle(merged)
    assert replay(CARD, merged) == expected
    # Each device first replays its own log, then receives the other's: same result.
    assert replay(CARD, [*union(phone), *union(pc)]) == expected


@given(logs())
def test_the_time_zone_a_review_was_written_in_does_not_matter(log: list) -> None:
    in_seoul = [replace(e, reviewed_at=e.reviewed_at.astimezone(KST)) for e in log]
    assert replay(CARD, in_seoul) == replay(CARD, log)


def test_a_scheduler_with_higher_retention_reviews_sooner() -> None:
    log = [entry(1, 3, T0), entry(2, 3, T0 + timedelta(minutes=10))]
    strict = replay(CARD, log, FsrsScheduler(desired_retention=0.97))
    assert strict.due is not None and replay(CARD, log).due is not None
    assert strict.due < replay(CARD, log).due


# -- the daily queue -------------------------------------------------------------------------


def seen(card: str, due: datetime) -> CardState:
    state = apply_review(new_state(card), entry(1, 4, due - timedelta(days=8), card=card))
    return replace(state, memory=replace(state.memory, due=due))


NOW = T0 + timedelta(days=30)


def test_due_reviews_come_first_by_due_time_then_new_cards_up_to_the_daily_limit() -> None:
    states = [
        new_state("c/u/n1:recognize"),
        seen("c/u/late:recognize", NOW - timedelta(hours=1)),
        seen("c/u/future:recognize", NOW + timedelta(minutes=1)),
        new_state("c/u/n2:recognize"),
        seen("c/u/early:recognize", NOW - timedelta(days=2)),
        new_state("c/u/n3:recognize"),
    ]
    queue = due_queue(states, NOW, limit=50, new_per_day=5, new_introduced_today=3)
    assert queue == [
        "c/u/early:recognize",
        "c/u/late:recognize",
        "c/u/n1:recognize",
        "c/u/n2:recognize",
    ]
    assert due_queue(states, NOW, limit=3, new_per_day=5, new_introduced_today=0) == [
        "c/u/early:recognize",
        "c/u/late:recognize",
        "c/u/n1:recognize",
    ]
    assert due_queue(states, NOW, limit=50, new_per_day=5, new_introduced_today=9)[-1] == (
        "c/u/late:recognize"
    )
    assert due_queue(states, NOW, limit=0, new_per_day=5, new_introduced_today=0) == []
    assert due_count(states, NOW) == 2


def test_the_queue_refuses_a_naive_clock() -> None:
    with pytest.raises(ValueError, match="timezone"):
        due_queue([], datetime(2026, 12, 1), 10, 10, 0)


@given(
    st.lists(st.tuples(st.booleans(), st.integers(-5000, 5000)), max_size=40),
    st.integers(0, 30),
    st.integers(0, 20),
    st.integers(0, 20),
)
def test_the_queue_keeps_its_promises(cards: list, limit: int, per_day: int, today: int) -> None:
    states = [
        new_state(f"c/u/v{i}:listen")
        if is_new
        else seen(f"c/u/v{i}:listen", NOW + timedelta(minutes=m))
        for i, (is_new, m) in enumerate(cards)
    ]
    by_id = {s.card_id: s for s in states}
    queue = due_queue(states, NOW, limit, per_day, today)
    assert len(queue) == len(set(queue)) <= limit
    fresh = [c for c in queue if by_id[c].is_new]
    old = [c for c in queue if not by_id[c].is_new]
    assert queue == old + fresh
    assert len(fresh) <= max(0, per_day - today)
    assert all(by_id[c].is_due(NOW) for c in old)
    dues = [by_id[c].due for c in old]
    assert dues == sorted(dues)


def test_cards_introduced_today_are_counted_in_the_learners_day() -> None:
    late_evening = datetime(2026, 12, 1, 23, 30, tzinfo=KST)
    states = [
        apply_review(new_state("c/u/a:read"), entry(1, 3, late_evening, card="c/u/a:read")),
        apply_review(
            new_state("c/u/b:read"),
            entry(2, 3, late_evening + timedelta(hours=1), card="c/u/b:read"),
        ),
        new_state("c/u/c:read"),
    ]
    assert introduced_today(states, datetime(2026, 12, 1, 23, 59, tzinfo=KST)) == 1
    assert introduced_today(states, datetime(2026, 12, 2, 8, 0, tzinfo=KST)) == 1


# -- streak and daily goal -------------------------------------------------------------------

D = date(2026, 12, 10)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (set(), 0),
        ({D}, 1),
        ({D - timedelta(days=1)}, 1),  # today not reviewed yet: the streak is still alive
        ({D, D - timedelta(days=1), D - timedelta(days=2)}, 3),
        ({D, D - timedelta(days=1), D - timedelta(days=3)}, 2),
        ({D - timedelta(days=2)}, 0),  # yesterday was missed
        ({D + timedelta(days=1)}, 0),  # a day in the future (a wrong clock) counts nothing
    ],
)
def test_streak(days: set, expected: int) -> None:
    assert streak(days, D) == expected


def test_daily_goal() -> None:
    goal = daily_goal(reviews_today=12, target=20)
    assert not goal.met and goal.remaining == 8 and goal.fraction == pytest.approx(0.6)
    assert daily_goal(25, 20).met and daily_goal(25, 20).fraction == 1.0
    assert daily_goal(0, 0).met
    with pytest.raises(ValueError):
        daily_goal(1, -1)
