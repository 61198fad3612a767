"""Covers and photos at http(s) addresses in the offline copy: never asked for by the copy.
By default they are left out (placeholders shown) and `lifelong bundle` lists them; with
``remote_media: fetch`` / ``--fetch-remote`` they are fetched at build time into the copy
(raster images only, deterministic names, cached), and what fails keeps its placeholder with
a warning. Fetching is tried against a local server on 127.0.0.1 only."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import http.server
import json
import logging
import re
import shutil
import struct
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from browser import PageLog
from lifelong.cli import bundle as cli_bundle
from lifelong.cli import main
from lifelong.offline import remote
from lifelong.offline.remote import RemoteStore, copy_name
from sitekit import build_site, course, one_of_each, read, write_project

OFFLINE = {"use_directory_urls": False}
#: Never asked for: the tests that use it show that nothing refers to it.
ELSEWHERE = "https://covers.example.org"


def png(width: int = 3, height: int = 2) -> bytes:
    """A real (green) PNG image."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(
            ">I", zlib.crc32(tag + data))
    rows = b"".join(b"\x00" + b"\x2e\x7d\x32" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


#: A real 3x2 JPEG image (drawn by Chromium, its colour profile taken out).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERX"
    "RTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj"
    "Y2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAMDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAA"
    "AAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABf/EABQRAQAAAAAAAAAAAAAAAAAA"
    "AAD/2gAMAwEAAhEDEQA/AJQBwS//2Q==")
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00" \
      b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
HTML = b"<!doctype html><title>x</title><script>alert(1)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'

#: What the server answers, by path: (status, content type, body, extra headers).
ROUTES: dict[str, tuple[int, str, bytes, dict[str, str]]] = {
    "/a.png": (200, "image/png", png(), {}),
    "/b.jpg": (200, "image/jpeg", JPEG, {}),
    "/c.gif": (200, "image/gif", GIF, {}),
    "/page.png": (200, "image/png", HTML, {}),  # HTML whatever the server says it is
    "/logo.svg": (200, "image/svg+xml", SVG, {}),
    "/missing.png": (404, "text/html", b"not here", {}),
    "/busy.png": (503, "text/plain", b"try later", {}),
    "/moved.png": (302, "text/plain", b"", {"Location": "/a.png"}),
    "/loop.png": (302, "text/plain", b"", {"Location": "/loop2.png"}),
    "/loop2.png": (302, "text/plain", b"", {"Location": "/loop3.png"}),
    "/loop3.png": (302, "text/plain", b"", {"Location": "/loop4.png"}),
    "/loop4.png": (302, "text/plain", b"", {"Location": "/a.png"}),
    "/to-file.png": (302, "text/plain", b"", {"Location": "file:///etc/passwd"}),
    "/big.png": (200, "image/png", png() + b"\0" * 2048, {}),
}


