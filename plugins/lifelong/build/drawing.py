"""Drawing the catalogue's own pages into the site folder: in this process, or shared with
worker processes forked for the other cores (``DrawJob``, ``PageQueue``), writing each page
over its old bytes and removing the files of pages that are gone.

What a page shows is decided in ``lifelong.site.draw`` (``PageDrawer``); this module only
runs that, many pages at a time, and owns the files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import jinja2

from lifelong.build.cache import PageRecord
from lifelong.build.processes import (
    Link,
    Sharing,
    Worker,
    WorkFailed,
    WorkProblem,
    fork_context,
    forked,
)
from lifelong.site.draw import PageDrawer, PageToDraw, template_place
from lifelong.site.markup import BodyConverter


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` into ``path``, over the old bytes of an existing file: on ext4,
    truncating a file and writing it again costs about 13 times as much (0.18 against
    0.013 ms for a 30 KB page). A build cut short leaves such files half written, as
    truncating would; the page record does not vouch for them (PageRecord.begin)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)


def write_into(site_dir: Path, dest: str, data: bytes, folders: set[Path],
               source: str) -> None:
    """``write_file`` of ``site_dir / dest``, making its folder unless it is in ``folders``
    (the folders made so far); a failure names ``source`` (raises DrawError)."""
    path = site_dir / dest
    try:
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        write_file(path, data)
    except OSError as exc:  # a full disk, a folder that may not be written
        raise DrawError(f"{source}: could not write {exc.filename or path}: "
                        f"{exc.strerror or exc}") from None


class DrawError(Exception):
    """Drawing failed; the message names the page and what went wrong."""


def draw_pages(drawer: PageDrawer, pages: Sequence[PageToDraw], site_dir: Path,
               done: Callable[[int], None] = lambda n: None,
               converter: BodyConverter | None = None) -> None:
    """Draw and write ``pages``; ``done`` is told every so often how many are written."""
    converter = converter or drawer.converter()
    folders: set[Path] = set()
    for number, page in enumerate(pages, 1):
        try:
            html = drawer.draw(page, converter)
        except jinja2.TemplateError as exc:
            raise DrawError(f"{page.source}: the catalogue template failed: "
                            f"{template_place(exc)}{type(exc).__name__}: {exc}") from None
        write_into(site_dir, page.dest, html.encode("utf-8", "xmlcharrefreplace"), folders,
                   page.source)
        if number % 50 == 0:
            done(50)
    done(len(pages) % 50)


class PageQueue:
    """The pages a build draws, shared by its processes (made, and the pages posted, before
    workers are forked): every process takes a few pages at a time until none are left, so
    that none waits for another's share."""

    #: Pages taken at a time.
    CHUNK = 16

    def __init__(self, numbers: Sequence[int]) -> None:
        context = fork_context()
        self._numbers = context.RawArray("i", max(1, len(numbers)))
        self._numbers[:len(numbers)] = list(numbers)
        self.count = len(numbers)
        self._next = context.Value("i", 0)
        self._done = context.Value("q", 0)

    @property
    def done(self) -> int:
        return self._done.value

    def _take(self) -> range | None:
        with self._next.get_lock():
            start, count = self._next.value, self.count
            if start >= count:
                return None
            self._next.value = end = min(start + self.CHUNK, count)
        return range(start, end)

    def work(self, drawer: PageDrawer, site_dir: Path,
             progress: Callable[[int], None] = lambda n: None) -> None:
        """Draw pages until none are left (raises DrawError)."""
        converter = drawer.converter()
        pages, numbers = drawer.pages, self._numbers
        while (chunk := self._take()) is not None:
            draw_pages(drawer, [pages[numbers[i]] for i in chunk], site_dir,
                       converter=converter)
            with self._done.get_lock():
                self._done.value += len(chunk)
            progress(self._done.value)


def _draw_share(_link: Link, queue: PageQueue, drawer: PageDrawer, site_dir: Path) -> None:
    """In a worker: draw pages until none are left, then hand over the cards it drew, for
    the next builds."""
    try:
        queue.work(drawer, site_dir)
    except DrawError as exc:
        raise WorkProblem(str(exc)) from None
    drawer.site.hand_over_cards()


