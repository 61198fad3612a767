"""What a build remembers of the files it published beside the pages (feeds, calendars,
OPDS, data, the code index), so that a rebuild makes again only what a change touched: the
build room's ``lifelong.site.memo.PublishMemo``, kept per site folder under the build cache
(``<cache>/sites/<site>/published/``), and ``publish_files``, which writes the files with it.

Everything in it is named by ``memo_key`` (code, rules, options) and is ignored whole when
unreadable or kept under another key; every record in it says what a key makes, so one
left by a build that failed later is still true. Three parts:

- ``files.pickle``: for every file made from a key, the key, the digest of its bytes and a
  note (a data file's size and SHA-256); for every group of files, its key and their
  digests. A file is vouched for when the key is the same and the page record says the
  file is still as written (``PageRecord``: a build cut short while writing it does not
  vouch for it).
- ``values/<name>.pickle``: what a function worked out and reuses (the feeds' newest
  entries, the last code index), each read only when asked for.
- ``fragments.pickle`` and ``fragments-<n>.bin``: entries' fragments (JSON lines, OPDS
  entries), appended to the .bin file as they are drawn (a first build holds none of them),
  and the index of where each is, with its key, length and CRC-32 (one that does not match
  is drawn again). The index is rewritten atomically after the .bin file is appended to, so
  a build cut short leaves only unused bytes at its end; when more than half of the file is
  unused, the fragments in use are copied into a new one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import mmap
import operator
import os
import zlib
from array import array
from collections.abc import Container, Iterable, Mapping, Sequence
from itertools import compress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from lifelong.build.cache import code_version, read_kept, write_kept
from lifelong.build.drawing import write_published
from lifelong.build.processes import Sharing

if TYPE_CHECKING:
    from lifelong.build.cache import PageRecord
    from lifelong.build.catalogue_site import CatalogueSite

#: Bump when the layout of what is kept changes.
FORMAT = 1
#: A fragments file is copied anew when it holds more unused bytes than this and than used.
COMPACT_ABOVE = 1 << 20


def memo_key(site: CatalogueSite) -> str:
    """Everything a published file depends on besides the catalogue's entries: the code,
    the rules and the site's options."""
    digest = hashlib.sha256(f"{FORMAT}:{code_version()}".encode())
    for path in sorted(site.options.catalogue_dir.rglob("*.yml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    options = dataclasses.replace(site.options, cache_dir=None, sharing=Sharing(0, 0))
    digest.update(repr(options).encode())
    return digest.hexdigest()


def publish_files(site: CatalogueSite, site_dir: Path, record: PageRecord) -> dict[str, str]:
    """Write the files the catalogue publishes beside its pages into ``site_dir``
    (``write_published``), with what the last build into it remembered; return their
    digests by address, for the record. Raises DrawError."""
    where = site.site_cache(site_dir)
    if where is None:
        return write_published(site_dir, site.published_files(), record)
    memo = PublishedMemo(where / "published", memo_key(site), record.previous, site_dir)
    try:
        made = write_published(site_dir, site.published_files(memo), record, memo)
        with contextlib.suppress(OSError):  # a full disk: the next build draws them again
            memo.save(site.catalogue.by_id.keys() | site.outside.keys())
    finally:
        memo.close()
    return made


class _Part:
    """The fragments of one part (``data/course``, ``opds-atom:../``), by entry id: kept
    ones (from the index) and those kept by this build, in parallel lists."""

    __slots__ = ("crcs", "keys", "names", "offsets", "rows", "sizes")

    def __init__(self, names: list[str], keys: list[str], offsets: array[int],
                 sizes: array[int], crcs: array[int]) -> None:
        self.names, self.keys = names, keys
        self.offsets, self.sizes, self.crcs = offsets, sizes, crcs
        #: name -> its row (the latest kept).
        self.rows: dict[str, int] = dict(zip(names, range(len(names)), strict=True))

    def find(self, name: str, key: str) -> int | None:
        row = self.rows.get(name)
        return row if row is not None and self.keys[row] == key else None

    def add(self, name: str, key: str, offset: int, size: int, crc: int) -> None:
        self.rows[name] = len(self.names)
        self.names.append(name)
        self.keys.append(key)
        self.offsets.append(offset)
        self.sizes.append(size)
        self.crcs.append(crc)

    def used(self, alive: Container[str]) -> list[bool]:
        """Which rows to keep: the latest of each name in ``alive``."""
        latest = map(operator.eq, map(self.rows.get, self.names), range(len(self.names)))
        return list(map(operator.and_, latest, map(alive.__contains__, self.names)))

    def kept(self, used: list[bool]) -> _Part:
        """The rows ``used``."""
        return _Part(list(compress(self.names, used)), list(compress(self.keys, used)),
                     array("q", compress(self.offsets, used)),
                     array("q", compress(self.sizes, used)),
                     array("q", compress(self.crcs, used)))


class PublishedMemo:
    """``lifelong.site.memo.PublishMemo`` kept in ``folder`` (None: nothing is kept) under
    ``key`` (``memo_key``), for the site folder ``site_dir`` whose page record holds
    ``previous`` (digests by address)."""

    def __init__(self, folder: Path | None, key: str, previous: Mapping[str, str],
                 site_dir: Path) -> None:
        self.folder, self.key, self.previous = folder, key, previous
        self.root = str(site_dir)
        saved = read_kept(folder / "files.pickle", key) if folder is not None else None
        if not isinstance(saved, dict):
            saved = {}
        #: path -> (key, digest, note) of the files the last build made from a key.
        self._files: dict[str, tuple[str, str, Any]] = saved.get("files", {})
        #: name -> (key, {path: digest}) of the groups of files the last build made.
        self._groups: dict[str, tuple[str, dict[str, str]]] = saved.get("groups", {})
        #: Values asked for or kept by this build, by name: (key, value), None for none.
        self._values: dict[str, tuple[str, Any] | None] = {}
        self._kept_values: set[str] = set()
        #: Those of this build: vouched for, or made and written.
        self.files: dict[str, tuple[str, str, Any]] = {}
        self.groups: dict[str, tuple[str, dict[str, str]]] = {}
        self._making: dict[str, tuple[str, Any]] = {}
        #: The digest of every file this build publishes, by address.
        self._digests: dict[str, str] = {}
        #: The fragments' index by part, read when first asked for (a rebuild that makes
        #: no file again never reads it).
        self._loaded: dict[str, _Part] | None = None
        self._blob: str | None = None
        self._size = 0          # of the fragments file, as the index knows it
        self._map: mmap.mmap | None = None
        self._appending: IO[bytes] | None = None
        self._end = 0           # where the next fragment goes in it
        self._failed = False    # appending to it failed: the index is left as it was
        self._fragments_changed = False

    # -- files and values ---------------------------------------------------------------

    def _as_written(self, path: str, digest: str) -> bool:
        return self.previous.get(path) == digest and os.path.isfile(f"{self.root}/{path}")

    def unchanged(self, path: str, key: str) -> Any:
        found = self._files.get(path)
        if found is None or found[0] != key or not self._as_written(path, found[1]):
            return None
        self.files[path] = found
        return found[2]

    def unchanged_group(self, name: str, key: str) -> list[str] | None:
        found = self._groups.get(name)
        if found is None or found[0] != key or \
                not all(self._as_written(path, digest) for path, digest in found[1].items()):
            return None
        self.groups[name] = found
        for path in found[1]:
            if path in self._files:
                self.files[path] = self._files[path]
        return list(found[1])

    def made_group(self, name: str, key: str, paths: Sequence[str]) -> None:
        digests = self._digests
        if all(path in digests for path in paths):
            self.groups[name] = (key, {path: digests[path] for path in paths})

    def made(self, path: str, key: str, note: Any = True) -> None:
        self._making[path] = (key, note)

    def written(self, path: str, digest: str) -> None:
        """``write_published`` has ``path``, with bytes of this digest."""
        self._digests[path] = digest
        making = self._making.pop(path, None)
        if making is not None:
            self.files[path] = (making[0], digest, making[1])

    def recall(self, name: str, key: str) -> Any:
        if name not in self._values:
            saved = read_kept(self._value_path(name), self.key) if self.folder else None
            self._values[name] = saved if isinstance(saved, tuple) and len(saved) == 2 \
                else None
        found = self._values[name]
        return found[1] if found is not None and found[0] == key else None

    def keep(self, name: str, key: str, value: Any) -> None:
        self._values[name] = (key, value)
        self._kept_values.add(name)

    def _value_path(self, name: str) -> Path:
        assert self.folder is not None
        return self.folder / "values" / (name.replace("/", "-") + ".pickle")

    # -- fragments ----------------------------------------------------------------------

    @property
    def _parts(self) -> dict[str, _Part]:
        if self._loaded is None:
            self._loaded = {}
            self._read_fragments()
        return self._loaded

    def _read_fragments(self) -> None:
        if self.folder is None:
            return
        index = read_kept(self.folder / "fragments.pickle", self.key)
        try:
            blob, size, parts = index["blob"], index["size"], index["parts"]
            path = self.folder / blob
            if os.path.getsize(path) < size:
                return
            loaded = {}
            for part, (names, keys, *numbers) in parts.items():
                arrays = []
                for data in numbers:
                    arrays.append(found := array("q"))
                    found.frombytes(data)
                names_list, keys_list = _unjoin(names), _unjoin(keys)
                if len(arrays) != 3 or len(keys_list) != len(names_list) or \
                        any(len(found) != len(names_list) for found in arrays):
                    return
                loaded[part] = _Part(names_list, keys_list, *arrays)
            if size:
                with path.open("rb") as handle:
                    self._map = mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ)
        except Exception:  # no index, or one that is not ours: nothing is kept
            return
        self._loaded, self._blob, self._size = loaded, blob, size

    def _part(self, part: str) -> _Part:
        found = self._parts.get(part)
        if found is None:
            found = self._parts[part] = _Part([], [], array("q"), array("q"), array("q"))
        return found

    def fragment_sizes(self, part: str, names: Sequence[str], keys: Sequence[str | None]
                       ) -> list[int | None]:
        found = self._parts.get(part)
        if found is None:
            return [None] * len(names)
        rows, kept, sizes = found.rows.get, found.keys, found.sizes
        made: list[int | None] = []
        for name, key in zip(names, keys, strict=True):
            row = rows(name)
            made.append(sizes[row] if row is not None and kept[row] == key else None)
        return made

    def fragment(self, part: str, name: str, key: str) -> bytes | None:
        found = self._parts.get(part)
        row = found.find(name, key) if found is not None else None
        if found is None or row is None:
            return None
        offset, size, crc = found.offsets[row], found.sizes[row], found.crcs[row]
        if offset + size <= self._size and self._map is not None:
            data = self._map[offset:offset + size]
        elif self._appending is not None and self._blob is not None and self.folder:
            self._appending.flush()
            with (self.folder / self._blob).open("rb") as handle:
                handle.seek(offset)
                data = handle.read(size)
        else:
            return None
        return data if len(data) == size and zlib.crc32(data) == crc else None

    def keep_fragment(self, part: str, name: str, key: str, data: bytes) -> None:
        if self.folder is None or self._failed:
            return
        kept = self._part(part)
        if kept.find(name, key) is not None:
            return
        try:
            handle = self._appending or self._start_appending()
            handle.write(data)
        except OSError:  # a full disk: the next build draws them again
            self._failed = True
            return
        offset, self._end = self._end, self._end + len(data)
        kept.add(name, key, offset, len(data), zlib.crc32(data))
        self._fragments_changed = True

    def _start_appending(self) -> IO[bytes]:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._blob is None:
            self._blob = _new_blob_name(self.folder)
        handle = self._appending = (self.folder / self._blob).open("ab", buffering=1 << 20)
        self._end = handle.seek(0, os.SEEK_END)
        return handle

    # -- keeping it for the next build ----------------------------------------------------

    def save(self, names: Container[str]) -> None:
        """Keep the files of this build and the fragments of entries still here
        (``names``) for the next."""
        if self.folder is None:
            return
        # A group not asked for (inside one that was not made again) stays as it was: what
        # its key makes does not change.
        groups = {**self._groups, **self.groups}
        if self.files != self._files or groups != self._groups:
            write_kept(self.folder / "files.pickle", self.key,
                       {"files": self.files, "groups": groups})
        for name in sorted(self._kept_values):
            write_kept(self._value_path(name), self.key, self._values[name])
        if self._appending is not None:
            self._appending.close()
            self._appending = None
        if self._loaded is None:  # no fragment was asked for nor kept
            return
        parts = {}
        for part, kept in sorted(self._parts.items()):
            used = kept.used(names)
            if not all(used):
                self._fragments_changed = True
                kept = kept.kept(used)
            parts[part] = kept
        if not self._fragments_changed or self._blob is None or self._failed:
            return
        blob = self.folder / self._blob
        size = blob.stat().st_size
        used_bytes = sum(sum(kept.sizes) for kept in parts.values())
        if size - used_bytes > max(used_bytes, COMPACT_ABOVE):
            blob, size = self._copy_used(parts)
        write_kept(self.folder / "fragments.pickle", self.key, {
            "blob": blob.name, "size": size,
            "parts": {part: (_join(kept.names), _join(kept.keys), kept.offsets.tobytes(),
                             kept.sizes.tobytes(), kept.crcs.tobytes())
                      for part, kept in parts.items()}})
        for other in self.folder.glob("fragments-*.bin"):
            if other.name != blob.name:
                other.unlink(missing_ok=True)

    def _copy_used(self, parts: Mapping[str, _Part]) -> tuple[Path, int]:
        """The fragments in use, copied into a new fragments file (``parts``' offsets are
        changed to theirs in it): the file and its size."""
        assert self.folder is not None
        assert self._blob is not None
        new = self.folder / _new_blob_name(self.folder)
        with (self.folder / self._blob).open("rb") as source, \
                new.open("wb", buffering=1 << 20) as target:
            offset = 0
            for kept in parts.values():
                for row in sorted(range(len(kept.names)), key=kept.offsets.__getitem__):
                    source.seek(kept.offsets[row])
                    size = kept.sizes[row]
                    target.write(source.read(size))
                    kept.offsets[row] = offset
                    offset += size
        return new, offset

    def close(self) -> None:
        if self._appending is not None:
            with contextlib.suppress(OSError):
                self._appending.close()
            self._appending = None
        if self._map is not None:
            self._map.close()
            self._map = None


def _new_blob_name(folder: Path) -> str:
    numbers = [int(path.stem.rpartition("-")[2]) for path in folder.glob("fragments-*.bin")
               if path.stem.rpartition("-")[2].isdigit()]
    return f"fragments-{max(numbers, default=0) + 1}.bin"


def _join(texts: Iterable[str]) -> str:
    """Names or keys (never holding a NUL) as one string: pickled, 100,000 of them take a
    fraction of the time a list takes."""
    return "\0".join(texts)


def _unjoin(text: str) -> list[str]:
    return text.split("\0") if text else []
