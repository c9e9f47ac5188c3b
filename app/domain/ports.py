"""What the domain needs from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from app.domain.course import UnitRef
from app.domain.session import Attempt, UnitResult
from app.domain.srs import CardSpec, CardState, ReviewLogEntry


class Clock(Protocol):
    def __call__(self) -> datetime: ...


class ProgressStore(Protocol):
    def record_attempt(self, attempt: Attempt) -> None:
        """Keep one answer as soon as it is given, so a crash loses nothing."""

    def record_result(self, result: UnitResult) -> None:
        """Keep a finished unit's result."""

    def results(self) -> Sequence[UnitResult]:
        """Every unit result, oldest first."""

    def attempts(self, unit: UnitRef) -> Sequence[Attempt]:
        """Every attempt in a unit, oldest first."""


class SettingsStore(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class ReviewStore(Protocol):
    """Review cards and their append-only log; cached states are always rebuildable from it."""

    def ensure_cards(self, specs: Iterable[CardSpec], now: datetime) -> int:
        """Add the cards not known yet (introduced at `now`); returns how many were added."""

    def record_review(self, entry: ReviewLogEntry) -> CardState:
        """Append one review (once per id) and return the card's state after it."""

    def card_states(self) -> dict[str, CardState]:
        """Every card's state by card id, in the order the cards were introduced."""

    def review_logs(self, card_id: str | None = None) -> Sequence[ReviewLogEntry]:
        """Log entries (of one card, or all) in replay order."""

    def reviews_per_day(self, since: datetime) -> dict[date, int]:
        """Reviews per day (days in `since`'s time zone) from `since` on; empty days left out."""

    def rebuild_states(self) -> int:
        """Recompute every cached state from the log; returns how many cards were rebuilt."""
