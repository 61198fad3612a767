"""The offline copy as files: a manifest, a deterministic zip, verification and update packs.

A community centre gets the catalogue as a zip on a USB stick and later as small update packs.
Everything here works on any built site folder and never imports MkDocs.

- ``manifest.json`` at the top of a copy lists every other file with its SHA-256 and size,
  and the catalogue's version and date. It is the only record of what a copy should hold.
- A pack (``pack_zip``) is byte-identical for the same folder: entries sorted with index.html
  first, one fixed timestamp (the catalogue date), fixed permissions and compression level.
- An update pack (``make_update``) holds only the files added or changed since an old
  manifest; ``apply_update`` checks it and the copy, then replaces file by file so that an
  interrupted update can simply be run again, and writes the new manifest last.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

FORMAT = 1
MANIFEST = "manifest.json"
UPDATE = "update.json"
#: Site files inside an update pack live under this folder, so that they can never collide
#: with update.json or the new manifest.json at the top of the pack.
UPDATE_FILES = "files/"
MAIN_PAGE = "index.html"
#: Deflate level of every pack: 6 is zlib's own default; 9 makes HTML only ~1% smaller
#: and takes about twice as long on a catalogue of gigabytes.
ZIP_LEVEL = 6
#: Temporary files of our own atomic writes start with this, so a re-run can remove what an
#: interrupted one left behind.
TEMP_PREFIX = ".lifelong-"
_CHUNK = 1 << 20
_ZIP_EPOCH = dt.date(1980, 1, 1)  # the earliest date a zip entry can hold
_LISTED = 50  # problems shown in an error message; the exception carries all of them


class BundleError(Exception):
    """A copy, pack or manifest is not what it should be; the message says what and where."""


class FileProblems(BundleError):
    """Files are not as they should be; ``problems`` lists every one, the message the first
    fifty."""

    def __init__(self, message: str, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        shown = [f"  {p}" for p in self.problems[:_LISTED]]
        if len(self.problems) > _LISTED:
            shown.append(f"  ... and {len(self.problems) - _LISTED} more")
        super().__init__("\n".join([message, *shown]))


@dataclass(frozen=True)
class FileRecord:
    """One file of a copy: its SHA-256 (hex) and size in bytes."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """What a copy holds: every file but manifest.json itself, by POSIX path."""

    version: str
    date: dt.date
    files: Mapping[str, FileRecord]

    def to_bytes(self) -> bytes:
        """Sorted keys, one file per line, UTF-8, no time but the catalogue date."""
        files = {path: {"sha256": rec.sha256, "size": rec.size}
                 for path, rec in sorted(self.files.items())}
        document = {"catalogue": {"version": self.version, "date": self.date.isoformat()},
                    "format": FORMAT, "files": files}
        return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1)
                + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, source: str) -> Manifest:
        """Parse and check a manifest; ``source`` names it in error messages."""
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BundleError(f"{source}: not a valid manifest ({exc})") from None
        if not isinstance(document, dict):
            raise BundleError(f"{source}: not a valid manifest (not a JSON object)")
        if document.get("format") != FORMAT:
            raise BundleError(f"{source}: manifest format {document.get('format')!r} is not "
                              f"supported (expected {FORMAT}); use a newer lifelong")
        catalogue, files = document.get("catalogue"), document.get("files")
        if not isinstance(catalogue, dict) or not isinstance(files, dict):
            raise BundleError(f"{source}: not a valid manifest (needs 'catalogue' and 'files')")
        version = catalogue.get("version")
        try:
            date = dt.date.fromisoformat(str(catalogue.get("date")))
        except ValueError:
            raise BundleError(f"{source}: catalogue.date {catalogue.get('date')!r} is not "
                              "a YYYY-MM-DD date") from None
        if not isinstance(version, str) or not _VERSION_RE.fullmatch(version):
            raise BundleError(f"{source}: catalogue.version {version!r} is not a version")
        records: dict[str, FileRecord] = {}
        for path, rec in files.items():
            _check_path(path, source)
            if (not isinstance(rec, dict) or not isinstance(rec.get("sha256"), str)
                    or not _SHA_RE.fullmatch(rec["sha256"])
                    or not isinstance(rec.get("size"), int) or rec["size"] < 0):
                raise BundleError(f"{source}: files[{path!r}] needs a sha256 and a size")
            records[path] = FileRecord(rec["sha256"], rec["size"])
        return cls(version, date, records)


@dataclass(frozen=True)
class CategorySize:
    files: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class SiteSizes:
    """A site folder by category, so the size of a copy is known before it is written."""

    pages: CategorySize  #: HTML pages (outside search/ and assets/)
    search: CategorySize  #: the search index and its page (search/), the code index (codes/)
    assets: CategorySize  #: styles, scripts, images of the theme (assets/)
    media: CategorySize  #: everything else: covers, files, sitemaps
    total: CategorySize

    def categories(self) -> list[tuple[str, CategorySize]]:
        return [("pages", self.pages), ("search", self.search), ("assets", self.assets),
                ("media", self.media)]


@dataclass(frozen=True)
class VerifyReport:
    """A copy against its own manifest. ``ok`` when nothing is missing, changed or extra."""

    source: str
    version: str
    date: dt.date
    checked: int
    missing: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra)


@dataclass(frozen=True)
class UpdatePack:
    """What ``make_update`` wrote."""

    path: Path
    from_version: str
    to_version: str
    files: tuple[str, ...]  #: added or changed, in the pack
    removed: tuple[str, ...]
    unchanged: int


@dataclass(frozen=True)
class ApplyReport:
    """What ``apply_update`` did to a copy."""

    from_version: str
    to_version: str
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    already: int = 0  #: files that were already new (an earlier, interrupted run)
    up_to_date: bool = False  #: the copy was already the new version: nothing was done


_VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,63}")
_SHA_RE = re.compile(r"[0-9a-f]{64}")


# --- reading a folder -----------------------------------------------------------------------

def _check_path(path: object, source: str) -> None:
    """A relative POSIX path that stays inside the copy (no zip-slip through a manifest)."""
    text = str(path)
    parts = text.split("/")
    if (not isinstance(path, str) or not text or text.startswith("/") or "\\" in text
            or "\x00" in text or any(p in ("", ".", "..") for p in parts)
            or re.match(r"[A-Za-z]:", text)):
        raise BundleError(f"{source}: unsafe or invalid path {text!r}")


def site_files(site_dir: Path) -> list[str]:
    """Every file under site_dir but manifest.json, as sorted POSIX paths."""
    if not site_dir.is_dir():
        raise BundleError(f"{site_dir}: no such folder")
    found: list[str] = []
    for root, dirs, files in os.walk(site_dir):
        dirs.sort()
        rel = Path(root).relative_to(site_dir)
        for name in files:
            path = (rel / name).as_posix()
            if path != MANIFEST:
                found.append(path)
    return sorted(found)


def _hash_stream(stream: IO[bytes], copy_to: IO[bytes] | None = None) -> FileRecord:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return FileRecord(digest.hexdigest(), size)


def _hash_file(path: Path) -> FileRecord:
    with path.open("rb") as handle:
        return _hash_stream(handle)


def scan(site_dir: Path) -> dict[str, FileRecord]:
    """SHA-256 and size of every file under site_dir but manifest.json."""
    return {path: _hash_file(site_dir / path) for path in site_files(site_dir)}


def sizes(site_dir: Path) -> SiteSizes:
    """Count files and bytes by category (sizes only: nothing is read)."""
    totals: dict[str, list[int]] = {k: [0, 0] for k in ("pages", "search", "assets", "media")}
    for path in site_files(site_dir):
        top = path.split("/", 1)[0] if "/" in path else ""
        if top in ("search", "codes"):  # the code index is looked up as the search's is
            kind = "search"
        elif top == "assets":
            kind = "assets"
        elif path.endswith(".html"):
            kind = "pages"
        else:
            kind = "media"
        totals[kind][0] += 1
        totals[kind][1] += (site_dir / path).stat().st_size
    parts = {k: CategorySize(*v) for k, v in totals.items()}
    total = CategorySize(sum(v.files for v in parts.values()),
                         sum(v.bytes for v in parts.values()))
    return SiteSizes(total=total, **parts)


# --- manifest -------------------------------------------------------------------------------

def write_manifest(site_dir: Path, *, version: str, date: dt.date) -> Manifest:
    """Hash every file of site_dir and write site_dir/manifest.json (replacing an old one)."""
    if not isinstance(version, str) or not _VERSION_RE.fullmatch(version):
        raise BundleError(f"catalogue version {version!r} is not a version "
                          "(letters, digits, '.', '_', '+', '-')")
    if isinstance(date, dt.datetime):
        date = date.date()
    files = scan(site_dir)
    problems = _portability_problems(files)
    if problems:
        raise FileProblems(f"{site_dir}: {len(problems)} paths cannot be copied to a USB stick "
                           "(FAT32, exFAT) or a Windows computer as they are:", problems)
    manifest = Manifest(version, date, files)
    _write_atomic(site_dir / MANIFEST, manifest.to_bytes(), force=True)
    return manifest


_NOT_ON_WINDOWS = re.compile(r'[<>:"|?*\x00-\x1f]|[ .]$')


def _portability_problems(paths: Iterable[str]) -> list[str]:
    """Paths that FAT32, exFAT and Windows would refuse or merge: those two differing only
    in case, and names with characters these file systems forbid."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(paths):
        if any(_NOT_ON_WINDOWS.search(part) for part in path.split("/")):
            problems.append(f"{path} (a character Windows and FAT do not allow)")
        other = seen.setdefault(path.casefold(), path)
        if other != path:
            problems.append(f"{path} (the same name as {other} on a stick, which ignores case)")
    return problems


