"""A one-line progress bar on stderr for long runs, only when stderr is a terminal.

A run has three stages, each shown as soon as it starts: finding the files, reading and summarising them (most of
the time of a cold run), then checking each against the whole program.
"""

from __future__ import annotations

import time
from typing import IO

MIN_FILES = 200  # shorter runs finish before a bar would tell the user anything
REDRAW_SECONDS = 0.1  # a terminal redrawn on every file slows the run down


class Progress:
    def __init__(self, stream: IO[str], enabled: bool = True):
        self.stream = stream
        self.terminal = enabled and stream.isatty()
        self.active = False
        self.total = self.done = 0
        self.started = time.monotonic()
        self.last_drawn = float("-inf")
        self.width = 0  # of the line on screen, so clearing covers all of it

    def found(self, count: int) -> None:
        """Discovery has found `count` files so far: a big tree shows it is being walked."""
        if self.terminal and count > MIN_FILES:
            self._throttled(f"finding files: {count:,}")

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self.active = total > MIN_FILES and self.terminal
        self.started = time.monotonic()
        if self.active:
            self._draw(f"checking {total:,} files")

    def summarised(self, count: int) -> None:
        """`count` files are read and summarised: the program is solved once all are."""
        if self.active:
            self._throttled(f"reading {count:,}/{self.total:,} files", final=count == self.total)

    def advance(self) -> None:
        self.done += 1
        if self.active:
            rate = self.done / max(time.monotonic() - self.started, 1e-3)
            self._throttled(f"checked {self.done:,}/{self.total:,} files ({rate:,.0f} files/s)",
                            final=self.done == self.total)

    def clear(self) -> None:
        """Before anything else is written to the terminal, and at the end of the run."""
        if self.width:
            self._draw("")
            self.last_drawn = float("-inf")  # the next file redraws the bar at once

    def _throttled(self, line: str, final: bool = False) -> None:
        now = time.monotonic()
        if final or now - self.last_drawn >= REDRAW_SECONDS:
            self.last_drawn = now
            self._draw(line)

    def _draw(self, line: str) -> None:
        self.stream.write("\r" + line.ljust(self.width) + ("\r" if not line else ""))
        self.stream.flush()
        self.width = len(line)
