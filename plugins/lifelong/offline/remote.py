"""Remote images (covers and photos at http(s) addresses) in the offline copy.

An offline copy never asks an outside host for anything: it opens from a USB stick, often
with no network, and a request out of it is a broken image at best and a reader's visit
reported to a third party at worst. So a remote cover or photo is either left out, and the
card shows its placeholder (``placeholder``, the default), or fetched once, at build time,
into the copy (``fetch``: the ``remote_media`` option, ``lifelong bundle --fetch-remote``).
Which of the two a page shows is decided in one place, ``Renderer.image_link``; this module
works out what it is given (``prepare``).

Fetching is bounded: http(s) only (redirects too, at most ``MAX_REDIRECTS``), a timeout per
request and a time limit per download, at most ``MAX_BYTES``; only PNG, JPEG, GIF and WebP
are taken, recognised by their first bytes whatever the server says they are (never SVG or
HTML, which can carry scripts). A copy is named after its address's SHA-256
(``media/remote/<hash>.<ext>``), so that two builds give the same files, and kept in the
cache folder (``.lifelong-cache/remote/``): rebuilds fetch nothing again. An address that
cannot be fetched shows the placeholder, with a warning naming the entry file; a definite
failure (4xx, not an image, too large) is remembered for ``RETRY_AFTER`` seconds, others
(no connection, a timeout, a server error) are tried again by the next build.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import http.client
import json
import logging
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lifelong.build.cache import write_atomically

if TYPE_CHECKING:
    from lifelong.build.catalogue_site import CatalogueSite
    from lifelong.catalogue.model import Entry

log = logging.getLogger("mkdocs.plugins.lifelong")

#: Where copies of remote images go in the site.
SITE_FOLDER = "media/remote"
#: Largest image taken, in bytes.
MAX_BYTES = 5 * 1024 * 1024
#: Seconds to wait for a connection or for each read.
TIMEOUT = 10.0
#: Seconds a whole download may take (a server that trickles bytes is given up on).
DEADLINE = 30.0
#: Redirects followed, each to an http(s) address.
MAX_REDIRECTS = 3
#: Downloads at a time.
THREADS = 8
#: Seconds a definite failure (HTTP 4xx, not an image, too large) is remembered.
RETRY_AFTER = 24 * 3600
#: The first bytes of each image format taken, and the extension its copy gets.
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"),
               (b"GIF89a", "gif"))
EXTENSIONS = ("png", "jpg", "gif", "webp")
NOT_AN_IMAGE = "not a PNG, JPEG, GIF or WebP image"


def image_type(data: bytes) -> str | None:
    """The extension of a PNG, JPEG, GIF or WebP image by its first bytes, or None."""
    for signature, ext in _SIGNATURES:
        if data.startswith(signature):
            return ext
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def copy_name(url: str) -> str:
    """The name of a remote image's copy, without extension: from its address alone."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class RemoteImage:
    """A cover or photo at a remote address: which entry file shows it, and why its copy is
    not in the site when a fetch failed."""

    source: str  #: the entry's file, relative to content/
    url: str
    field: str = "cover"  #: or photo
    reason: str | None = None


@dataclass(frozen=True)
class RemoteMedia:
    """What an offline build does with remote images (``prepare``)."""

    mode: str = "placeholder"
    #: Copies in the site by address: path in the site (``media/remote/<hash>.<ext>``).
    fetched: Mapping[str, str] = field(default_factory=dict)
    #: The files MkDocs copies into the site: path in the site -> file in the cache.
    files: Mapping[str, Path] = field(default_factory=dict)
    #: The images shown as placeholders, by entry file.
    left_out: tuple[RemoteImage, ...] = ()
    #: How many entries show a copy of their remote image.
    shown: int = 0

    @property
    def failed(self) -> tuple[RemoteImage, ...]:
        """Images a fetch was tried for and failed."""
        return tuple(image for image in self.left_out if image.reason)

    def key(self) -> str:
        """What the pages depend on: which addresses have a copy, and its name."""
        if not self.fetched:
            return ""
        text = "\n".join(f"{url} {path}" for url, path in sorted(self.fetched.items()))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def remote_images(entries: Iterable[Entry]) -> list[RemoteImage]:
    """The remote cover or photo (the image its card shows) of each of ``entries``, by
    entry file."""
    found = []
    for entry in entries:
        cover = entry.cover
        if cover is not None and cover.url is not None:
            name = "cover" if entry.get("cover") is cover else "photo"
            found.append(RemoteImage(entry.path, cover.url, name))
    return sorted(found, key=lambda image: (image.source, image.url))


