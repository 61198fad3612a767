"""Progress of long steps: a bar with counts and time left on a terminal, a few plain lines
in a log (CI), nothing for short steps."""

from __future__ import annotations

import io

from lifelong.build.progress import QUIET_BELOW, Progress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_a_bar_with_counts_and_time_left_is_redrawn_in_place() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress("Drawing catalogue pages", 10_000, stream=stream, interactive=True,
                        clock=clock)
    clock.now += 30
    progress.update(2_500)
    clock.now += 0.05  # too soon to draw again
    progress.update(2_600)
    clock.now += 90
    progress.update(10_000)
    progress.finish()
    frames = stream.getvalue().split("\r")[1:]
    assert frames[0] == ("Drawing catalogue pages [######..................] 2,500/10,000, "
                         "0:30 elapsed, about 1:30 left")
    assert all("2,600" not in frame for frame in frames)
    assert frames[-1] == "Drawing catalogue pages [########################] 10,000/10,000 in 2:00\n"


def test_in_a_log_a_line_at_each_quarter() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress("Reading entries", 4_000, stream=stream, interactive=False, clock=clock)
    for done in range(0, 4_001, 100):
        clock.now += 1
        progress.update(done)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines == [
        "Reading entries: 1,000/4,000 (25%), 0:11 elapsed, about 0:33 left",
        "Reading entries: 2,000/4,000 (50%), 0:21 elapsed, about 0:21 left",
        "Reading entries: 3,000/4,000 (75%), 0:31 elapsed, about 0:10 left",
        "Reading entries: 4,000/4,000 (100%) in 0:41",
    ]
    assert "\r" not in stream.getvalue()


def test_a_log_that_stops_early_still_ends_with_the_total() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress("Reading entries", 4_000, stream=stream, interactive=False, clock=clock)
    progress.update(1_500)
    clock.now += 3_725
    progress.finish()
    assert stream.getvalue().splitlines()[-1] == "Reading entries: 4,000/4,000 (100%) in 1:02:05"


def test_short_steps_say_nothing() -> None:
    for interactive in (True, False):
        stream = io.StringIO()
        progress = Progress("Drawing", QUIET_BELOW - 1, stream=stream, interactive=interactive)
        progress.update(QUIET_BELOW - 1)
        progress.finish()
        assert stream.getvalue() == ""
