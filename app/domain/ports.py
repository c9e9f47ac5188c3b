"""What the domain needs from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from app.domain.course import UnitRef
from app.domain.session import Attempt, UnitResult


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
