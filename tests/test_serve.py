"""``lifelong serve``: a real server in a process of its own, edited while it runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from watchdog.observers.polling import PollingObserver

from lifelong import cli
from sitekit import one_of_each, write_project

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


def wait_for(check, what: str, proc: subprocess.Popen[bytes], limit: float = 90) -> None:
    began = time.monotonic()
    while not check():
        assert proc.poll() is None, f"the server exited ({proc.returncode}) before {what}"
        assert time.monotonic() - began < limit, f"no {what} after {limit:.0f} s"
        time.sleep(0.2)


def retitle(file: Path, title: str, *, atomic: bool) -> None:
    text = file.read_text(encoding="utf-8")
    lines = [f"title: {title}" if line.startswith("title:") else line
             for line in text.split("\n")]
    if atomic:  # what editors that save to a new file and rename it do (and lifelong's tools)
        tmp = file.with_name(f".{file.name}.tmp")
        tmp.write_text("\n".join(lines), encoding="utf-8")
        os.replace(tmp, file)
    else:
        file.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("poll", [False, True], ids=["change-events", "polling"])
def test_a_saved_entry_shows_on_the_served_page(tmp_path: Path, poll: bool) -> None:
    write_project(tmp_path, one_of_each())
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(LIFELONG), "serve", "--project", str(tmp_path), "-a", f"127.0.0.1:{port}",
             *(["--poll"] if poll else [])], stdout=out, stderr=subprocess.STDOUT)
    try:
        page = f"http://127.0.0.1:{port}/phone-1/"
        wait_for(lambda: fetch(page) is not None, "first build", proc)
        assert "新标题" not in (fetch(page) or "")
        retitle(tmp_path / "content" / "courses" / "phone-1.md", "手机入门（新标题）",
                atomic=not poll)
        wait_for(lambda: "手机入门（新标题）" in (fetch(page) or ""), "reload", proc)
        # Its subject's page and the next lesson's page show it too: the whole site was
        # rebuilt, not one page.
        for other in ("subjects/smartphone", "phone-2"):
            assert "手机入门（新标题）" in (fetch(f"http://127.0.0.1:{port}/{other}/") or "")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    text = log.read_text(encoding="utf-8", errors="replace")
    assert code == 0, text
    assert "Traceback" not in text


def test_serve_watches_with_change_events_unless_told_to_poll() -> None:
    import mkdocs.commands.serve as mkdocs_serve_module

    def observer() -> object:
        server = mkdocs_serve_module.LiveReloadServer(lambda: None, "127.0.0.1", 0, ".")
        try:
            return server.observer
        finally:
            server.server_close()

    assert isinstance(observer(), PollingObserver)  # MkDocs' own
    with cli._change_events():
        assert not isinstance(observer(), PollingObserver)
    assert isinstance(observer(), PollingObserver)  # put back


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
