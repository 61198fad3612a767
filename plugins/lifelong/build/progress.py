"""Progress of long steps: a bar with counts and time left on a terminal, a few plain lines
in a log (CI), nothing for short steps."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: Steps shorter than this many items say nothing.
QUIET_BELOW = 2000


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}:{seconds:02d}" if minutes < 60 else \
        f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"


class Progress:
    """``update(done)`` as work goes on, ``finish()`` at the end. On a terminal the bar is
    redrawn at most ten times a second; otherwise a line is printed at each quarter."""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None,
                 interactive: bool | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label, self.total = label, total
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = (self.stream.isatty() if interactive is None else interactive)
        self.clock = clock
        self.started = clock()
        self.quiet = total < QUIET_BELOW
        self._drawn = 0.0
        self._next_quarter = 1
        self._done = 0

    def update(self, done: int) -> None:
        self._done = done
        if self.quiet:
            return
        now = self.clock()
        if self.interactive:
            if now - self._drawn >= 0.1 or done >= self.total:
                self._drawn = now
                self.stream.write("\r" + self.line(done, now))
                self.stream.flush()
        else:
            while self._next_quarter <= 4 and done * 4 >= self._next_quarter * self.total:
                self._next_quarter += 1
                self.stream.write(self.line(done, now) + "\n")
                self.stream.flush()

    def line(self, done: int, now: float) -> str:
        elapsed = now - self.started
        share = done / self.total if self.total else 1.0
        left = elapsed / share - elapsed if share > 0 else 0.0
        text = f"{self.label}: {done:,}/{self.total:,} ({share:.0%})"
        if self.interactive:
            width = 24
            full = int(share * width)
            text = f"{self.label} [{'#' * full}{'.' * (width - full)}] {done:,}/{self.total:,}"
        if done < self.total:
            return f"{text}, {_duration(elapsed)} elapsed, about {_duration(left)} left"
        return f"{text} in {_duration(elapsed)}"

    def finish(self) -> None:
        if self.quiet:
            return
        if self.interactive:
            self.update(self.total)
            self.stream.write("\n")
        elif self._next_quarter <= 4:
            self._next_quarter = 4
            self.update(self.total)
        self.stream.flush()