def read_manifest(path: Path) -> Manifest:
    """The manifest in a file, or in a copy's folder or zip."""
    if path.is_dir():
        path = path / MANIFEST
        if not path.is_file():
            raise BundleError(f"{path.parent}: no {MANIFEST}; is this an offline copy?")
    elif zipfile.is_zipfile(path):
        with _open_zip(path) as archive:
            return _zip_manifest(archive, path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{path}: cannot read ({exc.strerror})") from None
    return Manifest.from_bytes(data, str(path))


# --- writing files atomically ---------------------------------------------------------------

@contextmanager
def temp_beside(path: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A temporary file in path's folder (so the rename is atomic); removed on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.",
                                suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle, tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def publish_file(tmp: Path, path: Path, *, force: bool) -> None:
    """Move a finished temporary file into place; without force never replace a file."""
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a copy is for everyone to read
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails with FileExistsError if path exists: no race
            except FileExistsError:
                raise
            except OSError:  # no hard links (FAT32 and exFAT USB sticks): check, then rename
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)
            else:
                tmp.unlink()
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"{path}: already exists (use --force to replace it)") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_atomic(path: Path, data: bytes, *, force: bool) -> None:
    with temp_beside(path) as (handle, tmp):
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    publish_file(tmp, path, force=force)


