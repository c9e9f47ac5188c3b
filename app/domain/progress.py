"""Progress per unit, folded from unit results: completion wins, the best score is kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.domain.course import UnitRef
from app.domain.session import UnitResult

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UnitProgress:
    unit: UnitRef
    completed_at: datetime | None  # first completion
    best_percent: int
    last_percent: int
    runs: int
    last_at: datetime | None = None  # when the last result was reached

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


def merge(a: UnitProgress, b: UnitProgress) -> UnitProgress:
    """Monotone merge of two views of one unit's progress (order does not matter)."""
    if a.unit != b.unit:
        raise ValueError(f"cannot merge {a.unit} with {b.unit}")
    completed = [t for t in (a.completed_at, b.completed_at) if t is not None]
    # The later result gives the last score; a tie takes the higher score so order never matters.
    latest = max(a, b, key=lambda p: (p.last_at or _NEVER, p.last_percent))
    return UnitProgress(
        unit=a.unit,
        completed_at=min(completed) if completed else None,
        best_percent=max(a.best_percent, b.best_percent),
        last_percent=latest.last_percent,
        runs=a.runs + b.runs,
        last_at=latest.last_at,
    )


def fold(results: Iterable[UnitResult]) -> dict[UnitRef, UnitProgress]:
    """Progress of every unit that has at least one result."""
    progress: dict[UnitRef, UnitProgress] = {}
    for result in sorted(results, key=lambda r: (r.finished_at, r.id)):
        single = UnitProgress(
            unit=result.unit,
            completed_at=result.finished_at,
            best_percent=result.percent,
            last_percent=result.percent,
            runs=1,
            last_at=result.finished_at,
        )
        known = progress.get(result.unit)
        progress[result.unit] = single if known is None else merge(known, single)
    return progress
