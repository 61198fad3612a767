"""The one way the build runs work in other processes (``Worker``, ``share_out``), and how
much of it a build shares out (``Sharing``).

A worker runs ``function(link, *args)`` in a process of its own, of one of two kinds:

- ``forked``: a copy of this process. It inherits what the build has loaded (the
  catalogue, the drawer and its chrome) at no cost while it only reads it; the collector is
  told to leave those objects alone first (``gc.freeze``: its bookkeeping would write to
  every one of them, and unshare the memory they are in).
- ``fresh``: a new Python interpreter given, pickled, exactly what the work needs. Why not
  fork there: a forked process shares the build's memory only until it writes to it, and
  CPython writes to every object it reads (its reference count) and allocates into the free
  room of the heap it inherited, so a forked process that reads the catalogue, or just
  allocates a lot, ends up with a private copy of much of it; a new interpreter holds only
  its input and what it makes, and gives it all back when it ends. Why not
  ``multiprocessing``'s spawn: it imports the program's main module again in the new
  process, which re-runs a build started from a script without an ``if __name__ ==
  "__main__":`` guard; here the new interpreter runs a fixed bootstrap (``_BOOT``).

Either way the worker and the build talk through two pipes carrying pickles. In the
worker, ``link.send(value)`` hands a value to the build (``Worker.receive``) while the
worker goes on, and ``link.wait_for_go()`` waits for the build's ``Worker.go`` (what the
work writes into may not be ready before: MkDocs may still be emptying the site folder).
What the function returns is what ``Worker.wait`` returns. A failure the work reports as a
message (``WorkProblem``, or an ``OSError``: a full disk, a folder that may not be written)
reaches the build as ``WorkFailed`` with that message; anything else is a bug, whose
traceback goes to the terminal, and ``WorkFailed`` says to look there.

``share_out`` hands many small tasks to a pool of forked processes and yields their
results in order (reading thousands of entry files).

Where there is no fork (Windows, or a Python without it: ``can_fork``), callers do the
work in the build's own process, the same way, one after the other; ``Sharing`` answers
with no processes to fork there.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.context import ForkContext
from typing import IO, Any, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_GO = b"g"
_BOOT = ("import pickle, sys; inbox = open(0, 'rb', closefd=False); "
         "sys.path[:0] = pickle.load(inbox); "
         "from lifelong.build.processes import _fresh_main; _fresh_main(inbox)")


@functools.cache
def can_fork() -> bool:
    """Whether processes can be forked here."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_context() -> ForkContext:
    """The multiprocessing context that forks (only when ``can_fork``): for what forked
    workers share with the build (``RawArray``, ``Value``)."""
    return multiprocessing.get_context("fork")