class DrawJob:
    """The pages of ``numbers`` (in ``PageDrawer.pages``) drawn by this process and, when
    there are many, by workers forked now (they inherit the drawer, its chrome included),
    as many as ``sharing`` gives for them while ``busy`` other processes of the build work.
    ``wait`` draws this process's share and raises DrawError if any share failed."""

    def __init__(self, drawer: PageDrawer, numbers: Sequence[int], site_dir: Path,
                 sharing: Sharing, busy: int = 0) -> None:
        self.drawer, self.site_dir = drawer, site_dir
        self.pages = [drawer.pages[number] for number in numbers]
        self.queue: PageQueue | None = None
        self.workers: list[Worker] = []
        extra = sharing.drawers(len(numbers), busy)
        if not extra:
            return
        self.queue = queue = PageQueue(numbers)
        self.workers = [forked(f"drawing pages {number}", _draw_share, queue, drawer, site_dir)
                        for number in range(extra)]

    def wait(self, progress: Callable[[int], None] = lambda n: None) -> None:
        queue = self.queue
        if queue is None:
            written = 0

            def done(count: int) -> None:
                nonlocal written
                written += count
                progress(written)
            draw_pages(self.drawer, self.pages, self.site_dir, done)
            return
        try:
            queue.work(self.drawer, self.site_dir, progress)
        except DrawError:
            self.cancel()
            raise
        # The last pages others took.
        while queue.done < queue.count and any(w.running() for w in self.workers):
            progress(queue.done)
            time.sleep(0.05)
        messages = []
        for worker in self.workers:
            try:
                worker.wait()
            except WorkFailed as exc:
                messages.append(str(exc))
        progress(queue.done)
        if messages or queue.done < queue.count:
            raise DrawError("\n".join(messages) or "drawing pages failed in another process; "
                            "see the messages above")

    def cancel(self) -> None:
        for worker in self.workers:
            worker.cancel()


def write_published(site_dir: Path, files: Iterable[tuple[str, bytes | None]],
                    record: PageRecord, memo: PublishedFiles | None = None
                    ) -> dict[str, str]:
    """Write the files a build publishes beside its pages (feeds, calendars, OPDS, data),
    streamed (together they are a fifth of the site), each only when its bytes differ from
    what the last build recorded or it is missing; return its digest by address, for the
    record. A file given as None is one the ``memo`` vouched for: as the last build wrote
    it; the memo is told the digest of every file."""
    made: dict[str, str] = {}
    previous, root = record.previous, str(site_dir)
    folders: set[Path] = set()
    waiting: list[tuple[str, bytes]] = []
    size = 0

    def flush() -> None:
        nonlocal size
        record.begin(dest for dest, _ in waiting)
        for dest, data in waiting:
            write_into(site_dir, dest, data, folders, dest)
        waiting.clear()
        size = 0
    for dest, data in files:
        if data is None:
            made[dest] = previous[dest]
            if memo is not None:
                memo.written(dest, made[dest])
            continue
        digest = "=" + hashlib.blake2b(data, digest_size=12).hexdigest()
        made[dest] = digest
        if memo is not None:
            memo.written(dest, digest)
        if previous.get(dest) != digest or not os.path.isfile(f"{root}/{dest}"):
            waiting.append((dest, data))
            size += len(data)
            if size > 8 << 20:
                flush()
    flush()
    return made


class PublishedFiles(Protocol):
    """What ``write_published`` tells of the files it is given bytes of
    (``lifelong.build.published.PublishedMemo``)."""

    def written(self, path: str, digest: str) -> None: ...


def remove_stale(site_dir: Path, gone: Iterable[str]) -> int:
    """Delete files of the last build that this one does not make, and folders left empty."""
    removed = 0
    for dest in sorted(gone):
        path = site_dir / dest
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
        parent = path.parent
        while parent != site_dir and parent.is_relative_to(site_dir):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return removed


def empty_folder(folder: Path) -> int:
    """Remove everything in ``folder`` but its hidden entries (as a clean build leaves
    them); return how many entries were removed (0 when there is no such folder)."""
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        if name.startswith("."):
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed += 1
    return removed
