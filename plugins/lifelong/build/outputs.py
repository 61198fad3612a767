"""Work done in a process of its own: a new Python interpreter given, pickled, exactly what
the work needs, and nothing else.

Why not fork: a forked process shares the build's memory only until it writes to it, and
CPython writes to every object it reads (its reference count) and allocates into the free
room of the heap it inherited; a forked process that reads the catalogue, or just allocates
a lot, ends up with a private copy of much of it. A new interpreter holds only its own
copy of its input and what it makes, and gives it all back when it ends.

Why not ``multiprocessing``'s spawn: it imports the program's main module again in the new
process, which re-runs a build started from a script without an ``if __name__ ==
"__main__":`` guard. Here the new interpreter runs a fixed bootstrap (``_BOOT``): it takes
the build's ``sys.path``, then a function and its argument, waits for the word to start,
and reports back one line: nothing, or the message of the error that stopped it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

_BOOT = ("import pickle, sys; sys.path[:0] = pickle.load(sys.stdin.buffer); "
         "from lifelong.build.outputs import _main; _main()")

#: Problems a job reports as a message (a full disk, a folder that may not be written);
#: anything else is a bug, and its traceback is shown. Failures on one entry's document
#: are reported too (``reported``): their message names the entry's file.
REPORTED: tuple[type[BaseException], ...] = (OSError,)


class JobProblem(Exception):
    """What a job raises to stop with a message for the build to show."""


def reported() -> tuple[type[BaseException], ...]:
    """What a job reports as a message: JobProblem, REPORTED, and a failure of the search
    index on one document (``DocumentError``, whose message names the entry's file)."""
    # Imported when a job fails: by then its function (in lifelong.site.catalogue) has imported it.
    from lifelong.search.index import DocumentError

    return (JobProblem, DocumentError, *REPORTED)


class Job:
    """``function(argument)`` in a new interpreter, started at once; it waits for ``go``
    (e.g. until the site folder is ready) and ``wait`` returns the message it stopped with
    (None when it succeeded)."""

    def __init__(self, name: str, function: Callable[[Any], object], argument: Any) -> None:
        self.name = name
        data = pickle.dumps((function, argument), protocol=pickle.HIGHEST_PROTOCOL)
        self._process = subprocess.Popen(
            [sys.executable, "-c", _BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            close_fds=True)
        assert self._process.stdin is not None
        self._stdin = self._process.stdin
        pickle.dump([p for p in sys.path if p], self._stdin, protocol=pickle.HIGHEST_PROTOCOL)
        # The interpreter reads its input once it has started: a thread hands it over
        # (the pipe holds 64 KB), while this one goes on.
        self._sender = threading.Thread(target=self._send, args=(data,), daemon=True)
        self._sender.start()
        self._went = False
        self._lock = threading.Lock()
        self._result: tuple[str | None] | None = None

    def _send(self, data: bytes) -> None:
        with contextlib.suppress(OSError):  # it is gone: ``wait`` says so
            self._stdin.write(data)
            self._stdin.flush()

    def go(self) -> None:
        if not self._went:
            self._went = True
            self._sender.join()
            with contextlib.suppress(OSError, ValueError):  # it is gone: ``wait`` says so
                self._stdin.write(b"g")
                self._stdin.close()

    def running(self) -> bool:
        return self._process.poll() is None

    def wait(self) -> str | None:
        """Let it start if it has not, wait for its end; its message, if it failed. Any
        thread may call it, any number of times."""
        with self._lock:
            if self._result is None:
                self.go()
                assert self._process.stdout is not None
                with self._process.stdout:
                    report = self._process.stdout.read()
                code = self._process.wait()
                message = report.decode("utf-8", "replace").strip()
                if code != 0 and not message:
                    message = f"{self.name} failed (exit code {code}); see the messages above"
                self._result = (message or None,)
            return self._result[0]

    def kill(self) -> None:
        """Stop it now (``wait`` then returns)."""
        if self.running():
            self._process.kill()

    def cancel(self) -> None:
        self.kill()
        self.wait()


def _main() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    function, argument = pickle.load(stdin)
    if stdin.read(1) != b"g":  # the build stopped before it needed this
        os._exit(0)
    try:
        function(argument)
    except reported() as exc:
        stdout.write(describe(exc).encode("utf-8"))
        stdout.flush()
        os._exit(1)
    stdout.flush()
    os._exit(0)  # what it made is given back at once


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)
