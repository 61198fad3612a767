"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, and a tiny
HTTP server for built sites. Every request and console message is recorded."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking switches Chromium calls Google's services at start-up.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _WebHost(_QuietHandler):
    """Files as they are, and the site's 404.html for an address that leads nowhere (as
    GitHub Pages, Netlify or nginx's ``error_page`` answer), at any depth."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_folder(folder: Path, *, not_found_page: bool = False) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port); yields the base URL. With
    ``not_found_page``, a missing file gets the folder's 404.html, as a web host sends it."""
    handler = functools.partial(_WebHost if not_found_page else _QuietHandler,
                                directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageLog:
    """What one page did: console errors, uncaught exceptions, requests, failures."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(
            f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        # ERR_ABORTED: the page navigated away while loading it (a favicon, say); not a fault.
        page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
                and self.failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(
            f"{r.url} HTTP {r.status}"))