class ImageServer:
    """``ROUTES`` on 127.0.0.1; ``hits`` counts the requests by path."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits[self.path] += 1
                status, kind, body, headers = ROUTES.get(
                    self.path, (404, "text/plain", b"no", {}))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    with pytest.MonkeyPatch.context() as patch:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                     "ALL_PROXY"):
            patch.delenv(name, raising=False)
        serving = ImageServer()
        yield serving
        serving.close()


def copy_path(url: str, ext: str) -> str:
    return f"media/remote/{hashlib.sha256(url.encode()).hexdigest()[:32]}.{ext}"


def remote_entries(base: str) -> list[dict[str, Any]]:
    """The small catalogue with five courses and a star whose images are remote."""
    return [*one_of_each(),
            course("remote-png", title="远程封面一", cover=f"{base}/a.png"),
            course("remote-jpeg", title="远程封面二", cover=f"{base}/b.jpg"),
            course("remote-html", title="网页封面", cover=f"{base}/page.png"),
            course("remote-gone", title="找不到的封面", cover=f"{base}/missing.png"),
            course("remote-again", title="同一封面", cover=f"{base}/a.png"),
            {"kind": "star", "id": "remote-star", "title": "远程照片", "name": "李阿姨",
             "summary": "照片在别处。", "subjects": ["digital-skills"], "year": 2023,
             "published": "2023-09-02", "photo": f"{base}/b.jpg"}]


def offline_project(root: Path, entries: list[dict[str, Any]], **plugin: Any) -> Path:
    """A project with the entries and a site_config/offline.yml as the shipped one."""
    write_project(root, entries)
    (root / "site_config").mkdir()
    options = "".join(f"      {name}: {value}\n" for name, value in plugin.items())
    (root / "site_config" / "offline.yml").write_text(
        "INHERIT: ../mkdocs.yml\ndocs_dir: ../content\nsite_dir: ../build/offline\n"
        "use_directory_urls: false\nplugins:\n  - lifelong/catalogue:\n"
        "      catalogue_dir: ../catalogue\n      page_size: 24\n      offline: true\n"
        + options, encoding="utf-8")
    return root


@dataclasses.dataclass
class Bundled:
    code: int
    stdout: str
    stderr: str
    copy: Path  #: the zip, unpacked
    zip: Path


def bundle(project: Path, name: str, *options: str) -> Bundled:
    assert cli_bundle  # registers `lifelong bundle`
    out = project.parent / f"{name}.zip"
    logger = logging.getLogger("mkdocs")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    try:
        result = CliRunner().invoke(main, ["bundle", "-o", str(out), "--project", str(project),
                                           *options])
    finally:  # the command sets up MkDocs' logger for a terminal
        logger.handlers[:], logger.propagate, logger.level = saved
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    copy = project.parent / name
    with zipfile.ZipFile(out) as archive:
        archive.extractall(copy)
    return Bundled(result.exit_code, result.stdout, result.stderr, copy, out)


#: Elements whose address the browser loads by itself, and CSS url(): none may be outside.
_LOADED = re.compile(r"<(img|script|link|source|video|audio|iframe|embed|input|image|use)\b"
                     r"[^>]*>", re.I)
_ADDRESS = re.compile(r"""\b(src|srcset|href|poster|data|xlink:href)\s*=\s*["']?([^"'>]*)""",
                      re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*(https?:)?//""", re.I)
#: Link relations that name an address without loading it.
_NOT_LOADED = re.compile(r"""\brel\s*=\s*["']?(canonical|alternate)\b""", re.I)


def outside_references(site: Path) -> list[str]:
    """Every place in the site's files (pages, styles, scripts) that makes a browser ask for
    something outside it: an http(s) or protocol-relative address in src, srcset, href...
    of an element that loads it, or in a CSS url()."""
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".css", ".js", ".svg"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        name = path.relative_to(site).as_posix()
        for element in _LOADED.finditer(text):
            tag = element.group(0)
            if element.group(1).lower() == "link" and _NOT_LOADED.search(tag):
                continue
            for attribute, value in _ADDRESS.findall(tag):
                if re.search(r"(^|[\s,])(https?:)?//", value.strip(), re.I):
                    found.append(f"{name}: {attribute}={value}")
        found.extend(f"{name}: {m.group(0)}" for m in _CSS_URL.finditer(text))
    return found


# --- left out: placeholders ---------------------------------------------------------------

@pytest.fixture(scope="module")
def placeholder_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundled:
    root = tmp_path_factory.mktemp("placeholder")
    project = offline_project(root / "project", remote_entries(ELSEWHERE))
    return bundle(project, "copy")


def test_an_offline_site_refers_to_no_outside_image(tmp_path: Path) -> None:
    config = write_project(tmp_path, remote_entries(ELSEWHERE), mkdocs=OFFLINE,
                           plugin={"offline": True})
    site = build_site(config)
    assert outside_references(site) == []
    assert ELSEWHERE not in "".join(p.read_text(encoding="utf-8")
                                    for p in site.rglob("*.html"))
    # The card shows its placeholder (the title's first character); the page, no cover.
    cards = [card for page in site.rglob("*.html") for card in re.findall(
        r'<a class="ll-card__link" href="(?:\.\./)*remote-png.html">(.*?)</li>',
        page.read_text(encoding="utf-8"), re.S)]
    assert len(cards) >= 2  # the home page and listings
    for card in cards:
        assert '<span class="ll-card__placeholder" aria-hidden="true">远</span>' in card
        assert "<img" not in card
    assert "ll-entry__cover" not in read(site, "remote-png.html")
    # Local covers are still shown.
    assert '<img class="ll-entry__cover" src="courses/covers/taiji.svg"' in \
        read(site, "taiji-basics.html")
    assert not (site / "media").exists()


def test_online_sites_still_show_remote_covers(tmp_path: Path) -> None:
    site = build_site(write_project(tmp_path, remote_entries(ELSEWHERE)))
    assert f'<img class="ll-entry__cover" src="{ELSEWHERE}/a.png"' in \
        read(site, "remote-png/index.html")
    assert f'<img src="{ELSEWHERE}/b.jpg" alt="" loading="lazy"' in read(site, "index.html")


def test_bundle_lists_the_remote_images_it_leaves_out_before_packing(
        placeholder_bundle: Bundled) -> None:
    lines = placeholder_bundle.stdout.splitlines()
    assert lines[0].startswith("Catalogue ")
    at = lines.index("6 remote images left out (placeholders shown; --fetch-remote fetches "
                     "them into the copy):")
    assert lines[at + 1:at + 7] == [
        f"  courses/remote-again.md: {ELSEWHERE}/a.png",
        f"  courses/remote-gone.md: {ELSEWHERE}/missing.png",
        f"  courses/remote-html.md: {ELSEWHERE}/page.png",
        f"  courses/remote-jpeg.md: {ELSEWHERE}/b.jpg",
        f"  courses/remote-png.md: {ELSEWHERE}/a.png",
        f"  stars/remote-star.md: {ELSEWHERE}/b.jpg"]
    assert lines[-1].startswith("Wrote ")  # packed after the list
    assert at < len(lines) - 1
    assert placeholder_bundle.stderr == ""
    assert outside_references(placeholder_bundle.copy) == []


def test_the_list_of_images_left_out_is_capped(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli_bundle, "LISTED", 2)
    images = tuple(remote.RemoteImage(f"courses/c{n}.md", f"{ELSEWHERE}/{n}.png")
                   for n in range(5))
    cli_bundle._report_remote(remote.RemoteMedia(left_out=images))
    assert capsys.readouterr().out.splitlines() == [
        "5 remote images left out (placeholders shown; --fetch-remote fetches them into the "
        "copy):", f"  courses/c0.md: {ELSEWHERE}/0.png", f"  courses/c1.md: {ELSEWHERE}/1.png",
        "  ... and 3 more"]


# --- fetched into the copy ----------------------------------------------------------------

@dataclasses.dataclass
class Fetched:
    first: Bundled
    second: Bundled
    hits_after_first: Counter[str]
    hits_after_second: Counter[str]
    base: str
    project: Path


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory, server: ImageServer) -> Fetched:
    root = tmp_path_factory.mktemp("fetched")
    project = offline_project(root / "project", remote_entries(server.url))
    server.hits.clear()
    first = bundle(project, "first", "--fetch-remote")
    after_first = Counter(server.hits)
    second = bundle(project, "second", "--fetch-remote")
    return Fetched(first, second, after_first, Counter(server.hits), server.url, project)