def check_output_path(out: Path, force: bool, *inside: Path) -> None:
    if out.exists() and not force:
        raise BundleError(f"{out}: already exists (use --force to replace it)")
    if out.is_dir():
        raise BundleError(f"{out}: is a folder; give the path of a file")
    for folder in inside:
        if out.resolve().is_relative_to(folder.resolve()):
            raise BundleError(f"{out}: inside the folder being packed ({folder}); write it "
                              "elsewhere")


# --- zip ------------------------------------------------------------------------------------

def _zip_info(name: str, date: dt.date, size: int) -> zipfile.ZipInfo:
    day = max(date, _ZIP_EPOCH)
    info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    if hasattr(info, "compress_level"):  # Python 3.13 and later
        info.compress_level = ZIP_LEVEL
    else:
        info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]
    info.create_system = 3  # Unix, whatever the platform, so the bytes do not depend on it
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    info.file_size = size  # lets zipfile decide on ZIP64 up front, as it must for big files
    return info


def _add_file(archive: zipfile.ZipFile, name: str, source: Path, expected: FileRecord,
              date: dt.date) -> None:
    """Copy a file into the archive, checking it still is what the manifest says."""
    info = _zip_info(name, date, expected.size)
    with source.open("rb") as src, archive.open(info, "w") as dst:
        got = _hash_stream(src, dst)
    if got != expected:
        raise BundleError(f"{source}: changed since its manifest was written; write the "
                          "manifest again")


def _add_bytes(archive: zipfile.ZipFile, name: str, data: bytes, date: dt.date) -> None:
    archive.writestr(_zip_info(name, date, len(data)), data)


def _pack_order(paths: Iterable[str]) -> list[str]:
    """index.html first (some tools show the first entry), then sorted."""
    return sorted(paths, key=lambda p: (p != MAIN_PAGE, p))


def _site_manifest(site_dir: Path) -> Manifest:
    """site_dir's manifest, after checking it lists exactly the files in the folder."""
    path = site_dir / MANIFEST
    if not path.is_file():
        raise BundleError(f"{site_dir}: no {MANIFEST}; write it first (write_manifest)")
    manifest = Manifest.from_bytes(path.read_bytes(), str(path))
    on_disk = set(site_files(site_dir))
    if on_disk != set(manifest.files):
        added = sorted(on_disk - set(manifest.files))
        gone = sorted(set(manifest.files) - on_disk)
        raise FileProblems(f"{site_dir}: the files differ from its {MANIFEST}; write the "
                           "manifest again",
                           [f"{p} (not in the manifest)" for p in added]
                           + [f"{p} (missing)" for p in gone])
    return manifest


