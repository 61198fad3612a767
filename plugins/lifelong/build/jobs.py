"""The build's work beside the drawing, in processes of its own: the outputs (the search
index and ``version.js``, then the QR code files) of a first build, each in a new
interpreter given a compact copy of what it needs (``OutputsJob``, ``Outputs``); and a
rebuild's second process, forked once the catalogue is loaded, which works out which entry
pages changed and then writes the outputs (``HelperJob``).
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lifelong.build.drawing import DrawError, write_qr_codes
from lifelong.build.memory import give_back, pack, unpack
from lifelong.build.outputs import Job, JobProblem
from lifelong.build.processes import can_fork, fork_context
from lifelong.catalogue.model import Catalogue
from lifelong.catalogue.schema import Rules
from lifelong.search.index import DocumentError, IndexBuilder, SearchDocument, pinyin_texts, script
from lifelong.search.text import add_readings, readings_of, t2s_table
from lifelong.site.draw import PageDrawer
from lifelong.site.i18n import SEARCH_STRINGS, translate

if TYPE_CHECKING:
    from lifelong.site.catalogue import CatalogueSite


class HelperJob:
    """The second core's share of a rebuild, in a process forked as soon as the catalogue is
    loaded (the catalogue is inherited, not copied), while this one plans the pages and
    MkDocs reads its files. First it works out the fingerprints of the entry pages
    (``PageDrawer.entry_pages``; ``fingerprints`` receives them); then, once ``start_writing``
    says that the site folder is ready (at once, with ``ready``: a dirty build, which MkDocs
    does not empty), it writes the outputs (the search index and ``version.js``). This
    process draws the pages meanwhile, with a worker forked for the other core once the
    pages to draw are known (``DrawJob``). ``wait`` raises if it failed. Without fork,
    this process writes the outputs when asked."""

    #: Cores it takes while the pages are drawn: none that it does not give back soon.
    BUSY = 0

    def __init__(self, site: CatalogueSite, drawer: PageDrawer, site_dir: Path, *,
                 ready: bool = False) -> None:
        self.site, self.drawer, self.site_dir = site, drawer, site_dir
        self.process: multiprocessing.process.BaseProcess | None = None
        self._fingerprints: list[str] | None = None
        if can_fork():
            context = fork_context()
            self._receive, send = context.Pipe(duplex=False)
            self._go = context.Event()
            if ready:
                self._go.set()
            self._errors = context.SimpleQueue()
            self.process = context.Process(target=self._run, args=(send, os.getpid()),
                                           name="lifelong-helper", daemon=True)
            # What the child only reads stays shared with this process (lifelong.build.memory).
            gc.freeze()
            self.process.start()
            send.close()

    def _run(self, send: Any, parent: int) -> None:
        # The parent reads the fingerprints only when it needs them, and a pipe holds 64 KB:
        # a thread waits for it to read, while this one goes on.
        sender = threading.Thread(target=self._send, args=(send, self._work_out()),
                                  daemon=True)
        sender.start()
        self.site.search_documents()  # while MkDocs may still be emptying the site folder
        while not self._go.wait(1.0):
            if os.getppid() != parent:  # the build is gone
                os._exit(1)
        try:
            self.site.write_outputs(self.site_dir)
        except OSError as exc:  # a full disk, a folder that may not be written
            self._errors.put(outputs_problem(exc, self.site_dir))
            os._exit(1)
        except DocumentError as exc:  # names the entry it failed on
            self._errors.put(str(exc))
            os._exit(1)
        sender.join()

    @staticmethod
    def _send(send: Any, fingerprints: list[str]) -> None:
        with send:
            send.send(fingerprints)

    def fingerprints(self) -> list[str]:
        """The fingerprint of each of the entry pages, in order."""
        if self._fingerprints is None:
            if self.process is None:
                self._fingerprints = self._work_out()
            else:
                try:
                    self._fingerprints = self._receive.recv()
                except EOFError:
                    self.process.join()
                    raise RuntimeError(f"working out which pages changed failed (exit code "
                                       f"{self.process.exitcode}); see the messages above"
                                       ) from None
                finally:
                    self._receive.close()
        return self._fingerprints

    def _work_out(self) -> list[str]:
        return [self.drawer.fingerprint(page) for page in self.drawer.entry_pages]

    def start_writing(self) -> None:
        if self.process is not None:
            self._go.set()

    def running(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def wait(self) -> None:
        if self.process is None:
            self.site.write_outputs(self.site_dir)
            return
        self.fingerprints()  # the child sends them before anything else
        self._go.set()
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(self._errors.get() if not self._errors.empty() else
                               f"writing the catalogue outputs failed (exit code "
                               f"{self.process.exitcode}); see the messages above")

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


@dataclass(frozen=True)
class Outputs:
    """The files a build makes from the catalogue alone, not pages (the search index under
    search/, version.js), with all that writing them takes: a process of its own is given
    this, pickled, and never reads the catalogue."""

    rules: Rules
    #: Newest first (``CatalogueSite.search_documents`` or ``index_documents``).
    documents: Sequence[SearchDocument]
    lang: str
    search_page: str
    version_text: str
    lunr_js: Path | None
    site_dir: Path
    #: Where the search index keeps what a rewrite reuses (None: no cache).
    cache_dir: Path | None

    def rules_only(self) -> Catalogue:
        """A catalogue of the rules alone, no entries: the index reads each document's terms
        from its own values, and needs the catalogue only for its kinds and vocabularies."""
        return Catalogue(self.rules, (), (), "")

    def read_pinyin_apart(self) -> None:
        """Work out the pinyin of the documents' titles and names in a forked process and take
        its readings: this one then never loads pinyin's dictionaries (56 MB) while it holds
        the index. Without fork, the index works them out itself."""
        if not can_fork():
            return
        catalogue = self.rules_only()
        receive, send = os.pipe()
        child = os.fork()
        if child == 0:
            code = 1
            try:
                os.close(receive)
                readings = readings_of(pinyin_texts(catalogue, self.documents))
                with os.fdopen(send, "wb") as out:
                    pickle.dump(readings, out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(send)
        with os.fdopen(receive, "rb") as handle:
            data = handle.read()
        _, status = os.waitpid(child, 0)
        if status == 0 and data:
            add_readings(pickle.loads(data))

    def write(self) -> dict[str, object]:
        figures = self.write_search_index(self.site_dir / "search")
        self.write_version_script(self.site_dir / "version.js")
        return figures

    def write_search_index(self, folder: Path) -> dict[str, object]:
        """The catalogue's search index, the browser's copy of lunr.js and the traditional
        to simplified table, all under ``folder``. Files already as they should be are left
        alone; with ``cache_dir``, a rewrite after a few changes reuses what it learnt."""
        documents = self.documents
        ui = {key: translate(key, self.lang) for key in SEARCH_STRINGS}
        extra = {"ui": ui, "featured": [n for n, d in enumerate(documents) if d.entry.featured],
                 "searchPage": self.search_page, "kindNames": list(self.rules.kinds)}
        figures = IndexBuilder(self.rules_only(), documents, lang=self.lang).write(
            folder, extra_meta=extra, cache_dir=self.cache_dir)
        table = t2s_table()
        (folder / "t2s.js").write_bytes(script("t2s", ["".join(table), "".join(table.values())]))
        if self.lunr_js is not None:
            source = self.lunr_js.read_text(encoding="utf-8")
            (folder / "lunr.js").write_text(compact_script(source), encoding="utf-8")
        return figures

    def write_version_script(self, path: Path) -> None:
        """The catalogue version and date for every footer, in one small script: a new
        version then changes this file, not every page (update packs stay small)."""
        text = json.dumps(self.version_text, ensure_ascii=False)
        path.write_text(
            "/* Lifelong: the catalogue version shown in every footer. */\n"
            "(function () {\n"
            f"  var text = {text};\n"
            '  var places = document.querySelectorAll(".ll-version");\n'
            "  for (var i = 0; i < places.length; i++) {\n"
            "    var note = places[i].getAttribute(\"data-note\");\n"
            '    places[i].textContent = note ? text + " · " + note : text;\n'
            "  }\n"
            "})();\n", encoding="utf-8")


class OutputsJob:
    """The outputs of a build that draws every page: first the search index and
    ``version.js``, then the QR code files, each in a process of its own, a new interpreter
    given a compact copy of what it needs (``Outputs`` with ``CatalogueSite.index_documents``;
    ``PageDrawer.qr_codes``), never the catalogue (``lifelong.build.outputs`` says why). One after
    the other: together they would hold the most memory at once, and they share the second
    core anyway. This process works out the fingerprints and draws every page (with forked
    workers for cores beyond two: ``DrawJob``); the QR code files are not drawn with their
    pages."""

    #: Cores it takes while the pages are drawn.
    BUSY = 1

    def __init__(self, site: CatalogueSite, drawer: PageDrawer, site_dir: Path) -> None:
        self.site, self.drawer, self.site_dir = site, drawer, site_dir
        self._fingerprints: list[str] | None = None
        drawer.writes_qr_codes = False
        self.jobs = [Job("writing the search index", _write_outputs,
                         site.outputs(site_dir, site.index_documents()))]
        self._messages: list[str] = []
        self._cancelled = self._started = False
        qr_codes = drawer.qr_codes()
        self._codes = pack((site_dir, qr_codes)) if qr_codes else None
        self._then = threading.Thread(target=self._codes_after_index, daemon=True)

    def _codes_after_index(self) -> None:
        message = self.jobs[0].wait()
        if message:
            self._messages.append(message)
        codes, self._codes = self._codes, None
        if codes is not None and not self._cancelled:
            self.jobs.append(job := Job("writing the QR codes", _write_qr_codes, codes))
            job.go()

    def fingerprints(self) -> list[str]:
        """The fingerprint of each of the entry pages, in order (worked out here)."""
        if self._fingerprints is None:
            drawer = self.drawer
            self._fingerprints = [drawer.fingerprint(page) for page in drawer.entry_pages]
        return self._fingerprints

    def start_writing(self) -> None:
        """Let the processes go (once; ``wait`` does it if nothing did before)."""
        if self._started or self._cancelled:
            return
        self._started = True
        self.jobs[0].go()
        self._then.start()
        give_back()  # what they were given (pickled copies) is theirs now

    def running(self) -> bool:
        return self._then.is_alive() or any(job.running() for job in self.jobs)

    def wait(self) -> None:
        self.start_writing()
        if self._started:
            self._then.join()
        messages = self._messages + [m for m in (job.wait() for job in self.jobs[1:]) if m]
        if messages:
            raise RuntimeError("\n".join(messages))

    def cancel(self) -> None:
        self._cancelled = True
        for job in list(self.jobs):
            job.kill()
        if self._started:
            self._then.join()
        for job in self.jobs:
            job.cancel()


def outputs_problem(exc: OSError, site_dir: Path) -> str:
    return f"could not write the catalogue outputs: {exc.filename or site_dir}: " \
           f"{exc.strerror or exc}"


def _write_outputs(outputs: Outputs) -> None:
    """In a process of its own (OutputsJob)."""
    outputs.read_pinyin_apart()
    try:
        outputs.write()
    except OSError as exc:  # a full disk, a folder that may not be written
        raise JobProblem(outputs_problem(exc, outputs.site_dir)) from None


def _write_qr_codes(job: bytes) -> None:
    """In a process of its own (OutputsJob): ``job`` is (site folder, QR codes), pickled."""
    try:
        site_dir, codes = cast("tuple[Path, list[tuple[str, str, str]]]", unpack(job))
        write_qr_codes(site_dir, codes)
    except DrawError as exc:
        raise JobProblem(str(exc)) from None


_FIRST_COMMENT = re.compile(r"\A\s*/\*.*?\*/\n", re.S)


_COMMENT_LINES = re.compile(r"^[ \t]*/\*.*?\*/[ \t]*\n|^[ \t]*//[^\n]*\n", re.S | re.M)


_INDENT = re.compile(r"^[ \t]+|^\s*\n", re.M)


def compact_script(source: str) -> str:
    """lunr.js without its documentation comments, indentation and blank lines (100 KB to
    45 KB, loaded by every first query). Only whole-line comments go, so no code changes;
    the licence comment at the top stays."""
    head = _FIRST_COMMENT.match(source)
    keep = head.group(0) if head else ""
    return keep + _INDENT.sub("", _COMMENT_LINES.sub("", source[len(keep):]))