def test_fetched_images_land_in_the_copy_under_deterministic_names(fetched: Fetched) -> None:
    copy, base = fetched.first.copy, fetched.base
    png_copy, jpeg_copy = copy_path(f"{base}/a.png", "png"), copy_path(f"{base}/b.jpg", "jpg")
    assert sorted(p.relative_to(copy).as_posix() for p in (copy / "media").rglob("*")
                  if p.is_file()) == sorted([png_copy, jpeg_copy])
    assert (copy / png_copy).read_bytes() == png()
    assert (copy / jpeg_copy).read_bytes() == JPEG
    assert f'<img class="ll-entry__cover" src="{png_copy}"' in read(copy, "remote-png.html")
    assert f'<img class="ll-entry__cover" src="{jpeg_copy}"' in read(copy, "remote-star.html")
    assert f'<img src="../../{png_copy}" alt=""' in read(copy, "subjects/exercise/index.html")
    # What could not be fetched shows its placeholder.
    assert "ll-entry__cover" not in read(copy, "remote-html.html")
    assert "ll-entry__cover" not in read(copy, "remote-gone.html")
    assert outside_references(copy) == []
    assert base not in "".join(p.read_text(encoding="utf-8") for p in copy.rglob("*.html"))


def test_what_cannot_be_fetched_is_a_warning_naming_the_entry_file(fetched: Fetched) -> None:
    out, base = fetched.first.stdout.splitlines(), fetched.base
    assert "4 remote images fetched into the copy (2 files in media/remote/)" in out
    at = out.index("2 remote images left out (placeholders shown):")
    assert out[at + 1:at + 3] == [
        f"  courses/remote-gone.md: {base}/missing.png (HTTP 404)",
        f"  courses/remote-html.md: {base}/page.png (not a PNG, JPEG, GIF or WebP image "
        "(served as image/png))"]
    assert fetched.first.stderr.splitlines() == [
        f"Warning: courses/remote-gone.md: cover {base}/missing.png could not be fetched: "
        "HTTP 404; the placeholder is shown",
        f"Warning: courses/remote-html.md: cover {base}/page.png could not be fetched: not a "
        "PNG, JPEG, GIF or WebP image (served as image/png); the placeholder is shown"]


