"""The offline copy as one ZIM file, for Kiwix (phones, Kiwix-serve, Kiwix JS in a browser).

Every file of a built site becomes an entry at its own path, so the site's relative links keep
working; HTML pages are front articles with their titles in the title index, and libzim builds
the full-text index (Xapian, which cuts Chinese into character n-grams). libzim embeds a
random UUID, so unlike the zip a ZIM is not byte-identical from one run to the next.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import struct
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lifelong import __version__
from lifelong.offline.bundle import BundleError, check_output_path, publish_file, site_files

#: MIME types by extension, fixed here rather than taken from the platform's tables, which
#: differ between machines (and so would the archive).
MIMETYPES = {
    ".html": "text/html", ".htm": "text/html", ".css": "text/css",
    ".js": "application/javascript", ".mjs": "application/javascript",
    ".json": "application/json", ".map": "application/json", ".xml": "application/xml",
    ".txt": "text/plain", ".md": "text/plain", ".csv": "text/csv",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon", ".woff": "font/woff", ".woff2": "font/woff2",
    ".ttf": "font/ttf", ".otf": "font/otf", ".pdf": "application/pdf",
    ".epub": "application/epub+zip", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
    ".ogg": "audio/ogg", ".mp4": "video/mp4", ".webm": "video/webm", ".vtt": "text/vtt",
    ".gz": "application/gzip", ".zip": "application/zip",
}
#: Already compressed: libzim would only spend time on them.
_STORED = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "font/woff",
           "font/woff2", "application/gzip", "application/zip", "application/epub+zip",
           "audio/mpeg", "audio/mp4", "audio/ogg", "video/mp4", "video/webm", "application/pdf"}
#: Pages that are not articles: kept in the archive, left out of suggestions and random.
_NOT_ARTICLES = {"404.html"}
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ILLUSTRATION_SIZE = 48
#: Where MkDocs themes put the favicon; used as the illustration when it is a 48x48 PNG.
SITE_ICON = "assets/images/favicon.png"


class ZimError(BundleError):
    """The ZIM could not be written; the message says why."""


@dataclass(frozen=True)
class ZimInfo:
    """What ``write_zim`` wrote."""

    path: Path
    entries: int
    articles: int
    illustration: str  #: "given", "site" (the site's favicon) or "generated"


def mimetype_of(path: str) -> str:
    return MIMETYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


def html_title(path: Path) -> str:
    """The text of the page's <title>, or '' if it has none."""
    with path.open("rb") as handle:
        head = handle.read(16384)
        match = _TITLE_RE.search(head) or _TITLE_RE.search(head + handle.read())
    if match is None:
        return ""
    text = html.unescape(match.group(1).decode("utf-8", "replace"))
    return " ".join(text.split())


