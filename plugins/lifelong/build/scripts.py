"""Our own scripts as the site publishes them: without their comments and spaces (rjsmin),
made once after each change of a script and kept in the build's cache.

The sources in ``theme/assets/lifelong/`` stay readable and commented; a reader's phone
(and a USB copy, which nothing compresses) gets about half the bytes. A kept script is
written again only when what it holds changes, so that a rebuild finds it older than the
site's copy and copies nothing.
"""

from __future__ import annotations

from pathlib import Path

import rjsmin

from lifelong.build.cache import write_atomically


def minified(text: str) -> str:
    """``text`` without comments and the spaces and line breaks JavaScript does not need
    (names and strings are left as they are: other scripts call them by name)."""
    return str(rjsmin.jsmin(text)) + "\n"


def published_script(source: Path, folder: Path) -> Path:
    """The minified copy of ``source`` kept in ``folder`` (written when it differs)."""
    small = minified(source.read_text(encoding="utf-8"))
    target = folder / source.name
    try:
        if target.read_text(encoding="utf-8") == small:
            return target
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(target, small.encode("utf-8"))
    return target
