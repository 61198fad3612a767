"""The build cache: what a previous build learnt, kept so that the next one redoes only what
changed. It lives outside the site (``<project>/.lifelong-cache/``), is safe to delete at
any time, and is ignored whole when it is unreadable or was written by other code or rules.

Three parts:

- ``EntryCache``: entry files already read and validated, reused while the file and every
  local file it links to keep their size and modification time.
- ``PageRecord``: the fingerprint of every page the catalogue drew last time, so that a
  rebuild draws only the pages whose inputs changed and deletes those that are gone.
- ``CardCache``: each entry's card as last drawn, so that a rebuild that redraws thousands
  of listings draws again only the cards of entries that changed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

#: Bump when the layout of what is pickled changes.
FORMAT = 3


#: Modules of the package that shape no page, index file or cache record: the commands'
#: wording, the sample generator and the new-project writer, the preview server, progress
#: bars, packing a copy, how memory is tuned. Editing them keeps every cache (a help string
#: used to redraw 200,000 pages). Everything else counts, new modules included.
NOT_SHAPING = ("cli/", "sample/", "catalogue/project.py", "mkdocs/serve.py",
               "build/progress.py", "build/memory.py", "offline/bundle.py", "offline/zim.py")


@functools.cache
def code_version() -> str:
    """A digest of the package's Python sources that shape what a build writes: a cache
    written by other code is stale. Read once per process: the code that runs is the code
    imported when it started."""
    return sources_digest(Path(__file__).parents[1])


def sources_digest(root: Path) -> str:
    """``code_version`` of the package in ``root``."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if not name.startswith(NOT_SHAPING):
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def site_cache(cache_dir: Path, site_dir: Path) -> Path:
    """The cache folder of one site folder (its record, search index state, up-to-date
    stamp) inside the project's cache folder."""
    return cache_dir / "sites" / hashlib.sha1(str(site_dir.resolve()).encode()).hexdigest()[:16]


def file_stamp(path: Path | str) -> tuple[int, int] | None:
    """(size, modification time in ns), or None when the file is missing."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


#: What this process last read or wrote, by file and stamp, when ``keep_in_memory`` says so:
#: ``lifelong serve`` rebuilds in one process, and then reads nothing back from disk.
_MEMORY: dict[str, tuple[tuple[int, int] | None, str, Any]] = {}
_KEEP = False


def keep_in_memory(keep: bool) -> None:
    """Whether cache files read or written are also kept in memory for the next build in
    this process (``lifelong serve``). A single build reads each file once: keeping them
    would only hold tens of megabytes at full scale until it ends."""
    global _KEEP
    _KEEP = keep
    if not keep:
        _MEMORY.clear()


def keeping_in_memory() -> bool:
    """Whether ``keep_in_memory`` is on (``lifelong serve``)."""
    return _KEEP


def kept_in_memory() -> dict[str, tuple[tuple[int, int] | None, str, Any]]:
    """What ``keep_in_memory`` holds now: (stamp, key, payload) by file (a copy)."""
    return dict(_MEMORY)


def _remember(path: Path, stamp: tuple[int, int] | None, key: str, payload: Any) -> None:
    if _KEEP:
        _MEMORY[str(path)] = (stamp, key, payload)


def _read(path: Path, key: str, *, remember: bool = True) -> Any:
    """The pickled payload saved under ``key``, or None when absent, corrupt or stale
    (``remember``: see ``_read_saved``)."""
    saved = _read_saved(path, remember=remember)
    return saved[1] if saved is not None and saved[0] == key else None


def _read_saved(path: Path, *, remember: bool = True) -> tuple[str, Any] | None:
    """(the key it was saved under, the payload), or None when absent or corrupt. Kept in
    memory when ``keep_in_memory`` says so, unless not to ``remember`` (a file read once and
    deleted)."""
    stamp = file_stamp(path)
    remembered = _MEMORY.get(str(path))
    if remembered is not None and stamp is not None and remembered[0] == stamp:
        return remembered[1], remembered[2]
    try:
        with path.open("rb") as handle:
            saved_key, payload = pickle.load(handle)
    except Exception:  # any unreadable cache is simply not used
        return None
    if remember:
        _remember(path, stamp, saved_key, payload)
    return saved_key, payload


def shard_number(name: str, shards: int) -> int:
    """Which of ``shards`` shards the record of ``name`` is kept in."""
    return zlib.crc32(name.encode()) % shards


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A file to write ``path`` with: a temporary file in its folder, renamed over ``path``
    when the block ends without an error (removed otherwise): an interrupted build leaves
    the old file or none, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` into ``path`` (``atomic_file``)."""
    with atomic_file(path) as handle:
        handle.write(data)