def pack_zip(site_dir: Path, out_zip: Path, *, force: bool = False) -> Manifest:
    """Pack site_dir (with its manifest.json) into out_zip, byte for byte reproducibly.

    Files sit at the top of the archive, index.html first; every entry carries the catalogue
    date at 00:00 (1980-01-01 at the earliest, the zip format's epoch). Each file is checked
    against the manifest while it is packed. The zip is written to a temporary file and
    renamed, and an existing out_zip is only replaced with ``force``.
    """
    check_output_path(out_zip, force, site_dir)
    manifest = _site_manifest(site_dir)
    manifest_bytes = (site_dir / MANIFEST).read_bytes()
    with temp_beside(out_zip) as (handle, tmp):
        with zipfile.ZipFile(handle, "w") as archive:
            for path in _pack_order([*manifest.files, MANIFEST]):
                if path == MANIFEST:
                    _add_bytes(archive, MANIFEST, manifest_bytes, manifest.date)
                else:
                    _add_file(archive, path, site_dir / path, manifest.files[path],
                              manifest.date)
            archive.comment = (f"Lifelong offline catalogue {manifest.version} of "
                               f"{manifest.date.isoformat()}").encode("ascii")
        handle.flush()
        os.fsync(handle.fileno())
    publish_file(tmp, out_zip, force=force)
    return manifest


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except zipfile.BadZipFile as exc:
        raise BundleError(f"{path}: not a readable zip ({exc})") from None


def _zip_manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    names = set(archive.namelist())
    if MANIFEST not in names:
        nested = sorted(n for n in names if n.endswith("/" + MANIFEST))
        hint = (f"; found {nested[0]}: pack the folder's contents, not the folder"
                if nested else "; is this an offline copy made by `lifelong bundle`?")
        raise BundleError(f"{path}: no {MANIFEST} at the top of the archive{hint}")
    manifest = Manifest.from_bytes(archive.read(MANIFEST), f"{path}:{MANIFEST}")
    if UPDATE in names and UPDATE not in manifest.files:
        raise BundleError(f"{path}: an update pack, not a full copy; apply it to a copy with "
                          "`lifelong bundle apply`")
    return manifest


# --- verify ---------------------------------------------------------------------------------

def verify(path: Path) -> VerifyReport:
    """Check a copy (a folder or a .zip) against the manifest.json inside it."""
    if path.is_dir():
        manifest = read_manifest(path)
        present = set(site_files(path))
        changed = [p for p in sorted(present & set(manifest.files))
                   if _hash_file(path / p) != manifest.files[p]]
    elif path.is_file():
        if not zipfile.is_zipfile(path):
            raise BundleError(f"{path}: neither a folder nor a zip file")
        with _open_zip(path) as archive:
            manifest = _zip_manifest(archive, path)
            entries = {i.filename: i for i in archive.infolist() if not i.is_dir()}
            present = set(entries) - {MANIFEST}
            changed = []
            for name in sorted(present & set(manifest.files)):
                try:
                    with archive.open(entries[name]) as stream:
                        record = _hash_stream(stream)
                except (zipfile.BadZipFile, OSError):  # CRC error: damaged on the stick
                    record = None
                if record != manifest.files[name]:
                    changed.append(name)
    else:
        raise BundleError(f"{path}: no such file or folder")
    return VerifyReport(
        source=str(path), version=manifest.version, date=manifest.date,
        checked=len(manifest.files),
        missing=tuple(sorted(set(manifest.files) - present)), changed=tuple(changed),
        extra=tuple(sorted(present - set(manifest.files))))


# --- update packs ---------------------------------------------------------------------------

