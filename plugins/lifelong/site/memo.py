"""What the files published beside the pages (feeds, calendars, OPDS, data, the code index)
may ask of the last build, so that a rebuild makes again only what a change touched: a
protocol the build room implements and keeps (``lifelong.build.published``); nothing here
opens a file.

A memo serves one set of arguments: the build keeps one per site folder and drops it
whenever the code, the rules or the options change, so only the catalogue's entries differ
between the builds it serves. The functions that use it name in their keys everything of
the catalogue a file or a fragment shows (the entry's digest, and what it shows of other
entries: a teacher's name, a series' title); the bytes they make are the same with a memo
or without.

- Files: a function names the inputs of a file by a key. When the memo says the file is
  ``unchanged`` (the last build wrote it from the same key and it is still as written),
  the function yields ``(path, None)`` for it instead of its bytes, and does not make it;
  otherwise it tells the memo it ``made`` it, and yields its bytes.
- Fragments: an entry's part of the files it is in (its JSON line, its OPDS entry), by
  part, entry id and key: those of unchanged entries are joined again, not drawn again.
- Groups: all the files one function made, named by a key of all its inputs (the
  catalogue's version, which names every entry file and the rules): when nothing changed,
  none of them is made again, nor is a key of each worked out.
- Values: anything worked out from the catalogue that the next build may reuse, by name
  and key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

#: (address in the site, bytes), or None for a file the memo vouches for (unchanged).
Published = tuple[str, bytes | None]


class PublishMemo(Protocol):
    def unchanged(self, path: str, key: str) -> Any:
        """What ``made`` was told with ``path`` when the last build wrote it from inputs
        named by ``key``, if the file is still as written; else None (make it)."""

    def made(self, path: str, key: str, note: Any = True) -> None:
        """``path`` is made now from inputs named by ``key`` (its bytes are yielded next);
        ``note`` (not None) is what ``unchanged`` gives back for it."""

    def unchanged_group(self, name: str, key: str) -> Sequence[str] | None:
        """The files of group ``name`` (``made_group``) when the last build made them from
        inputs named by ``key``, if every one of them is still as written; else None."""

    def made_group(self, name: str, key: str, paths: Sequence[str]) -> None:
        """The files of group ``name`` made now from inputs named by ``key`` (told after
        their bytes were yielded)."""

    def fragment(self, part: str, name: str, key: str) -> bytes | None:
        """The fragment kept for ``name`` in ``part`` with this key, or None."""

    def fragment_sizes(self, part: str, names: Sequence[str], keys: Sequence[str | None]
                       ) -> list[int | None]:
        """The length of each of those fragments (without reading them), or None."""

    def keep_fragment(self, part: str, name: str, key: str, data: bytes) -> None:
        """Keep a fragment drawn now for the next build."""

    def recall(self, name: str, key: str) -> Any:
        """The value kept under ``name`` with this key, or None."""

    def keep(self, name: str, key: str, value: Any) -> None:
        """Keep a value for the next build."""


def key_of(parts: Iterable[str]) -> str:
    """One short key for many texts (keys of fragments, titles): a digest of them."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def kept_group(memo: PublishMemo | None, name: str, key: str | None
               ) -> Iterator[Published] | None:
    """``(path, None)`` for every file of group ``name`` if the memo vouches for them all;
    else None (make them, then ``made_group``)."""
    if memo is None or key is None:
        return None
    paths = memo.unchanged_group(name, key)
    return None if paths is None else ((path, None) for path in paths)


def group_made(files: Iterable[Published], memo: PublishMemo | None, name: str,
               key: str | None) -> Iterator[Published]:
    """``files``, then the memo told they are the files of group ``name``."""
    paths = []
    for path, data in files:
        paths.append(path)
        yield path, data
    if memo is not None and key is not None:
        memo.made_group(name, key, paths)


def memoised_group(memo: PublishMemo | None, name: str, key: str | None,
                   files: Iterable[Published]) -> Iterator[Published]:
    """The files of group ``name``: ``(path, None)`` for each when the memo vouches for them
    all under ``key`` (``files``, a generator, is then never run); else ``files``, the memo
    told afterwards that they are the group's (``kept_group``, ``group_made``)."""
    kept = kept_group(memo, name, key)
    return kept if kept is not None else group_made(files, memo, name, key)