def _write(path: Path, key: str, payload: Any) -> None:
    """Keep ``payload`` under ``key`` in ``path`` (``atomic_file``), pickled as it is
    written: no copy of the whole pickle is held."""
    with atomic_file(path) as handle:
        pickle.dump((key, payload), handle, protocol=pickle.HIGHEST_PROTOCOL)
    _remember(path, file_stamp(path), key, payload)


class EntryCache:
    """Validated entries by file (path relative to content/), in ``folder``. ``key`` names
    the rules and code they were validated with. Kept in shards by path, so that saving
    after a change rewrites one shard, not the whole catalogue."""

    SHARDS = 32

    def __init__(self, folder: Path | None, key: str) -> None:
        self.folder, self.key = folder, key
        self._records: dict[str, tuple[Any, ...]] = {}
        if folder is not None:
            for number in range(self.SHARDS):
                loaded = _read(self._shard_path(number), key)
                if isinstance(loaded, dict):
                    self._records.update(loaded)
        self._used: set[str] = set()
        self._changed: set[int] = set()
        #: Shards written by other processes (``written``).
        self._done: set[int] = set()
        self.hits = 0

    def _shard_path(self, number: int) -> Path:
        assert self.folder is not None
        return self.folder / f"entries-{number:02d}.pickle"

    def shard_of(self, rel: str) -> int:
        """The shard a file's entry is kept in."""
        return shard_number(rel, self.SHARDS)

    def writer(self, number: int) -> ShardWriter | None:
        """What another process needs to write shard ``number`` itself, from entries it
        read (all the shard's files: see ``written``); None without a cache folder."""
        if self.folder is None:
            return None
        return ShardWriter(self._shard_path(number), self.key)

    def written(self, number: int, records: Callable[[], Mapping[str, tuple[Any, ...]]]
                ) -> None:
        """Shard ``number`` was written by a ``writer`` with ``records`` (what ``record``
        makes, of the files of the shard, all read afresh: asked for only when cache files
        are kept in memory): ``save`` leaves it as it is. (Pickling the entries of a
        catalogue here would keep a UTF-8 copy of every text in them, as pickle does,
        until the build ends: 34 MB at 90,000 entries.)"""
        self._done.add(number)
        if _KEEP:
            made = records()
            path = self._shard_path(number)
            _remember(path, file_stamp(path), self.key, dict(made))
            self._used.update(made)

    def use(self, rels: Iterable[str]) -> None:
        """These files' entries are in the cache (a ``writer`` wrote them)."""
        self._used.update(rels)

    def get(self, rel: str, stamp: tuple[int, int], content_dir: Path) -> Any:
        """The cached result for a file with this stamp, or None."""
        found = self._records.get(rel)
        if found is None or found[0] != stamp:
            return None
        root = str(content_dir)
        media: Mapping[str, tuple[int, int] | None] = found[1]
        if any(file_stamp(f"{root}/{name}") != value for name, value in media.items()):
            return None
        self._used.add(rel)
        self.hits += 1
        return found[2]

    def put(self, rel: str, stamp: tuple[int, int], media: Iterable[str], content_dir: Path,
            value: Any) -> None:
        self._records[rel] = record(stamp, media, content_dir, value)
        self._used.add(rel)
        self._changed.add(self.shard_of(rel))

    def save(self) -> None:
        """Keep what this load used: rewrite the shards with new files or files gone."""
        if self.folder is None:
            return
        shards: dict[int, dict[str, tuple[Any, ...]]] = {n: {} for n in range(self.SHARDS)}
        for rel, record in self._records.items():
            number = self.shard_of(rel)
            if rel in self._used:
                shards[number][rel] = record
            else:
                self._changed.add(number)
        for number in sorted(self._changed - self._done):
            _write(self._shard_path(number), self.key, shards[number])
        self._changed.clear()


