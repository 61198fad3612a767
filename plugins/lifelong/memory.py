"""How builds treat Python's cyclic garbage collector.

A build at full scale holds millions of small objects that live until it ends (entries,
pages, fingerprints). The collector would walk all of them again at every full collection,
which costs seconds per build, and its bookkeeping writes to every object it walks, which
unshares memory pages that forked workers inherited. So: no collection while those objects
are made, then they are frozen (never walked again); the next build in the same process
(``lifelong serve``) makes them collectable again first.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Make objects that live for the rest of the build: the collector pauses meanwhile, and
    everything alive at the end is frozen (even when the block raises: a frozen object is
    still freed when nothing refers to it)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def new_build() -> None:
    """What earlier builds froze is walked again, so that what they left behind in
    reference cycles can be collected."""
    gc.unfreeze()