def make_update(new_site_dir: Path, old_manifest_path: Path, out_zip: Path, *,
                force: bool = False) -> UpdatePack:
    """Write an update pack from the copy described by an old manifest to new_site_dir.

    The pack holds update.json (from and to versions, the removed paths and the SHA-256 of
    every file in the pack), the new manifest.json, and the added and changed files under
    files/. ``old_manifest_path`` may be a manifest.json, or an old copy's folder or zip.
    """
    check_output_path(out_zip, force, new_site_dir)
    old = read_manifest(old_manifest_path)
    new = _site_manifest(new_site_dir)
    new_bytes = (new_site_dir / MANIFEST).read_bytes()
    files = sorted(p for p, rec in new.files.items() if old.files.get(p) != rec)
    removed = sorted(set(old.files) - set(new.files))
    update = {"format": FORMAT, "from": old.version, "to": new.version,
              "from_date": old.date.isoformat(), "to_date": new.date.isoformat(),
              "manifest": hashlib.sha256(new_bytes).hexdigest(), "removed": removed,
              "files": {p: new.files[p].sha256 for p in files}}
    update_bytes = (json.dumps(update, sort_keys=True, ensure_ascii=False, indent=1)
                    + "\n").encode("utf-8")
    with temp_beside(out_zip) as (handle, tmp):
        with zipfile.ZipFile(handle, "w") as archive:
            _add_bytes(archive, UPDATE, update_bytes, new.date)
            _add_bytes(archive, MANIFEST, new_bytes, new.date)
            for path in files:
                _add_file(archive, UPDATE_FILES + path, new_site_dir / path, new.files[path],
                          new.date)
            archive.comment = (f"Lifelong update {old.version} -> {new.version}"
                               ).encode("ascii")
        handle.flush()
        os.fsync(handle.fileno())
    publish_file(tmp, out_zip, force=force)
    return UpdatePack(out_zip, old.version, new.version, tuple(files), tuple(removed),
                      len(new.files) - len(files))


@dataclass
class _Update:
    source: Path
    from_version: str
    to_version: str
    removed: tuple[str, ...]
    files: dict[str, str]
    manifest_bytes: bytes
    manifest: Manifest
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)