def _cores() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Sharing:
    """How much of a build's work goes to other processes: at most ``workers`` processes
    work at once (this one included), and none is started for fewer than ``above`` pages
    to draw, or five times as many entry files to read (reading a file costs a fifth of
    drawing a page): starting processes would cost more than it saves."""

    workers: int = field(default_factory=_cores)
    above: int = 400

    #: Files a reader takes at a time, at most.
    READ_CHUNK = 500
    #: Readers at most, however many cores (each holds the rules and a Markdown converter).
    READERS = 8

    def readers(self, files: int) -> int:
        """Reader processes for ``files`` entry files (0: this process reads them all)."""
        workers = min(self.workers, self.READERS)
        if files <= 5 * self.above or workers < 2 or not can_fork():
            return 0
        return workers

    def read_chunk(self, files: int) -> int:
        """Files per reading task: several tasks for each reader, at most ``READ_CHUNK``."""
        return max(1, min(self.READ_CHUNK, files // (4 * max(1, self.readers(files)))))

    def drawers(self, pages: int, busy: int = 0) -> int:
        """Worker processes to fork for drawing ``pages`` beside this process, which draws
        too, while ``busy`` other processes of the build work (0: this one draws them
        all)."""
        extra = self.workers - 1 - busy
        if pages <= self.above or extra <= 0 or not can_fork():
            return 0
        return extra


class WorkProblem(Exception):
    """What work in a worker raises to stop with a message for the build to show."""


class WorkFailed(Exception):
    """A worker stopped; the message says why."""


def describe(exc: BaseException) -> str:
    """An error as a message: an OSError as its file and reason."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


class Link:
    """The worker's end of the pipes to the build."""

    def __init__(self, inbox: IO[bytes], outbox: IO[bytes]) -> None:
        self._inbox, self._outbox = inbox, outbox
        self._parent = os.getppid()
        self._sending: threading.Thread | None = None

    def send(self, value: object) -> None:
        """Hand ``value`` to the build (``Worker.receive``) and go on: a thread writes it,
        since a pipe holds only 64 KB until the build reads it."""
        self._post(("sent", value))

    def _post(self, message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        before = self._sending

        def write() -> None:
            if before is not None:
                before.join()
            with contextlib.suppress(OSError):  # the build is gone
                self._outbox.write(data)
                self._outbox.flush()
        self._sending = threading.Thread(target=write, daemon=True)
        self._sending.start()

    def wait_for_go(self) -> None:
        """Wait for the build's ``go``. If the build stops first (it cancelled the work,
        or it is gone), the worker ends here, quietly."""
        waiting = threading.Event()
        threading.Thread(target=self._end_if_orphaned, args=(waiting,), daemon=True).start()
        try:
            if self._inbox.read(1) != _GO:
                os._exit(0)
        finally:
            waiting.set()

    def _end_if_orphaned(self, waiting: threading.Event) -> None:
        # Other workers forked later hold the build's end of this pipe too: the build's
        # death may not end the pipe while they live.
        while not waiting.wait(1.0):
            if os.getppid() != self._parent:
                os._exit(1)

    def end(self, message: object, code: int) -> NoReturn:
        """Post the last message, wait until it is written, and end at once (what the
        worker made is given back to the system in one go, not freed object by object)."""
        if message is not None:
            self._post(message)
        if self._sending is not None:
            self._sending.join()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _serve(link: Link, function: Callable[..., object], args: tuple[Any, ...]) -> NoReturn:
    """Run the work in a worker and report how it ended."""
    try:
        result = function(link, *args)
    except WorkProblem as exc:
        link.end(("failed", str(exc)), 1)
    except OSError as exc:
        link.end(("failed", describe(exc)), 1)
    except BaseException:
        traceback.print_exc()
        link.end(None, 1)
    link.end(("done", result), 0)


class Worker:
    """The build's end of a worker (made by ``forked`` or ``fresh``). ``wait`` may be
    called from any thread, any number of times."""

    def __init__(self, name: str, inbox: IO[bytes], outbox: IO[bytes],
                 alive: Callable[[], bool], kill: Callable[[], None],
                 join: Callable[[], int | None], sender: threading.Thread | None = None
                 ) -> None:
        self.name = name
        self._inbox, self._outbox = inbox, outbox
        self._alive, self._kill, self._join = alive, kill, join
        self._sender = sender
        self._went = False
        self._lock = threading.Lock()
        self._outcome: tuple[bool, Any] | None = None

    def go(self) -> None:
        """Let the worker past ``link.wait_for_go`` (once; ``wait`` does it too)."""
        if self._went:
            return
        self._went = True
        if self._sender is not None:
            self._sender.join()
        with contextlib.suppress(OSError, ValueError):  # it is gone: ``wait`` says so
            self._inbox.write(_GO)
            self._inbox.flush()
        with contextlib.suppress(OSError):
            self._inbox.close()

    def receive(self) -> Any:
        """The next value the worker sent (``link.send``); raises WorkFailed if it ended
        without sending one."""
        with self._lock:
            if self._outcome is None:
                kind, value = self._next_message()
                if kind == "sent":
                    return value
                self._end(kind, value)
            raise WorkFailed(self._failure(self._outcome))

    def wait(self) -> Any:
        """Let it go if nothing did, wait for its end and return what its function
        returned; raises WorkFailed if it failed."""
        self.go()
        with self._lock:
            while self._outcome is None:
                kind, value = self._next_message()
                if kind != "sent":  # values sent and never received are dropped
                    self._end(kind, value)
            succeeded, value = self._outcome
        if not succeeded:
            raise WorkFailed(value)
        return value

    def _next_message(self) -> tuple[str, Any]:
        """(kind, value) of the worker's next message; ("", None) once it has ended."""
        try:
            kind, value = pickle.load(self._outbox)
        except EOFError:
            return "", None
        return kind, value

    def _end(self, kind: str, value: Any) -> None:
        with contextlib.suppress(OSError):
            self._outbox.close()
        code = self._join()
        if kind == "done" and code == 0:
            self._outcome = (True, value)
        elif kind == "failed":
            self._outcome = (False, value)
        else:
            self._outcome = (False, f"{self.name} failed (exit code {code}); see the messages "
                                    f"above")

    @staticmethod
    def _failure(outcome: tuple[bool, Any] | None) -> str:
        assert outcome is not None
        succeeded, value = outcome
        return "the worker ended without sending what it was to send" if succeeded else value

    def running(self) -> bool:
        return self._alive()

    def kill(self) -> None:
        """Stop it now (``wait`` then raises WorkFailed)."""
        if self._alive():
            self._kill()

    def cancel(self) -> None:
        """Stop it and wait for its end, whatever it was doing."""
        self.kill()
        with contextlib.suppress(WorkFailed):
            self.wait()


#: How much lower a ``yielding`` worker's priority is (Unix niceness: at 10, the system gives
#: it about a tenth of a core that others also want).
YIELDING = 10


def forked(name: str, function: Callable[..., object], *args: Any,
           yielding: bool = False) -> Worker:
    """``function(link, *args)`` in a forked copy of this process, started now (only when
    ``can_fork``). What the build holds now is frozen first: the worker only reads it.
    ``yielding``: work not wanted before the build's end, started early to fill the cores
    while the build waits; the system runs it at a lower priority (``YIELDING``), so that
    it never slows the work the build waits for."""
    worker_reads, build_writes = os.pipe()
    build_reads, worker_writes = os.pipe()
    gc.freeze()
    process = fork_context().Process(
        target=_forked_main, name=f"lifelong-{name.replace(' ', '-')}", daemon=True,
        args=((worker_reads, worker_writes), (build_reads, build_writes), function, args,
              yielding))
    process.start()
    os.close(worker_reads)
    os.close(worker_writes)

    def join() -> int | None:
        process.join()
        return process.exitcode
    return Worker(name, os.fdopen(build_writes, "wb", buffering=0),
                  os.fdopen(build_reads, "rb"), process.is_alive, process.kill, join)


def _forked_main(mine: tuple[int, int], builds: tuple[int, int],
                 function: Callable[..., object], args: tuple[Any, ...],
                 yielding: bool) -> None:
    for descriptor in builds:  # only the build may hold its ends: the worker sees it go
        os.close(descriptor)
    if yielding:
        with contextlib.suppress(OSError, AttributeError):  # no niceness on this system
            os.nice(YIELDING)
    reads, writes = mine
    _serve(Link(os.fdopen(reads, "rb"), os.fdopen(writes, "wb")), function, args)


def fresh(name: str, function: Callable[..., object], *args: Any) -> Worker:
    """``function(link, *args)`` in a new Python interpreter, started now and given
    ``function`` and ``args`` pickled (by a thread: the pipe holds 64 KB until the
    interpreter has started and reads it)."""
    data = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
    process = subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, close_fds=True)
    assert process.stdin is not None
    assert process.stdout is not None
    inbox = process.stdin

    def send() -> None:
        with contextlib.suppress(OSError):  # it is gone: ``wait`` says so
            pickle.dump([p for p in sys.path if p], inbox, protocol=pickle.HIGHEST_PROTOCOL)
            inbox.write(data)
            inbox.flush()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    return Worker(name, inbox, process.stdout, lambda: process.poll() is None, process.kill,
                  process.wait, sender)


def _fresh_main(inbox: IO[bytes]) -> NoReturn:
    """In a new interpreter (``_BOOT``): its messages go out on a copy of stdout, and what
    the work prints goes to stderr, so that it cannot garble them."""
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    function, args = pickle.load(inbox)
    _serve(Link(inbox, outbox), function, args)


def share_out(function: Callable[[T], R], tasks: Iterable[T], workers: int, *,
              setup: Callable[[], None] | None = None) -> Iterator[R]:
    """``function(task)`` of each task, in order, worked out by a pool of ``workers``
    forked processes (each runs ``setup()`` first) while this one takes the results (only
    when ``can_fork``). A task's exception is raised here."""
    with fork_context().Pool(workers, initializer=setup) as pool:
        yield from pool.imap(function, tasks)