def prepare(site: CatalogueSite) -> RemoteMedia:
    """Decide, for an offline site, what its pages show of remote images: the placeholder,
    or (``remote_media: fetch``, unless no media are included) a copy fetched into the site.
    The renderer is told (``Renderer.remote_images``), and the site's options say what was
    fetched, so that every page's fingerprint follows it. Failed fetches are logged as
    warnings naming the entry file (with ``lifelong_remote`` set on the record)."""
    options = site.options
    inside = remote_images(site.catalogue.entries)
    # Entries outside a subset show their card (on the pages that link to them): their
    # local files are left out, and their remote images are not fetched either.
    outside = remote_images(site.outside.values())
    fetched: dict[str, str] = {}
    files: dict[str, Path] = {}
    reasons: dict[str, str] = {}
    mode = options.remote_media
    if mode == "fetch" and options.media != "none" and inside:
        store = RemoteStore(cache_folder(options.cache_dir))
        for url, result in store.fetch_all(sorted({image.url for image in inside})).items():
            if isinstance(result, Path):
                path = f"{SITE_FOLDER}/{result.name}"
                fetched[url] = path
                files[path] = result
            else:
                reasons[url] = result
    shown = sum(1 for image in (*inside, *outside) if image.url in fetched)
    left_out = tuple(sorted(
        (dataclasses.replace(image, reason=reasons.get(image.url))
         for image in (*inside, *outside) if image.url not in fetched),
        key=lambda image: (image.source, image.url)))
    remote = RemoteMedia(mode, fetched, files, left_out, shown)
    site.renderer.remote_images = dict(fetched)
    site.options = dataclasses.replace(options, remote_fetched=remote.key())
    for image in remote.failed:
        log.warning(f"{image.source}: {image.field} {image.url} could not be fetched: "
                    f"{image.reason}; the placeholder is shown instead",
                    extra={"lifelong_remote": True})
    return remote


def cache_folder(cache_dir: Path | None) -> Path:
    """Where fetched images are kept: ``remote/`` in the cache folder, or, without one, a
    temporary folder for this process."""
    if cache_dir is not None:
        return cache_dir / "remote"
    global _TEMPORARY
    if _TEMPORARY is None:
        _TEMPORARY = Path(tempfile.mkdtemp(prefix="lifelong-remote-"))
        import atexit

        atexit.register(shutil.rmtree, _TEMPORARY, True)
    return _TEMPORARY


_TEMPORARY: Path | None = None


