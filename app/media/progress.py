"""A text progress bar for long command-line runs."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Redraws one line on a terminal; prints a line every 10% when stderr is a file or pipe."""

    WIDTH = 30

    def __init__(self, label: str, stream: TextIO | None = None, min_total: int = 10) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.min_total = min_total  # short runs finish before a bar would help
        self.started = time.monotonic()
        self._last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_total:
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / done * (total - done) if done else 0.0
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"{self.label} [{bar}] {done}/{total}  {elapsed:.0f}s, ~{left:.0f}s left"
        if self.stream.isatty():
            end = "\n" if done == total else ""
            self.stream.write(f"\r{line}{end}")
        else:
            tenth = 10 * done // total
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(f"{line}\n")
        self.stream.flush()
