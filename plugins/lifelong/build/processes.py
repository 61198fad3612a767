"""Whether this system can fork, and the one way the build's processes are made by forking.

Forking is how the build shares the catalogue it loaded with the processes that read,
draw or work out fingerprints beside it (a forked process inherits it at no cost while it
only reads it). Where there is no fork (Windows, or a Python without it), every share of the
work is done in the build's own process, the same way, one after the other.
"""

from __future__ import annotations

import functools
import multiprocessing
from multiprocessing.context import ForkContext


@functools.cache
def can_fork() -> bool:
    """Whether processes can be forked here."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_context() -> ForkContext:
    """The multiprocessing context that forks (only when ``can_fork``)."""
    return multiprocessing.get_context("fork")