class FetchError(Exception):
    """A remote image could not be fetched; ``final``: fetching again will not help soon."""

    def __init__(self, reason: str, *, final: bool) -> None:
        super().__init__(reason)
        self.reason, self.final = reason, final


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects, to http(s) addresses only."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                       headers: Any) -> Any:
        target = headers.get("location") or headers.get("uri")
        if target is not None:
            newurl = urljoin(req.full_url, target)
            if urlsplit(newurl).scheme.lower() not in ("http", "https"):
                raise FetchError(f"redirected to {newurl!r}, not a web address", final=True)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    """urllib's opener with http(s) only (no file:, ftp: or data:), our redirects, and the
    proxies of the environment (http_proxy, no_proxy...)."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(),
                    urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), _Redirects(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def download(url: str) -> tuple[bytes, str]:
    """The image at ``url`` and its extension (raises FetchError)."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError("not an http(s) address", final=True)
    request = urllib.request.Request(url, headers={
        "User-Agent": "lifelong (offline copy builder)",
        "Accept": "image/png,image/jpeg,image/gif,image/webp;q=0.9,*/*;q=0.1"})
    began = time.monotonic()
    try:
        with _opener().open(request, timeout=TIMEOUT) as response:
            length = response.headers.get("Content-Length", "")
            too_big = f"larger than {MAX_BYTES / (1024 * 1024):g} MB"
            if length.isdigit() and int(length) > MAX_BYTES:
                raise FetchError(too_big, final=True)
            data = bytearray()
            while chunk := response.read(64 * 1024):
                data += chunk
                if len(data) > MAX_BYTES:
                    raise FetchError(too_big, final=True)
                if time.monotonic() - began > DEADLINE:
                    raise FetchError(f"took longer than {DEADLINE:.0f} s", final=False)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        exc.close()
        if urllib.request.HTTPRedirectHandler.inf_msg in str(exc.msg):  # gave up following
            raise FetchError(f"more than {MAX_REDIRECTS} redirects", final=True) from None
        # Client errors stay (a missing file, a refused request), but for the throttled.
        raise FetchError(f"HTTP {exc.code}", final=400 <= exc.code < 500 and exc.code not in
                         (408, 425, 429)) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, FetchError):
            raise reason from None
        text = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
        raise FetchError(f"no answer: {text}", final=False) from None
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError(f"no answer within {TIMEOUT:.0f} s", final=False) from None
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(f"broken answer: {type(exc).__name__}: {exc}", final=False) from None
    except ValueError as exc:  # an address urllib cannot use
        raise FetchError(f"not a valid address: {exc}", final=True) from None
    ext = image_type(bytes(data[:16]))
    if ext is None:
        raise FetchError(f"{NOT_AN_IMAGE} (served as {kind})", final=True)
    return bytes(data), ext


class RemoteStore:
    """Copies of remote images in ``folder`` (the cache): ``<hash>.<ext>`` for each image
    fetched, ``<hash>.failed`` for a definite failure, with its reason and time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def cached(self, url: str) -> Path | str | None:
        """The copy of ``url``, the reason a recent fetch of it failed, or None."""
        name = copy_name(url)
        for ext in EXTENSIONS:
            path = self.folder / f"{name}.{ext}"
            try:
                with path.open("rb") as handle:
                    head = handle.read(16)
            except OSError:
                continue
            if image_type(head) == ext:
                return path
            path.unlink(missing_ok=True)  # not what it should be: fetched again
        try:
            failure = json.loads((self.folder / f"{name}.failed").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(failure, dict) and failure.get("url") == url and \
                isinstance(failure.get("reason"), str) and \
                0 <= time.time() - float(failure.get("time", 0)) < RETRY_AFTER:
            return failure["reason"]
        return None

    def fetch(self, url: str) -> Path | str:
        """The copy of ``url`` (fetched now unless kept), or why there is none."""
        found = self.cached(url)
        return found if found is not None else self._fetch(url)

    def _fetch(self, url: str) -> Path | str:
        name = copy_name(url)
        try:
            data, ext = download(url)
        except FetchError as exc:
            if exc.final:
                self._write(f"{name}.failed", json.dumps(
                    {"url": url, "reason": exc.reason, "time": time.time()}).encode())
            return exc.reason
        path = self._write(f"{name}.{ext}", data)
        (self.folder / f"{name}.failed").unlink(missing_ok=True)
        return path

    def fetch_all(self, urls: Sequence[str]) -> dict[str, Path | str]:
        """``fetch`` of each address, a few at a time; in the order given."""
        found = {url: self.cached(url) for url in urls}
        todo = [url for url, kept in found.items() if kept is None]
        if todo:
            log.info(f"Fetching {len(todo)} remote image{'' if len(todo) == 1 else 's'} "
                     f"into the offline copy")
            with concurrent.futures.ThreadPoolExecutor(min(THREADS, len(todo))) as pool:
                found.update(zip(todo, pool.map(self._fetch, todo), strict=True))
        return {url: kept for url, kept in found.items() if kept is not None}

    def _write(self, name: str, data: bytes) -> Path:
        """Write atomically: an interrupted build leaves the old file or none."""
        path = self.folder / name
        write_atomically(path, data)
        return path
