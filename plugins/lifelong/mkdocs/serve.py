"""``lifelong serve``'s server: MkDocs' live-reload server, watching with the system's change
events (or listing the files, with ``--poll``), that answers every page with the build's
errors while the last build failed.

MkDocs' own server leaves a failed build's requests waiting: a page is served once the
build under way is over, and a failed build never ends in its eyes, so the browser hangs
while the error is only in the terminal; and when the first build fails, ``mkdocs serve``
exits. Here a build's failure is caught and kept: until a build succeeds, every page
request is answered at once with a page listing the problems (``path:line: field:
message``, as ``lifelong check`` prints them), which reloads itself after the next build.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.livereload import LiveReloadServer
from watchdog import events
from watchdog.observers import Observer

from lifelong.build.preview import FirstLook, first_look
from lifelong.catalogue.problems import CatalogueError

log = logging.getLogger("mkdocs.lifelong.mkdocs.serve")

# What the error page may do: its own inline style, and run MkDocs' live-reload script
# (that one, by its hash), which asks this server for the next build. Nothing else, even if
# a message slipped through unescaped: no other script runs, no request leaves the page.
_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; script-src '{script}'; "
           "connect-src 'self'; base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class BuildFailure:
    """Why the last build failed, as lines for the editor: the catalogue's problems, or
    another build error's message."""

    catalogue: bool  # the lines are the catalogue's problems
    lines: tuple[str, ...]

    @classmethod
    def of(cls, exc: BaseException, warnings: Iterable[str] = ()) -> BuildFailure:
        chain: list[BaseException] = []
        cause: BaseException | None = exc
        while cause is not None and all(cause is not seen for seen in chain):
            chain.append(cause)
            # MkDocs raises Abort in its handler of the plugin's PluginError, which the
            # plugin raises `from None` in its handler of CatalogueError: both are kept
            # as __context__.
            cause = cause.__cause__ or cause.__context__
        for cause in chain:
            if isinstance(cause, CatalogueError):
                return cls(True, tuple(map(str, cause.problems)))
        for cause in chain:
            # The plugins' and the configuration's messages say what is wrong; MkDocs'
            # Abort only that the build stopped.
            if isinstance(cause, MkDocsException) and not isinstance(cause, Abort):
                return cls(False, tuple(str(cause).splitlines()) or (type(cause).__name__,))
        if isinstance(exc, Abort):  # --strict: the warnings are why
            return cls(False, (*warnings, str(exc)))
        return cls(False, (f"{type(exc).__name__}: {exc}",))

    def page(self) -> bytes:
        """The error page, Chinese first, every line of the failure escaped (they quote what
        editors wrote), with no request outside it."""
        count = len(self.lines)
        if self.catalogue:
            heading = "目录有错误 · <span lang=\"en\">The catalogue has errors</span>"
            title = "目录有错误 · The catalogue has errors"
            summary = (f"共 {count} 个问题 · <span lang=\"en\">{count} "
                       f"problem{'s' if count != 1 else ''}</span>")
            hint = ("在终端运行 <code>lifelong check</code> 也会列出这些问题。<br>"
                    "<span lang=\"en\"><code>lifelong check</code> lists them in a terminal "
                    "too.</span>")
        else:
            heading = "网站生成失败 · <span lang=\"en\">The site could not be built</span>"
            title = "网站生成失败 · The site could not be built"
            summary = hint = ""
        items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.lines)
        return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; font: 16px/1.6 system-ui, sans-serif; color: #1a1a1a; background: #fff; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1.5rem; }}
