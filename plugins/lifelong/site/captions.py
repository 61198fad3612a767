"""Captions (WebVTT) in the offline copy, as classic scripts.

Opened from a USB stick (file://), Chromium loads no ``<track src>``: every file is an
origin of its own, and a track must come from the page's. So the offline copy publishes
each local captions file a second time as ``<file>.vtt.js``, a script that hands its text
to ``LifelongCaptions`` (lifelong.js), which gives it to the track as a blob of the page's
own; the copy's ``<track>`` names the script (``data-ll-captions``), not the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from lifelong.catalogue.model import Entry
from lifelong.catalogue.validate import Media

#: What a captions script's name adds to its file's.
SCRIPT_SUFFIX = ".js"


def local_captions(entry: Entry) -> list[Media]:
    """The entry's captions files in content/, in order."""
    return [caption["link"] for caption in entry.get("captions") or ()
            if caption.get("link") is not None and caption["link"].path]


def caption_script(text: str) -> bytes:
    """The script that hands ``text`` (a WebVTT file) to the page."""
    data = json.dumps(text, ensure_ascii=False).replace("</", "<\\/")
    return f"LifelongCaptions({data});\n".encode()


def caption_files(entries: Iterable[Entry], content_dir: Path,
                  excluded: frozenset[str] = frozenset()) -> Iterator[tuple[str, bytes]]:
    """(address, bytes) of the script of every captions file the copy holds."""
    done: set[str] = set()
    for entry in entries:
        for media in local_captions(entry):
            path = media.path or ""
            if path in done or path in excluded:
                continue
            done.add(path)
            raw = (content_dir / path).read_bytes().removeprefix(b"\xef\xbb\xbf")
            yield path + SCRIPT_SUFFIX, caption_script(raw.decode("utf-8", "replace"))