_META_RE = re.compile(rb"<meta\s[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def page_metadata(path: Path) -> dict[str, str]:
    """title, description and author of a page, from its <title> and <meta name=...>
    (Material writes site_description and site_author there)."""
    found = {"title": html_title(path)}
    with path.open("rb") as handle:
        head = handle.read(65536).split(b"</head", 1)[0]
    for tag in _META_RE.findall(head):
        attrs = {m[0].lower(): m[1] or m[2] for m in _ATTR_RE.findall(tag)}
        name = attrs.get(b"name", b"").decode("utf-8", "replace").lower()
        if name in ("description", "author") and attrs.get(b"content"):
            text = html.unescape(attrs[b"content"].decode("utf-8", "replace"))
            found[name] = " ".join(text.split())
    return {key: value for key, value in found.items() if value}


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header, or None if data is not a PNG."""
    if len(data) < 24 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def default_illustration(size: int = ILLUSTRATION_SIZE) -> bytes:
    """A square PNG made here, byte for byte the same each time: an open white book on the
    catalogue's green, drawn with zlib and struct (no imaging library needed)."""
    green, white, spine = (0x2E, 0x7D, 0x32), (0xFF, 0xFF, 0xFF), (0xC8, 0xE6, 0xC9)
    top, bottom = size * 13 // 48, size * 37 // 48
    left, right, middle = size * 8 // 48, size * 40 // 48, size // 2
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(size):
            # The pages dip towards the spine, one pixel per four from the middle.
            dip = abs(x - middle) // 4
            if left <= x < right and top + 3 - dip <= y < bottom - dip:
                colour = spine if x in (middle - 1, middle) else white
            else:
                colour = green
            row += bytes(colour)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (_PNG_SIGNATURE + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


@contextmanager
def _quiet_libzim(log: Path) -> Iterator[None]:
    """libzim's C++ writes progress to stdout and notes to stderr ("No stemming for
    language"); send both to a file so a command prints only its own lines."""
    try:
        saved = [os.dup(1), os.dup(2)]
    except OSError:  # no real descriptors (embedded interpreters): leave them be
        yield
        return
    with log.open("wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def write_zim(site_dir: Path, out_zim: Path, *, title: str, description: str,
              language: str = "zho", creator: str, publisher: str, date: dt.date,
              illustration_png: bytes | None = None, main_path: str = "index.html",
              name: str = "lifelong_zh_all", long_description: str | None = None,
              force: bool = False) -> ZimInfo:
    """Write every file of site_dir into a ZIM with full-text and title indexes.

    ``language`` is an ISO 639-3 code ("zho" for Chinese): the ZIM's Language metadata and
    the language of the full-text index. Without ``illustration_png`` the site's favicon is
    used if it is a 48x48 PNG, else a generated one. The file is written beside out_zim
    under a temporary name and renamed; an existing out_zim is only replaced with ``force``.
    """
    from libzim.writer import Creator, FileProvider, Hint, Item

    check_output_path(out_zim, force, site_dir)
    problems = []
    if not 0 < len(title) <= 30:
        problems.append(f"title {title!r} must have 1 to 30 characters (Kiwix shows it whole)")
    if not 0 < len(description) <= 80:
        problems.append(f"description must have 1 to 80 characters, not {len(description)}")
    if long_description is not None and not len(description) < len(long_description) <= 4000:
        problems.append("long description must be longer than the description and at most "
                        "4000 characters")
    if not re.fullmatch(r"[a-z]{3}(,[a-z]{3})*", language):
        problems.append(f"language {language!r} must be ISO 639-3 codes, e.g. zho or zho,eng")
    for label, value in (("creator", creator), ("publisher", publisher)):
        if not value.strip():
            problems.append(f"{label} must not be empty")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name):
        problems.append(f"name {name!r} must be lowercase letters, digits, '_', '.', '-'")
    if problems:
        raise ZimError("cannot write the ZIM: " + "; ".join(problems))

    paths = site_files(site_dir)
    if (site_dir / "manifest.json").is_file():
        paths = sorted([*paths, "manifest.json"])
    if main_path not in paths:
        raise ZimError(f"{site_dir}: no {main_path} for the main page")
    source = "given"
    if illustration_png is None:
        icon = site_dir / SITE_ICON
        data = icon.read_bytes() if icon.is_file() else b""
        if png_size(data) == (ILLUSTRATION_SIZE, ILLUSTRATION_SIZE):
            illustration_png, source = data, "site"
        else:
            illustration_png, source = default_illustration(), "generated"
    if png_size(illustration_png) != (ILLUSTRATION_SIZE, ILLUSTRATION_SIZE):
        raise ZimError(f"the illustration must be a {ILLUSTRATION_SIZE}x{ILLUSTRATION_SIZE} PNG")

    main_title = html_title(site_dir / main_path)
    suffix = f" - {main_title}" if main_title else None

    class SiteItem(Item):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path
            self.mimetype = mimetype_of(path)
            self.title = ""
            if self.mimetype == "text/html":
                text = html_title(site_dir / path)
                if suffix and text.endswith(suffix) and text != suffix:
                    text = text[: -len(suffix)]
                self.title = text

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return self.mimetype

        def get_contentprovider(self) -> FileProvider:
            return FileProvider(str(site_dir / self.path))

        def get_hints(self) -> dict[Hint, int]:
            article = self.mimetype == "text/html" and self.path not in _NOT_ARTICLES
            return {Hint.FRONT_ARTICLE: article,
                    Hint.COMPRESS: self.mimetype not in _STORED}

    out_zim.parent.mkdir(parents=True, exist_ok=True)
    fd, name_tmp = tempfile.mkstemp(dir=out_zim.parent, prefix=f".lifelong-{out_zim.name}.",
                                    suffix=".tmp")
    os.close(fd)
    tmp = Path(name_tmp)
    log = tmp.with_name(tmp.name + ".log")
    articles = 0
    try:
        tmp.unlink()  # libzim creates the file itself
        with _quiet_libzim(log):
            creator_ = Creator(str(tmp)).config_indexing(True, language.split(",")[0])
            with creator_ as zim:
                zim.set_mainpath(main_path)
                zim.add_illustration(ILLUSTRATION_SIZE, illustration_png)
                for key, value in (("Name", name), ("Title", title),
                                   ("Description", description), ("Language", language),
                                   ("Creator", creator), ("Publisher", publisher),
                                   ("Date", date.isoformat()),
                                   ("Scraper", f"lifelong {__version__}"),
                                   ("Tags", "_ftindex:yes;_category:other")):
                    zim.add_metadata(key, value)
                if long_description:
                    zim.add_metadata("LongDescription", long_description)
                for path in paths:
                    item = SiteItem(path)
                    articles += item.get_hints()[Hint.FRONT_ARTICLE]
                    zim.add_item(item)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        said = log.read_text("utf-8", "replace").strip() if log.exists() else ""
        log.unlink(missing_ok=True)
        if isinstance(exc, (RuntimeError, OSError)):
            detail = f" ({said.splitlines()[-1]})" if said else ""
            raise ZimError(f"{out_zim}: libzim failed: {exc}{detail}") from None
        raise
    log.unlink(missing_ok=True)
    publish_file(tmp, out_zim, force=force)
    return ZimInfo(out_zim, len(paths), articles, source)
