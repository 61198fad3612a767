"""The build cache: what a previous build learnt, kept so that the next one redoes only what
changed. It lives outside the site (``<project>/.lifelong-cache/``), is safe to delete at
any time, and is ignored whole when it is unreadable or was written by other code or rules.

Two parts:

- ``EntryCache``: entry files already read and validated, reused while the file and every
  local file it links to keep their size and modification time.
- ``PageRecord``: the fingerprint of every page the catalogue drew last time, so that a
  rebuild draws only the pages whose inputs changed and deletes those that are gone.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: Bump when the layout of what is pickled changes.
FORMAT = 2


def code_version() -> str:
    """A digest of this package's Python sources: a cache written by other code is stale."""
    digest = hashlib.sha256(str(FORMAT).encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(size, modification time in ns), or None when the file is missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _read(path: Path, key: str) -> Any:
    """The pickled payload saved under ``key``, or None when absent, corrupt or stale."""
    try:
        with path.open("rb") as handle:
            saved_key, payload = pickle.load(handle)
    except Exception:  # any unreadable cache is simply not used
        return None
    return payload if saved_key == key else None


def _write(path: Path, key: str, payload: Any) -> None:
    """Write atomically: a build interrupted while saving leaves the old cache or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump((key, payload), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class EntryCache:
    """Validated entries by file (path relative to content/). ``key`` names the rules and
    code they were validated with."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path, self.key = path, key
        loaded = _read(path, key) if path is not None else None
        self._old: dict[str, tuple[Any, ...]] = loaded if isinstance(loaded, dict) else {}
        self._new: dict[str, tuple[Any, ...]] = {}
        self.hits = 0

    def get(self, rel: str, stamp: tuple[int, int], content_dir: Path) -> Any:
        """The cached result for a file with this stamp, or None."""
        found = self._old.get(rel)
        if found is None or found[0] != stamp:
            return None
        media: Mapping[str, tuple[int, int] | None] = found[1]
        if any(file_stamp(content_dir / name) != value for name, value in media.items()):
            return None
        self._new[rel] = found
        self.hits += 1
        return found[2]

    def put(self, rel: str, stamp: tuple[int, int], media: Iterable[str], content_dir: Path,
            value: Any) -> None:
        self._new[rel] = (stamp, {name: file_stamp(content_dir / name) for name in media},
                          value)

    def save(self) -> None:
        """Keep what this load used (files that are gone are forgotten)."""
        if self.path is not None:
            _write(self.path, self.key, self._new)


class PageRecord:
    """Fingerprints of the pages drawn into one site folder by the last build."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path, self.key = path, key
        loaded = _read(path, key) if path is not None else None
        self.previous: dict[str, str] = loaded if isinstance(loaded, dict) else {}

    def save(self, fingerprints: Mapping[str, str]) -> None:
        if self.path is not None:
            _write(self.path, self.key, dict(fingerprints))

    def forget(self) -> None:
        """The site folder is about to change in ways the record does not follow."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
