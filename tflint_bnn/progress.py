"""A one-line progress bar on stderr for long runs, only when stderr is a terminal."""

from __future__ import annotations

import time
from typing import IO

MIN_FILES = 200  # shorter runs finish before a bar would tell the user anything
REDRAW_SECONDS = 0.1  # a terminal redrawn on every file slows the run down


class Progress:
    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.active = False
        self.total = self.done = 0
        self.started = time.monotonic()
        self.last_drawn = float("-inf")
        self.width = 0  # of the line on screen, so clearing covers all of it

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self.active = total > MIN_FILES and self.stream.isatty()
        self.started = time.monotonic()

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self.active and (now - self.last_drawn >= REDRAW_SECONDS or self.done == self.total):
            self.last_drawn = now
            rate = self.done / max(now - self.started, 1e-3)
            self._draw(f"checked {self.done:,}/{self.total:,} files ({rate:,.0f} files/s)")

    def clear(self) -> None:
        """Before anything else is written to the terminal, and at the end of the run."""
        if self.width:
            self._draw("")
            self.last_drawn = float("-inf")  # the next file redraws the bar at once

    def _draw(self, line: str) -> None:
        self.stream.write("\r" + line.ljust(self.width) + ("\r" if not line else ""))
        self.stream.flush()
        self.width = len(line)
