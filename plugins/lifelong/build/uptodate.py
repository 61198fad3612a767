"""Whether a build would change nothing: the stamp of everything a build reads (the size and
modification time of every file in the folders it reads, the settings and the software),
kept beside the site's cache after a build that succeeded. When the next build finds the
same stamp, the site folder already holds what it would write, and it stops there: at
90,000 entries this takes a second, where loading the catalogue to find out takes ten.

Like ``make``, it trusts modification times and the site folder: a file edited without
changing its size or time, or a page deleted by hand from the site folder, is drawn again
by ``lifelong build --clean``. The stamp is removed before any other build starts, so that
a build that fails or is cut short is never taken for one that succeeded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib.metadata import distributions
from pathlib import Path

from lifelong.build.cache import code_version, file_stamp

#: Bump when what the stamp covers changes.
FORMAT = 1


def _folder_stamps(folder: Path, skip: frozenset[str]) -> list[tuple[str, int, int]]:
    """(path, size, modification time in ns) of every file under ``folder``, and of every
    folder (a file added or removed changes its folder's time, even when a tool restores the
    file times), skipping the real paths in ``skip`` (the site folder, the cache)."""
    found: list[tuple[str, int, int]] = []
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as entries:
                for item in entries:
                    try:
                        if item.is_dir():
                            if os.path.realpath(item.path) not in skip:
                                pending.append(Path(item.path))
                            stat = item.stat()
                            found.append((item.path + "/", 0, stat.st_mtime_ns))
                        else:
                            stat = item.stat()
                            found.append((item.path, stat.st_size, stat.st_mtime_ns))
                    except OSError:  # gone while listed: the next build sees it
                        found.append((item.path, -1, -1))
        except OSError:
            found.append((str(here), -1, -1))
    return found


def inputs_stamp(folders: Iterable[Path], files: Iterable[Path], settings: Iterable[str],
                 *, skip: Iterable[Path] = ()) -> str:
    """A digest of everything a build reads: the files in ``folders`` (recursively, but not
    under ``skip``), the ``files`` named, ``settings`` (texts the caller chooses: options,
    environment), this package's code (sources and templates) and every installed
    distribution's name and version (the engine, the theme, other plugins)."""
    skipped = frozenset(os.path.realpath(p) for p in skip)
    stamps: list[tuple[str, int, int]] = []
    package = Path(__file__).parents[1]
    for folder in sorted({*map(Path, folders), package}):
        if folder.is_dir():
            stamps.extend(_folder_stamps(folder, skipped))
    for path in sorted(set(files)):
        stamp = file_stamp(path)
        stamps.append((str(path), *(stamp or (-1, -1))))
    stamps.sort()
    digest = hashlib.sha256(f"{FORMAT}\0{code_version()}\0".encode())
    for setting in settings:
        digest.update(setting.encode() + b"\0")
    for name in sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions()):
        digest.update(name.encode() + b"\0")
    for name, size, mtime in stamps:
        digest.update(f"{name}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


class UpToDate:
    """The stamp of the last build that succeeded into one site folder, kept in ``path``
    (in the site's cache folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def holds(self, stamp: str) -> bool:
        """Whether the last build into the site folder succeeded with this stamp."""
        try:
            return self.path.read_text(encoding="ascii").strip() == stamp
        except (OSError, UnicodeDecodeError):
            return False

    def forget(self) -> None:
        """Before a build: until it succeeds, the site folder is not vouched for."""
        self.path.unlink(missing_ok=True)

    def keep(self, stamp: str) -> None:
        """After a build that succeeded, with the stamp taken before it started."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(stamp + "\n", encoding="ascii")
        os.replace(tmp, self.path)