def test_a_second_bundle_fetches_nothing_and_is_the_same_bytes(fetched: Fetched) -> None:
    assert fetched.hits_after_first == {"/a.png": 1, "/b.jpg": 1, "/page.png": 1,
                                        "/missing.png": 1}
    assert fetched.hits_after_second == fetched.hits_after_first
    assert fetched.second.zip.read_bytes() == fetched.first.zip.read_bytes()
    assert fetched.second.stderr == fetched.first.stderr
    kept = fetched.project / ".lifelong-cache" / "remote"
    assert (kept / f"{copy_name(fetched.base + '/a.png')}.png").read_bytes() == png()


def test_a_fetch_rebuild_equals_a_clean_build(tmp_path: Path, server: ImageServer,
                                              caplog: pytest.LogCaptureFixture) -> None:
    """The plugin's own build (mkdocs build, lifelong build): failures are warnings in its
    log; a rebuild after the fetched images change equals a clean build."""
    entries = remote_entries(server.url)
    config = write_project(tmp_path, entries, mkdocs=OFFLINE,
                           plugin={"offline": True, "remote_media": "fetch"})
    site = build_site(config, strict=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"courses/remote-gone.md: cover {server.url}/missing.png could not be fetched: "
        "HTTP 404; the placeholder is shown instead",
        f"courses/remote-html.md: cover {server.url}/page.png could not be fetched: not a "
        "PNG, JPEG, GIF or WebP image (served as image/png); the placeholder is shown instead"]
    caplog.clear()  # expected: the autouse check fails a test on any other warning
    # One image gone from the catalogue, one new: its copy is removed, the new one added.
    changed = [e for e in entries if e["id"] not in ("remote-jpeg", "remote-star")]
    changed.append(course("remote-gif", title="动图封面", cover=f"{server.url}/c.gif"))
    shutil.rmtree(tmp_path / "content")
    config = write_project(tmp_path, changed, mkdocs=OFFLINE,
                           plugin={"offline": True, "remote_media": "fetch"})
    build_site(config, strict=False, dirty=True)
    caplog.clear()
    clean = build_site(config, strict=False, site_dir=str(tmp_path / "clean"))
    caplog.clear()
    assert not (site / copy_path(f"{server.url}/b.jpg", "jpg")).exists()
    assert (site / copy_path(f"{server.url}/c.gif", "gif")).read_bytes() == GIF
    assert digest(site) == digest(clean)


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("path", "expected"), [
    ("/a.png", "png"), ("/b.jpg", "jpg"), ("/c.gif", "gif"), ("/moved.png", "png"),
    ("/page.png", "not a PNG, JPEG, GIF or WebP image (served as image/png)"),
    ("/logo.svg", "not a PNG, JPEG, GIF or WebP image (served as image/svg+xml)"),
    ("/missing.png", "HTTP 404"), ("/busy.png", "HTTP 503"),
    ("/loop.png", "more than 3 redirects"),
    ("/to-file.png", "redirected to 'file:///etc/passwd', not a web address"),
    ("/big.png", f"larger than {(len(png()) + 1024) / (1024 * 1024):g} MB")])
