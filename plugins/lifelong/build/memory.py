"""How builds treat Python's cyclic garbage collector.

A build at full scale holds millions of small objects that live until it ends (entries,
pages, fingerprints). The collector would walk all of them again at every full collection,
which costs seconds per build, and its bookkeeping writes to every object it walks, which
unshares memory pages that forked workers inherited. So: no collection while those objects
are made, then they are frozen (never walked again); the next build in the same process
(``lifelong serve``) makes them collectable again first.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import itertools
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar, cast, overload

T = TypeVar("T")


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


def pack(value: object) -> bytes:
    """``value`` pickled and compressed (quickly): a compact copy to hand to another
    process or to keep aside (``unpack``)."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(data: bytes) -> object:
    """What ``pack`` was given."""
    return pickle.loads(zlib.decompress(data))


class PickledSequence(Sequence[T]):
    """A sequence kept as pickled chunks, compressed, unpickled a chunk at a time as it is
    read (the chunk last read is kept): a process given 90,000 documents this way holds a
    thousand of them as objects at once (and the rest in a thirtieth of their memory), and
    reads them in order, forwards or backwards, at the cost of unpickling each chunk once
    per pass."""

    def __init__(self, chunks: Sequence[bytes], size: int, chunk_size: int,
                 reverse: bool = False) -> None:
        if size and (len(chunks) != -(-size // chunk_size)):
            raise ValueError("the chunks do not hold that many items")
        self._chunks, self._size, self._chunk_size = chunks, size, chunk_size
        self._reverse = reverse
        self._loaded: tuple[int, list[T]] | None = None

    @classmethod
    def of(cls, items: Iterable[T], chunk_size: int = 1000) -> PickledSequence[T]:
        """``items`` (made one chunk at a time if they come from a generator)."""
        chunks, size, source = [], 0, iter(items)
        while chunk := list(itertools.islice(source, chunk_size)):
            chunks.append(pack(chunk))
            size += len(chunk)
        return cls(chunks, size, chunk_size)

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            if index == slice(None, None, -1):
                return PickledSequence(self._chunks, self._size, self._chunk_size,
                                       not self._reverse)
            return [self[i] for i in range(*index.indices(self._size))]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        if self._reverse:
            index = self._size - 1 - index
        number, at = divmod(index, self._chunk_size)
        loaded = self._loaded
        if loaded is None or loaded[0] != number:
            loaded = self._loaded = (number, cast(list[T], unpack(self._chunks[number])))
        return loaded[1][at]


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return the heap's free memory to the system (glibc's ``malloc_trim``), after large
    copies that lived a short while: otherwise the process keeps it to its end, counted in
    its memory although unused. Where there is no such call, nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
