from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.srs import Rating, ReviewLogEntry
from app.domain.stats import last_days, minutes_studied, per_day, retention

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def log(i: int, card: str, rating: Rating, at: datetime) -> ReviewLogEntry:
    return ReviewLogEntry(f"r{i}", card, rating, at, "device")


def test_last_days_end_today_oldest_first() -> None:
    assert last_days(date(2026, 11, 28), 3) == [
        date(2026, 11, 26),
        date(2026, 11, 27),
        date(2026, 11, 28),
    ]


def test_per_day_fills_empty_days_with_zero() -> None:
    moments = [T0, T0 + timedelta(minutes=1), T0 - timedelta(days=2)]
    assert per_day(moments, T0.date(), 3) == [
        (date(2026, 11, 26), 1),
        (date(2026, 11, 27), 0),
        (date(2026, 11, 28), 2),
    ]


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        pytest.param([Rating.GOOD], None, id="a first review is learning, not recall"),
        pytest.param([Rating.GOOD, Rating.GOOD, Rating.AGAIN], 0.5, id="one of two recalled"),
        pytest.param(
            [Rating.AGAIN, Rating.HARD, Rating.EASY], 1.0, id="hard still counts as remembered"
        ),
    ],
)
def test_retention(ratings: list[Rating], expected: float | None) -> None:
    logs = [log(i, "c/u/v1:recognize", r, T0 + timedelta(days=i)) for i, r in enumerate(ratings)]
    assert retention(logs, T0 - timedelta(days=30)) == expected


def test_retention_only_counts_the_window() -> None:
    logs = [log(0, "c", Rating.GOOD, T0), log(1, "c", Rating.AGAIN, T0 + timedelta(days=1))]
    assert retention(logs, T0 + timedelta(days=2)) is None


def test_minutes_studied_sums_gaps_within_a_sitting() -> None:
    sitting = [T0 + timedelta(minutes=m) for m in (0, 2, 4, 6)]  # 6 minutes
    later = [
        T0 + timedelta(hours=3),
        T0 + timedelta(hours=3, minutes=30),
    ]  # 30 min apart: two sittings
    assert minutes_studied(sitting + later, T0.date(), 1) == [(T0.date(), 6)]
