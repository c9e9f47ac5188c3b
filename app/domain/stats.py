"""Progress statistics from the logs: reviews per day, retention, time studied, words known."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from itertools import pairwise

from app.domain.course import Course
from app.domain.srs import CardSpec, CardState, Facet, Phase, Rating, ReviewLogEntry

# Two actions further apart than this are not one sitting: the gap is not counted as study time.
SITTING_GAP = timedelta(minutes=5)


def last_days(today: date, days: int) -> list[date]:
    """The `days` calendar days ending today, oldest first."""
    return [today - timedelta(days=n) for n in range(days - 1, -1, -1)]


def per_day(moments: Iterable[datetime], today: date, days: int) -> list[tuple[date, int]]:
    """How many moments fall on each of the last `days` days (zeros included)."""
    counts = Counter(moment.date() for moment in moments)
    return [(day, counts.get(day, 0)) for day in last_days(today, days)]


def retention(logs: Iterable[ReviewLogEntry], since: datetime) -> float | None:
    """Share of reviews since `since`, after a card's first, that she remembered (not Again)."""
    by_card: dict[str, list[ReviewLogEntry]] = defaultdict(list)
    for entry in logs:
        by_card[entry.card_id].append(entry)
    remembered = total = 0
    for entries in by_card.values():
        for entry in sorted(entries, key=lambda e: e.key)[1:]:  # a first review is learning
            if entry.reviewed_at >= since:
                total += 1
                remembered += entry.rating is not Rating.AGAIN
    return remembered / total if total else None


def minutes_studied(moments: Iterable[datetime], today: date, days: int) -> list[tuple[date, int]]:
    """Minutes of study per day: the time between actions of the same sitting."""
    seconds: Counter[date] = Counter()
    ordered = sorted(moments)
    for before, after in pairwise(ordered):
        gap = after - before
        if gap <= SITTING_GAP:
            seconds[after.date()] += int(gap.total_seconds())
    return [(day, round(seconds.get(day, 0) / 60)) for day in last_days(today, days)]


def words_known(
    courses: Iterable[Course], states: Mapping[str, CardState]
) -> list[tuple[Course, int, int]]:
    """Per course: words whose recognition card has graduated to review, and all its words."""
    known: Counter[str] = Counter()
    for card_id, state in states.items():
        spec = CardSpec.parse(card_id)
        if spec.facet is Facet.RECOGNIZE and state.phase is Phase.REVIEW:
            known[spec.course] += 1
    return [
        (course, known.get(course.id, 0), sum(len(u.vocabulary) for u in course.units))
        for course in courses
    ]