def test_fetching_takes_only_raster_images_within_bounds(
        tmp_path: Path, server: ImageServer, monkeypatch: pytest.MonkeyPatch, path: str,
        expected: str) -> None:
    monkeypatch.setattr(remote, "MAX_BYTES", len(png()) + 1024)
    store = RemoteStore(tmp_path)
    url = server.url + path
    found = store.fetch(url)
    if expected in remote.EXTENSIONS:
        assert isinstance(found, Path)
        assert found.name == f"{copy_name(url)}.{expected}"
        assert found.read_bytes() == ROUTES["/a.png" if path == "/moved.png" else path][2]
    else:
        assert found == expected
    # Fetched images and definite failures are remembered; a server error is tried again.
    before = server.hits[path]
    assert store.fetch(url) == found
    assert server.hits[path] == before + (1 if path == "/busy.png" else 0)


def test_a_remembered_failure_is_tried_again_a_day_later(tmp_path: Path,
                                                          server: ImageServer) -> None:
    store = RemoteStore(tmp_path)
    url = server.url + "/missing.png"
    assert store.fetch(url) == "HTTP 404"
    failure = tmp_path / f"{copy_name(url)}.failed"
    record = json.loads(failure.read_text(encoding="utf-8"))
    record["time"] -= remote.RETRY_AFTER + 1
    failure.write_text(json.dumps(record), encoding="utf-8")
    before = server.hits["/missing.png"]
    assert store.fetch(url) == "HTTP 404"
    assert server.hits["/missing.png"] == before + 1


# --- in the browser -----------------------------------------------------------------------

@pytest.mark.browser
def test_the_copy_asks_nothing_outside_itself_in_chromium(
        browser: Any, placeholder_bundle: Bundled, fetched: Fetched) -> None:
    """From file://, pages that show remote covers (left out in one copy, fetched into the
    other) ask for nothing outside the copy, and every image shown is loaded."""
    for copy in (placeholder_bundle.copy, fetched.first.copy):
        for path in ("index.html", "subjects/exercise/index.html", "remote-png.html",
                     "remote-star.html", "remote-html.html", "search/index.html"):
            page = browser.new_page()
            log = PageLog()
            log.watch(page)
            page.goto((copy / path).as_uri(), wait_until="load")
            if path == "search/index.html":  # results show covers too
                page.fill("#ll-search-q", "远程")
                page.keyboard.press("Enter")
                page.wait_for_selector("#ll-search-results li")
            page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
            page.wait_for_function("[...document.images].every(i => i.complete)")
            broken = page.evaluate("[...document.images].filter(i => !i.naturalWidth)"
                                   ".map(i => i.src)")
            assert broken == [], (copy.name, path)
            outside = [url for url in log.requests if not url.startswith("file://")]
            assert outside == [], (copy.name, path)
            assert log.failed == [] and log.errors == [], (copy.name, path)
            if path == "remote-png.html":
                shown = page.locator("img.ll-entry__cover").count()
                assert shown == (1 if copy == fetched.first.copy else 0)
            page.close()


def test_images_in_descriptions_stay_home_offline(tmp_path: Path) -> None:
    """A description's image from another host keeps only its alt text offline; online it
    is shown as written."""
    body = (f"![远程图片]({ELSEWHERE}/body.png)\n\n"
            f'<img src="//covers.example.org/raw.png" alt="另一张"> '
            "![本地图片](covers/taiji.svg)\n")
    for name, options in (("offline", {"plugin": {"offline": True}, "mkdocs": OFFLINE}),
                          ("online", {})):
        config = write_project(tmp_path / name, one_of_each(), **options)
        entry = tmp_path / name / "content" / "courses" / "taiji-basics.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace("正文第一段。", body),
                         encoding="utf-8")
        site = build_site(config)
        page = read(site, "taiji-basics.html" if name == "offline" else
                    "taiji-basics/index.html")
        if name == "offline":
            assert outside_references(site) == []
            assert '<img alt="远程图片">' in page
            assert '<img alt="另一张">' in page
            assert 'src="courses/covers/taiji.svg"' in page
        else:
            assert f'<img alt="远程图片" src="{ELSEWHERE}/body.png">' in page
