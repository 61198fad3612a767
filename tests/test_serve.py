"""``lifelong serve``: a real server in a process of its own, edited while it runs."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort, PluginError
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from lifelong.catalogue.problems import CatalogueError, Problem
from lifelong.mkdocs.serve import BuildFailure, serving
from sitekit import build_site, one_of_each, read, write_project

LIFELONG = Path(sys.executable).parent / "lifelong"  # as pip installed it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def answer(url: str, timeout: float = 5) -> tuple[int, Message, str] | None:
    """The status, headers and text of the answer, error pages too; None if there was
    none within ``timeout``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as got:
            return got.status, got.headers, got.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, exc.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(check, what: str, proc: subprocess.Popen[bytes], limit: float = 90) -> None:
    began = time.monotonic()
    while not check():
        assert proc.poll() is None, f"the server exited ({proc.returncode}) before {what}"
        assert time.monotonic() - began < limit, f"no {what} after {limit:.0f} s"
        time.sleep(0.2)


def retitle(file: Path, title: str, *, atomic: bool) -> None:
    set_field(file, "title", title, atomic=atomic)


def set_field(file: Path, name: str, value: str, *, atomic: bool) -> int:
    """Write ``name: value`` over the field's line; return its line number."""
    text = file.read_text(encoding="utf-8")
    lines = [f"{name}: {value}" if line.startswith(f"{name}:") else line
             for line in text.split("\n")]
    if atomic:  # what editors that save to a new file and rename it do (and lifelong's tools)
        tmp = file.with_name(f".{file.name}.tmp")
        tmp.write_text("\n".join(lines), encoding="utf-8")
        os.replace(tmp, file)
    else:
        file.write_text("\n".join(lines), encoding="utf-8")
    return next(number for number, line in enumerate(lines, 1) if line.startswith(f"{name}:"))


@pytest.mark.parametrize("poll", [False, True], ids=["change-events", "polling"])
def test_a_saved_entry_shows_on_the_served_page(tmp_path: Path, poll: bool) -> None:
    write_project(tmp_path, one_of_each())
    proc, base, log = start_serving(tmp_path, *(["--poll"] if poll else []))
    try:
        page = f"{base}phone-1/"
        wait_for(lambda: fetch(page) is not None, "first build", proc)
        assert "新标题" not in (fetch(page) or "")
        # Saved again as it was: nothing is built.
        lesson = tmp_path / "content" / "courses" / "phone-1.md"
        builds = log.read_text(encoding="utf-8").count("Building documentation")
        lesson.write_bytes(lesson.read_bytes())
        wait_for(lambda: "nothing to build" in log.read_text(encoding="utf-8"),
                 "the unchanged save", proc)
        assert log.read_text(encoding="utf-8").count("Building documentation") == builds
        retitle(lesson, "手机入门（新标题）", atomic=not poll)
        wait_for(lambda: "手机入门（新标题）" in (fetch(page) or ""), "reload", proc)
        # The saved entry's page was drawn first, and served while the site was rebuilt.
        assert "Showing the page saved (phone-1/) while the site is built again" in \
            log.read_text(encoding="utf-8")
        # Its subject's page and the next lesson's page show it too once the rebuild ends:
        # the whole site was rebuilt, not one page.
        for other in ("subjects/smartphone", "phone-2"):
            wait_for(lambda other=other: "手机入门（新标题）" in (fetch(f"{base}{other}/") or ""),
                     f"the rebuild of {other}", proc)
    finally:
        stop_serving(proc, log)