def record(stamp: tuple[int, int], media: Iterable[str], content_dir: Path, value: Any
           ) -> tuple[Any, ...]:
    """What the entry cache keeps of a file: its stamp, those of the local files its entry
    links to, and the entry."""
    root = str(content_dir)
    return stamp, {name: file_stamp(f"{root}/{name}") for name in media}, value


class ShardWriter:
    """Writes one shard of an ``EntryCache``, in another process (``EntryCache.writer``)."""

    def __init__(self, path: Path, key: str) -> None:
        self.path, self.key = path, key

    def write(self, records: Mapping[str, tuple[Any, ...]]) -> None:
        _write(self.path, self.key, dict(records))


def _lines(texts: Iterable[str]) -> str:
    """Texts without line breaks (file names, fingerprints) as one string: pickled, 200,000
    of them take a fraction of the memory and time that a dict of strings takes."""
    return "\n".join(texts)


def _unlines(text: str) -> list[str]:
    return text.split("\n") if text else []


class PageRecord:
    """Fingerprints of the pages drawn into one site folder by the last build."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path, self.key = path, key
        saved = _read_saved(path) if path is not None else None
        payload: dict[str, str] = {}
        if saved is not None and isinstance(saved[1], tuple) and len(saved[1]) == 2:
            dests, values = map(_unlines, saved[1])
            if len(dests) == len(values):
                payload = dict(zip(dests, values, strict=True))
        elif saved is not None and isinstance(saved[1], dict):  # written by earlier code
            payload = saved[1]
        #: Fingerprints worth comparing: those of a build with the same key.
        self.previous: dict[str, str] = payload if saved and saved[0] == key else {}
        self._unsure: set[str] = set()
        #: Every file the last build wrote, whatever its key: those this one does not make
        #: are left over (a rule changed and an entry went, in one rebuild).
        self.written: frozenset[str] = frozenset(payload)
        if self.previous and self._marker is not None and self._marker.exists():
            # A build was cut short while drawing: the files it was redrawing may be half
            # written, whatever their fingerprint says.
            unfinished = _read(self._marker, key)
            if isinstance(unfinished, str):
                gone = set(_unlines(unfinished))
                self.previous = {dest: value for dest, value in self.previous.items()
                                 if dest not in gone}
            else:
                self.previous = {}

    @property
    def _marker(self) -> Path | None:
        return self.path.with_name(self.path.name + ".drawing") if self.path else None

    def begin(self, dests: Iterable[str]) -> None:
        """Before files are (re)drawn: until ``save``, the record does not vouch for them
        (nor for those of earlier calls in this build)."""
        marker = self._marker
        if marker is None:
            return
        previous = self.previous
        unsure = [dest for dest in dests if dest in previous and dest not in self._unsure]
        if unsure:
            self._unsure.update(unsure)
            _write(marker, self.key, _lines(sorted(self._unsure)))

    def save(self, fingerprints: Mapping[str, str]) -> None:
        if self.path is not None:
            _write(self.path, self.key, (_lines(fingerprints), _lines(fingerprints.values())))
            assert self._marker is not None
            self._marker.unlink(missing_ok=True)


class CardCache:
    """Each entry's card as a build drew it (``Renderer._card``: its pieces of text and
    addresses, joined, in UTF-8), with the inputs it was drawn from (``inputs`` of the
    entry: a text that changes whenever its card would, ``PageDrawer.card``), by entry id.
    ``key`` names what every card depends on besides (code, templates, rules, options). Kept
    in shards by id, each read when a card of it is first asked for (a rebuild that redraws
    a few pages reads a few), and rewritten by ``save`` when it holds a card drawn afresh."""

    SHARDS = 32

    def __init__(self, folder: Path | None, key: str, inputs: Callable[[Any], str]) -> None:
        self.folder, self.key, self.inputs = folder, key, inputs
        self._shards: dict[int, dict[str, tuple[str, bytes]]] = {}
        self._changed: set[int] = set()
        #: The cards this process drew.
        self._drawn: dict[str, tuple[str, bytes]] = {}

    def _shard(self, entry_id: str) -> tuple[int, dict[str, tuple[str, bytes]]]:
        number = shard_number(entry_id, self.SHARDS)
        shard = self._shards.get(number)
        if shard is None:
            loaded = _read(self._path(number), self.key) if self.folder is not None else None
            # A copy: what ``lifelong serve`` keeps in memory changes only when saved.
            shard = self._shards[number] = dict(loaded) if isinstance(loaded, dict) else {}
        return number, shard

    def _path(self, number: int) -> Path:
        assert self.folder is not None
        return self.folder / f"cards-{number:02d}.pickle"

    def get(self, entry_id: str, inputs: str) -> bytes | None:
        """The card drawn from these inputs, or None."""
        found = self._shard(entry_id)[1].get(entry_id)
        return found[1] if found is not None and found[0] == inputs else None

    def put(self, entry_id: str, inputs: str, card: bytes) -> bytes:
        number, shard = self._shard(entry_id)
        shard[entry_id] = self._drawn[entry_id] = (inputs, card)
        self._changed.add(number)
        return card

    def hand_over(self) -> None:
        """In a worker process: leave the cards it drew for the build's ``save``."""
        if self.folder is not None and self._drawn:
            _write(self.folder / f"drawn-{os.getpid()}.pickle", self.key, self._drawn)
            self._drawn = {}

    def save(self, ids: Container[str]) -> None:
        """Rewrite the shards that gained cards (drawn here or handed over by workers),
        keeping the cards of ``ids`` (the entries the site still has)."""
        if self.folder is None:
            return
        for path in sorted(self.folder.glob("drawn-*.pickle")):
            handed = _read(path, self.key, remember=False)
            for entry_id, (inputs, card) in (handed.items() if isinstance(handed, dict)
                                             else ()):
                self.put(entry_id, inputs, card)
            path.unlink(missing_ok=True)
        self._drawn = {}
        for number in sorted(self._changed):
            _write(self._path(number), self.key,
                   {k: v for k, v in self._shards[number].items() if k in ids})
        self._changed.clear()


class KeptNames:
    """A map from names to what was worked out from them alone (a person's address from
    their name), kept in one file between builds; ``save`` keeps the names still used."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path, self.key = path, key
        loaded = _read(path, key) if path is not None else None
        self.known: dict[str, str] = loaded if isinstance(loaded, dict) else {}

    def save(self, used: Mapping[str, str]) -> None:
        if self.path is not None and used != self.known:
            _write(self.path, self.key, dict(used))
            self.known = dict(used)


def read_kept(path: Path, key: str) -> Any:
    """What another module of this room saved in ``path`` under ``key`` (``write_kept``),
    or None when absent, unreadable or saved under another key."""
    return _read(path, key)


def write_kept(path: Path, key: str, payload: Any) -> None:
    """Save ``payload`` under ``key`` in ``path``, atomically (``read_kept``)."""
    _write(path, key, payload)