h1 {{ margin: 0 0 .5rem; font-size: 1.5rem; color: #b00020; }}
ol {{ padding-left: 1.5rem; }}
li {{ margin: .4rem 0; }}
li code {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
code {{ font-family: ui-monospace, monospace; }}
.note {{ color: #555; }}
</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<p>改正下列文件并保存后，本页会自动刷新。<br>
<span lang="en">This page reloads by itself once the files are fixed.</span></p>
{f"<p>{summary}</p>" if summary else ""}
<ol>
{items}
</ol>
{f'<p class="note">{hint}</p>' if hint else ""}
</main>
</body>
</html>
""".encode()


class _Messages(logging.Handler):
    """The warnings and errors logged during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings: list[str] = []
        self.errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors += 1
        else:
            self.warnings.append(record.getMessage())


# What a save sends. Reading a file sends events too (opened, closed without writing), and
# every build reads watched files (mkdocs.yml, the hand-written pages, changed entries),
# which MkDocs takes for changes: each build started the next one, for ever. Asked of the
# system (inotify's mask) rather than filtered here: a build that reads every entry again
# costs no event at all.
_CHANGES: list[type[events.FileSystemEvent]] = [
    events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent,
    events.FileDeletedEvent, events.FileClosedEvent]
if hasattr(events, "EventsLostEvent"):  # the system dropped some: build again, to be sure
    _CHANGES.append(events.EventsLostEvent)


class _ChangeObserver(Observer):  # type: ignore[misc, valid-type]
    """Watchdog's observer of the system's change events, told only of changes."""

    def schedule(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("event_filter", _CHANGES)
        return super().schedule(*args, **kwargs)


class CatalogueServer(LiveReloadServer):
    """MkDocs' server, watching with the system's change events unless ``poll``, and
    serving the last build's failure (``failure``) instead of the site until a build
    succeeds."""

    def __init__(self, *args: Any, poll: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not poll:
            # MkDocs' PollingObserver lists every watched file twice a second: with
            # 90,000 entry files one listing takes seconds of CPU, in the process that
            # rebuilds and under its lock on the interpreter (a save was noticed about 4 s
            # late, and the rebuild ran slower). Watchdog's Observer (inotify on Linux)
            # costs nothing while nothing changes.
            self.observer = _ChangeObserver()
        self.failure: BuildFailure | None = None
        self._attempting = False
        #: The files saved since the last build began (what the change events name).
        self._saved: set[str] = set()
        self._saved_lock = threading.Lock()
        schedule = self.observer.schedule

        def noting(handler: events.FileSystemEventHandler, *args: Any, **kwargs: Any) -> Any:
            told = handler.on_any_event

            def on_any_event(event: events.FileSystemEvent) -> None:
                self._note(event)
                told(event)
            handler.on_any_event = on_any_event  # type: ignore[method-assign]
            return schedule(handler, *args, **kwargs)
        self.observer.schedule = noting  # type: ignore[method-assign, assignment]
        # MkDocs' rebuild loop calls self.builder() and, when it raises, never tells the
        # waiting requests that the build is over: here it never raises.
        rebuild = self.builder
        self.builder = lambda: self.rebuild(rebuild)

    def _note(self, event: events.FileSystemEvent) -> None:
        if event.is_directory:
            return
        with self._saved_lock:
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    self._saved.add(os.fsdecode(path))

    def rebuild(self, build: Callable[[], object]) -> None:
        """A rebuild after a save: the saved entries' pages first (``first_look``), shown
        at once, then the build. After such a first look, pages are served as they are
        while the build runs (the last build's, and those just drawn; a page being
        rewritten at that moment may come half written, and the reload at the end mends
        it) rather than held until it ends, as MkDocs holds them: browsers reload once for
        the first look and again when the build ends."""
        with self._saved_lock:
            saved, self._saved = self._saved, set()
        look = first_look(saved) if self.failure is None else FirstLook()
        if look.unchanged:  # saved again as they were: the site is what it would build
            log.info("The files saved hold what the last build read: nothing to build")
            with self._epoch_cond:  # no reload: the site is as it was
                self._wanted_epoch = self._visible_epoch
                self._epoch_cond.notify_all()
            return
        shown = look.shown
        if not shown:
            self.attempt(build)
            return
        log.info(f"Showing the page{'s' if len(shown) > 1 else ''} saved "
                 f"({', '.join(shown)}) while the site is built again")
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch  # browsers reload, and are served
            self._epoch_cond.notify_all()
        try:
            self.attempt(build)
        finally:
            with self._epoch_cond:  # MkDocs' loop makes this one visible: a second reload
                # (MkDocs' epochs: milliseconds of the monotonic clock)
                self._wanted_epoch = max(round(time.monotonic() * 1000),
                                         self._visible_epoch + 1)

    def attempt(self, build: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        """Build; keep its failure (or None) in ``failure``, instead of raising. Inside
        another attempt (a rebuild's build), raise: the outer one keeps it."""
        if self._attempting:
            build(*args, **kwargs)
            return
        messages = _Messages()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(messages)
        self._attempting = True
        error: Exception | None = None
        try:
            build(*args, **kwargs)
        except Exception as exc:  # every failure, even a bug's, shows on the pages
            error = exc
            log.debug("The build failed", exc_info=exc)
        finally:
            self._attempting = False
            logger.removeHandler(messages)
        failure = None if error is None else BuildFailure.of(error, messages.warnings)
        was, self.failure = self.failure, failure
        if failure is not None:
            if not messages.errors:  # MkDocs logs its BuildErrors, not the others
                # (--strict's warnings are in the terminal already)
                log.error(str(error) if isinstance(error, Abort) else "\n".join(failure.lines))
            log.error(f"Until this is fixed, every page of {self.url} shows the errors; "
                      "each save builds the site again.")
        elif was is not None:
            log.info("The errors are fixed: serving the site again.")

    def _serve_request(self, environ: dict[str, Any],
                       start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        if environ["PATH_INFO"].startswith("/livereload/"):
            return super()._serve_request(environ, start_response)
        # As MkDocs does before serving a file: wait for the build under way, if any, to
        # be over (it sets _wanted_epoch as a build starts, _visible_epoch as it ends).
        with self._epoch_cond:
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            epoch, failure = self._visible_epoch, self.failure
        if failure is None:
            return super()._serve_request(environ, start_response)
        # MkDocs' live-reload script, which reloads the page after the next build: the
        # last <script> of the page.
        body = self._inject_js_into_html(failure.page(), epoch)
        script = body[body.rindex(b"<script>") + len(b"<script>"):body.rindex(b"</script>")]
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode("ascii")
        start_response("500 Internal Server Error", [
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("Content-Security-Policy", _POLICY.format(script=f"sha256-{digest}")),
            ("X-Content-Type-Options", "nosniff")])
        return [body]


@contextlib.contextmanager
def serving(*, poll: bool) -> Iterator[None]:
    """While inside, ``mkdocs.commands.serve.serve`` runs with a CatalogueServer (with
    change events unless ``poll``), and a failed first build leaves it serving the error
    page and watching, instead of ending it.

    MkDocs' serve() makes its server and runs the first build itself, calling the ``build``
    of its module: those two names of that module are swapped while inside (rather than
    copying serve(), whose other steps then follow MkDocs' releases)."""
    import mkdocs.commands.serve as module

    servers: list[CatalogueServer] = []
    server_class, build = module.LiveReloadServer, module.build

    def make_server(*args: Any, **kwargs: Any) -> CatalogueServer:
        server = CatalogueServer(*args, poll=poll, **kwargs)
        servers.append(server)
        return server

    def attempted_build(*args: Any, **kwargs: Any) -> None:
        if not servers:
            build(*args, **kwargs)
        else:
            servers[-1].attempt(build, *args, **kwargs)

    module.LiveReloadServer = make_server  # type: ignore[misc, assignment]
    module.build = attempted_build
    try:
        yield
    finally:
        module.LiveReloadServer, module.build = server_class, build  # type: ignore[misc]