def test_the_browser_reloads_for_the_first_look_and_again_after_the_rebuild(
        tmp_path: Path, browser: Any) -> None:
    config = write_project(tmp_path, one_of_each())
    # Every build ends 3 s late (a hook): the first look must show before the rebuild ends.
    (tmp_path / "slow.py").write_text("import time\n\n\ndef on_post_build(config):\n"
                                      "    time.sleep(3)\n", encoding="utf-8")
    with config.open("a", encoding="utf-8") as settings:
        settings.write("\nhooks:\n  - slow.py\n")
    proc, base, log = start_serving(tmp_path)
    epoch = re.compile(r"livereload\((\d+), \d+\)")
    try:
        wait_for(lambda: fetch(f"{base}phone-1/") is not None, "first build", proc)
        page = browser.new_page()
        page.goto(f"{base}phone-1/", wait_until="load")
        page.evaluate("window.__before = true")  # gone once the page is loaded again
        retitle(tmp_path / "content" / "courses" / "phone-1.md", "手机入门（浏览器）",
                atomic=True)
        # MkDocs' live-reload script reloads the page for the first look: no reload by hand.
        page.wait_for_function(
            "() => !window.__before &&"
            " document.querySelector('h1').textContent.includes('手机入门（浏览器）')",
            timeout=30_000)
        assert "Reloading browsers" not in log.read_text(encoding="utf-8")  # still building
        wait_for(lambda: log.read_text(encoding="utf-8").count("Reloading browsers") >= 1,
                 "the end of the rebuild", proc)
        assert "Showing the page saved (phone-1/)" in log.read_text(encoding="utf-8")
        # After the rebuild the browser shows the site of its end: reloaded again, unless
        # its first-look reload came after the rebuild had ended.
        rebuilt = epoch.search(fetch(f"{base}about/") or "")
        assert rebuilt is not None
        page.wait_for_function(f"() => document.documentElement.outerHTML.includes("
                               f"'livereload({rebuilt.group(1)},')", timeout=30_000)
        page.close()
    finally:
        stop_serving(proc, log)


def test_a_first_look_draws_the_saved_entry_and_the_rebuild_still_equals_a_clean_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lifelong.build import preview
    from lifelong.build.cache import keep_in_memory

    config = write_project(tmp_path, one_of_each())
    lesson = tmp_path / "content" / "courses" / "phone-1.md"
    original = lesson.read_text(encoding="utf-8")
    keep_in_memory(True)  # as `lifelong serve` does
    try:
        site = build_site(config)
        # Saved again as it was (an editor's temporary file gone): nothing to draw or build,
        # and what the build knew is kept for the next save.
        lesson.write_text(original, encoding="utf-8")
        temporary = str(tmp_path / "content" / "courses" / ".phone-1.md.tmp")
        look = preview.first_look([str(lesson), temporary])
        assert (look.shown, look.unchanged) == ([], True)
        look = preview.first_look([str(lesson)])
        assert (look.shown, look.unchanged) == ([], True)
        # With another file saved (a hand-written page here), the rebuild is needed.
        look = preview.first_look([str(lesson), str(tmp_path / "content" / "index.md")])
        assert (look.shown, look.unchanged) == ([], False)
        assert preview.first_look([str(lesson)]).unchanged is False  # let go
        site = build_site(config, dirty=True)
        retitle(lesson, "手机入门（先看）", atomic=True)
        assert preview.first_look([str(lesson), temporary]).shown == ["phone-1/"]
        assert "手机入门（先看）" in read(site, "phone-1/index.html")
        assert "手机入门（先看）" not in read(site, "subjects/smartphone/index.html")
        assert preview.first_look([str(lesson)]).shown == []  # let go: the rebuild holds its own
        # The save undone before the rebuild: the page is drawn again all the same.
        lesson.write_text(original, encoding="utf-8")
        build_site(config, dirty=True)
        clean = build_site(config, site_dir=str(tmp_path / "clean"))
        assert tree_digest(site) == tree_digest(clean)
        # A rule saved, or an entry with a problem: the rebuild is the first look.
        retitle(lesson, "手机入门（再看）", atomic=True)
        rules = tmp_path / "catalogue" / "fields.yml"
        assert preview.first_look([str(lesson), str(rules)]) == preview.FirstLook()
        build_site(config, dirty=True)
        set_field(lesson, "published", "2024-02-30", atomic=True)
        assert preview.first_look([str(lesson)]) == preview.FirstLook()
        # More entries saved at once than a first look draws (a checkout, an import).
        lesson.write_text(original, encoding="utf-8")
        build_site(config, dirty=True)
        retitle(lesson, "手机入门（三看）", atomic=True)
        other = tmp_path / "content" / "courses" / "phone-2.md"
        retitle(other, "第二讲（三看）", atomic=True)
        monkeypatch.setattr(preview, "MOST", 1)
        assert preview.first_look([str(lesson), str(other)]) == preview.FirstLook()
        build_site(config, dirty=True)
        retitle(lesson, "手机入门（四看）", atomic=True)
        retitle(other, "第二讲（四看）", atomic=True)
        monkeypatch.setattr(preview, "MOST", 2)
        assert preview.first_look([str(lesson), str(other)]).shown == ["phone-1/", "phone-2/"]
    finally:
        keep_in_memory(False)
        preview.keep(None)