def _read_update(archive: zipfile.ZipFile, source: Path) -> _Update:
    """update.json and the new manifest, checked against each other and the pack's files."""
    names = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    if UPDATE not in names:
        hint = " (a full copy: unpack it instead)" if MANIFEST in names else ""
        raise BundleError(f"{source}: no {UPDATE}; not an update pack{hint}")
    if MANIFEST not in names:
        raise BundleError(f"{source}: no {MANIFEST}; the update pack is incomplete")
    where = f"{source}:{UPDATE}"
    try:
        update = json.loads(archive.read(UPDATE).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(update, dict) or update.get("format") != FORMAT:
        raise BundleError(f"{where}: not an update of format {FORMAT}")
    removed, files = update.get("removed"), update.get("files")
    if (not isinstance(removed, list) or not isinstance(files, dict)
            or not all(isinstance(v, str) for v in files.values())):
        raise BundleError(f"{where}: needs 'removed' (a list) and 'files' (path: sha256)")
    for path in [*removed, *files]:
        _check_path(path, where)
    manifest_bytes = archive.read(MANIFEST)
    if hashlib.sha256(manifest_bytes).hexdigest() != update.get("manifest"):
        raise BundleError(f"{source}: {MANIFEST} does not match {UPDATE}; the pack is damaged")
    manifest = Manifest.from_bytes(manifest_bytes, f"{source}:{MANIFEST}")
    if manifest.version != update.get("to"):
        raise BundleError(f"{where}: 'to' is {update.get('to')!r} but the manifest is "
                          f"{manifest.version!r}")
    problems = []
    for path, sha in sorted(files.items()):
        info = names.get(UPDATE_FILES + path)
        if info is None:
            problems.append(f"{path} (listed in {UPDATE}, not in the pack)")
            continue
        try:
            with archive.open(info) as stream:
                record = _hash_stream(stream)
        except (zipfile.BadZipFile, OSError):
            record = None
        if record is None or record.sha256 != sha or manifest.files.get(path) != record:
            problems.append(f"{path} (damaged or not the file the manifest lists)")
    listed = {UPDATE_FILES + p for p in files}
    problems += [f"{n} (in the pack, not in {UPDATE})"
                 for n in sorted(set(names) - listed - {UPDATE, MANIFEST})]
    problems += [f"{p} (listed as removed, but in the new manifest)"
                 for p in sorted(set(removed) & set(manifest.files))]
    if problems:
        raise FileProblems(f"{source}: the update pack is damaged; nothing was changed:",
                           problems)
    return _Update(source, str(update.get("from")), manifest.version, tuple(sorted(removed)),
                   dict(files), manifest_bytes, manifest,
                   {p: names[UPDATE_FILES + p] for p in files})


def _state(path: Path, *, folder_is_absent: bool) -> FileRecord | None:
    """The file at path, or None if there is none. A folder where a file is to be added
    counts as no file (the files in it are checked on their own and removed first); any
    other folder or special file is a record no manifest can hold."""
    if path.is_file():
        return _hash_file(path)
    if path.is_dir() and folder_is_absent:
        return None
    if path.exists() or path.is_symlink():
        return FileRecord("not a file", -1)
    return None


def _remove_leftovers(copy_dir: Path) -> None:
    """Temporary files an interrupted run left behind (ours only, by their prefix)."""
    for root, _dirs, files in os.walk(copy_dir):
        for name in files:
            if name.startswith(TEMP_PREFIX) and name.endswith(".tmp"):
                (Path(root) / name).unlink()


def _prune_empty(folder: Path, copy_dir: Path) -> None:
    while folder != copy_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def apply_update(update_zip: Path, copy_dir: Path) -> ApplyReport:
    """Bring an offline copy up to date in place, safely and re-runnably.

    First the pack is checked (every file matches update.json and the new manifest), then
    the copy: every file must be as the copy's manifest.json (the old version) or the new
    manifest say; anything else stops the update before a single file is touched, with the
    list. Then removed files are deleted and each added or changed file replaces the old
    one atomically (a temporary file beside it, then os.replace); manifest.json is written
    last, so a copy whose update was interrupted still names the old version and the same
    update can be applied again. The result is byte for byte a fresh copy of the new version.
    """
    if not copy_dir.is_dir():
        raise BundleError(f"{copy_dir}: no such folder")
    with _open_zip(update_zip) as archive:
        update = _read_update(archive, update_zip)
        current = read_manifest(copy_dir)
        new, removed_set = update.manifest, frozenset(update.removed)
        up_to_date = current.files == new.files
        if up_to_date:
            expected = new.files  # already brought up to date; the manifest is rewritten
        elif current.version == update.from_version:
            # The copy's manifest stays the old one until the very end of an update.
            expected = current.files
            misfit = [p for p in expected if p not in new.files and p not in removed_set]
            misfit += [p for p, rec in new.files.items()
                       if p not in update.files and expected.get(p) != rec]
            if misfit:
                raise FileProblems(f"{update_zip}: does not fit this copy's manifest "
                                   f"({copy_dir / MANIFEST}):", sorted(misfit))
        else:
            raise BundleError(f"{copy_dir}: this copy is catalogue {current.version} of "
                              f"{current.date.isoformat()}; the update goes from "
                              f"{update.from_version} to {update.to_version}")
        _remove_leftovers(copy_dir)
        problems, done = [], set()
        for path in sorted(set(expected) | set(new.files)):
            was, will = expected.get(path), new.files.get(path)
            state = _state(copy_dir / path, folder_is_absent=was is None)
            if state == will:
                done.add(path)
            elif state != was:
                problems.append(f"{path} ({_describe(state, was, will)})")
        problems += [f"{p} (not in either catalogue)"
                     for p in site_files(copy_dir) if p not in expected and p not in new.files]
        if problems:
            count = len(problems)
            raise FileProblems(
                f"{copy_dir}: {count} file{'s' if count != 1 else ''} match neither catalogue "
                f"{update.from_version} nor {update.to_version}; nothing was changed (unpack "
                "a fresh copy instead):", problems)

        # Removed files go first: a removed file may stand where a new folder is needed.
        removed = []
        for path in update.removed:
            target = copy_dir / path
            if target.is_file():
                target.unlink()
                removed.append(path)
            _prune_empty(target.parent, copy_dir)  # also what an interrupted run left
        written = []
        for path in sorted(set(update.files) - done):
            target = copy_dir / path
            with temp_beside(target) as (handle, tmp):
                with archive.open(update.entries[path]) as stream:
                    _hash_stream(stream, handle)
                handle.flush()
                os.fsync(handle.fileno())
            publish_file(tmp, target, force=True)
            written.append(path)
        _write_atomic(copy_dir / MANIFEST, update.manifest_bytes, force=True)
    already = len((set(update.files) | removed_set) & done)
    return ApplyReport(update.from_version, update.to_version, tuple(written), tuple(removed),
                       already, up_to_date)


def _describe(state: FileRecord | None, was: FileRecord | None,
              will: FileRecord | None) -> str:
    if state is None:
        return "missing"
    if state.size < 0:
        return "a folder where a file should be"
    if was is None and will is None:
        return "not in either catalogue"
    return "changed"