def tree_digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_serve_watches_with_change_events_unless_told_to_poll() -> None:
    import mkdocs.commands.serve as mkdocs_serve_module

    own_server, own_build = mkdocs_serve_module.LiveReloadServer, mkdocs_serve_module.build

    def observer(poll: bool | None) -> object:
        with contextlib.nullcontext() if poll is None else serving(poll=poll):
            server = mkdocs_serve_module.LiveReloadServer(lambda: None, "127.0.0.1", 0, ".")
        try:
            return server.observer
        finally:
            server.server_close()

    assert isinstance(observer(None), PollingObserver)  # MkDocs' own
    assert not isinstance(observer(False), PollingObserver)
    assert isinstance(observer(True), PollingObserver)
    # Put back.
    assert mkdocs_serve_module.LiveReloadServer is own_server
    assert mkdocs_serve_module.build is own_build


def test_reading_a_watched_file_is_no_change(tmp_path: Path) -> None:
    """Every build reads watched files (mkdocs.yml, pages): the system's events for reads
    (opened, closed without writing) made each build start the next one."""
    import mkdocs.commands.serve as mkdocs_serve_module

    page = tmp_path / "page.md"
    page.write_text("一\n", encoding="utf-8")
    with serving(poll=False):
        server = mkdocs_serve_module.LiveReloadServer(lambda: None, "127.0.0.1", 0, ".")
    seen: list[FileSystemEvent] = []
    handler = FileSystemEventHandler()
    handler.on_any_event = seen.append  # type: ignore[method-assign]
    server.observer.schedule(handler, str(tmp_path), recursive=True)
    server.observer.start()
    try:
        for _ in range(3):
            page.read_text(encoding="utf-8")
        time.sleep(0.5)
        assert [event for event in seen if not event.is_directory] == []
        page.write_text("二\n", encoding="utf-8")
        began = time.monotonic()
        while not [event for event in seen if not event.is_directory]:
            assert time.monotonic() - began < 5, "a write was not seen"
            time.sleep(0.05)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def start_serving(root: Path, *options: str) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    log = root / "serve.log"
    with log.open("wb") as out:
        # Ctrl-C as a terminal sends it: the server must get SIGINT's default disposition,
        # whatever an earlier test left in this process (Python turns SIGINT into
        # KeyboardInterrupt only when the disposition it starts with is the default).
        proc = subprocess.Popen(
            [str(LIFELONG), "serve", "--project", str(root), "-a", f"127.0.0.1:{port}",
             *options], stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return proc, f"http://127.0.0.1:{port}/", log


def stop_serving(proc: subprocess.Popen[bytes], log: Path) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    text = log.read_text(encoding="utf-8", errors="replace")
    assert code == 0, text
    assert "Traceback" not in text
    return text


def assert_error_page(url: str, problem: str) -> int:
    """The page at url is the error page, answered at once, with the problem shown as text;
    returns the epoch its live-reload script waits to pass."""
    began = time.monotonic()
    got = answer(url, timeout=10)
    assert got is not None, f"no answer from {url}"
    assert time.monotonic() - began < 3, "the error page was slow to come"
    status, headers, text = got
    assert status == 500
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "目录有错误 · " in text
    assert "The catalogue has errors" in text
    assert "本页会自动刷新" in text
    assert "reloads by itself once the files are fixed" in text
    assert html.escape(problem) in text
    assert "<script>alert" not in text  # the editor's text shows as text
    assert "http://" not in text
    assert "https://" not in text  # no request outside the page
    epoch = re.search(r"livereload\((\d+), \d+\)", text)
    assert epoch, "no live-reload script"
    # That script, and no other, may run; nothing may be fetched but from the server.
    script = text[text.rindex("<script>") + len("<script>"):text.rindex("</script>")]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = headers["Content-Security-Policy"]
    assert f"script-src 'sha256-{digest}';" in policy
    assert "default-src 'none';" in policy
    return int(epoch[1])


def test_a_broken_entry_shows_on_every_page_until_it_is_fixed(tmp_path: Path) -> None:
    write_project(tmp_path, one_of_each())
    entry = tmp_path / "content" / "courses" / "phone-1.md"
    proc, site, log = start_serving(tmp_path)
    try:
        page = f"{site}phone-1/"
        wait_for(lambda: fetch(page) is not None, "first build", proc)
        line = set_field(entry, "subjects", "['<script>alert(1)</script>']", atomic=True)
        problem = (f"content/courses/phone-1.md:{line}: subjects.0: unknown term "
                   "'<script>alert(1)</script>' in subjects")
        wait_for(lambda: ((answer(page) or (0,))[0] == 500), "the error page", proc, limit=30)
        epoch = assert_error_page(page, problem)
        for other in ("", "subjects/smartphone/", "phone-2/", "no-such-page/"):
            assert_error_page(f"{site}{other}", problem)
        assert problem in log.read_text(encoding="utf-8")  # the terminal says it too
        set_field(entry, "subjects", "[smartphone]", atomic=True)
        wait_for(lambda: "第一讲 开机与设置" in (fetch(page) or ""), "the fixed page", proc,
                 limit=30)
        # The error page's script reloads it: the server answers it with a newer build.
        got = answer(f"{site}livereload/{epoch}/1", timeout=5)
        assert got is not None
        assert int(got[2]) > epoch
    finally:
        text = stop_serving(proc, log)
    assert "The errors are fixed" in text


def test_a_catalogue_broken_from_the_start_is_served_once_fixed(tmp_path: Path) -> None:
    entries = one_of_each()
    entries[2] = {**entries[2], "format": "<b>video</b>"}
    write_project(tmp_path, entries)
    entry = tmp_path / "content" / "courses" / "phone-1.md"
    line = next(number for number, text in enumerate(
        entry.read_text(encoding="utf-8").split("\n"), 1) if text.startswith("format:"))
    proc, site, log = start_serving(tmp_path, "--poll")  # the same server, polling
    try:
        page = f"{site}phone-1/"
        wait_for(lambda: answer(page) is not None, "the error page", proc, limit=60)
        assert_error_page(page, f"content/courses/phone-1.md:{line}: format: unknown term "
                                "'<b>video</b>' in formats")
        set_field(entry, "format", "video", atomic=False)
        wait_for(lambda: "第一讲 开机与设置" in (fetch(page) or ""), "the fixed page", proc,
                 limit=30)
        assert "第一讲 开机与设置" in (fetch(site) or "")
    finally:
        stop_serving(proc, log)


@pytest.mark.parametrize(("error", "catalogue", "lines"), [
    (CatalogueError([Problem("content/a.md", 3, "title", "too long: '<i>'")]), True,
     ("content/a.md:3: title: too long: '<i>'",)),
    (PluginError("content/a.md: same address as content/b.md\ncontent/b.md: the other"),
     False, ("content/a.md: same address as content/b.md", "content/b.md: the other")),
    (Abort("Aborted with 1 warnings in strict mode!"), False,
     ("A link to 'x.md' is broken", "Aborted with 1 warnings in strict mode!")),
    (RuntimeError("<boom>"), False, ("RuntimeError: <boom>",)),
], ids=["catalogue", "plugin", "strict", "bug"])
def test_a_failed_build_is_told_as_lines(error: Exception, catalogue: bool,
                                         lines: tuple[str, ...]) -> None:
    # As raised in a build: the plugin turns CatalogueError into PluginError `from None`,
    # MkDocs turns a PluginError into Abort; the cause is kept as __context__.
    try:
        try:
            try:
                raise error
            except CatalogueError as exc:
                raise PluginError(str(exc)) from None
        except PluginError:
            raise Abort("Aborted with a BuildError!")  # noqa: B904 (as MkDocs does)
    except Exception as exc:
        failure = BuildFailure.of(exc, ["A link to 'x.md' is broken"])
    assert failure == BuildFailure(catalogue, lines)
    page = failure.page().decode("utf-8")
    assert all(html.escape(line) in page for line in lines)
    assert "<i>" not in page
    assert "<boom>" not in page
    assert ("目录有错误" in page) == catalogue


def test_an_address_in_use_is_a_clear_error(tmp_path: Path) -> None:
    write_project(tmp_path, one_of_each())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        found = subprocess.run([str(LIFELONG), "serve", "--project", str(tmp_path), "-a",
                                f"127.0.0.1:{port}"], capture_output=True, text=True,
                               timeout=120)
    assert found.returncode == 1
    assert f"Error: 127.0.0.1:{port}: Address already in use" in found.stderr
    assert "Traceback" not in found.stderr
