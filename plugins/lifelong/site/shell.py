"""The theme's page around catalogue content, drawn once and filled many times.

Every catalogue page (entry, listing, term page) sits in the same theme chrome: header,
navigation, footer. Only the title, description, address, head part (feeds, share tags:
``lifelong.site.head``) and content differ, and the relative way back to the site root (its
depth). The adapter has the theme draw one stand-in
page per depth with marker strings in those places; ``Shell`` splits that output at the
markers and ``fill`` joins the parts with a real page's values. Drawing 90,000 pages is
then string joins, not 90,000 runs of the theme's templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: The places a page's own values go. Each marker is plain ASCII the theme passes unchanged.
SLOTS = ("title", "description", "url", "head", "content")
MARKER = "\x02ll-{}\x03"
_MARKER_RE = re.compile("\x02ll-([a-z]+)\x03")


def stand_in_url(depth: int, directory_urls: bool) -> str:
    """A page address ``depth`` folders below the root that no real page has (ids and
    terms are never this long): the theme prints it wherever it prints the page's address
    (the canonical link), and ``Shell.split`` finds it there."""
    folders = STAND_IN * depth
    return folders if directory_urls else folders + STAND_IN.rstrip("/") + ".html"


STAND_IN = "ll-stand-in-page-0f3a9c7e/"


@dataclass(frozen=True)
class Shell:
    parts: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def split(cls, html: str, url_marker: str) -> Shell:
        """``html`` drawn with the markers, where the page address printed as
        ``url_marker``."""
        html = html.replace(url_marker, MARKER.format("url"))
        pieces = _MARKER_RE.split(html)
        parts, slots = tuple(pieces[0::2]), tuple(pieces[1::2])
        unknown = set(slots) - set(SLOTS)
        if unknown or "content" not in slots:
            raise ValueError(f"the theme drew the page without its content or with unknown "
                             f"markers ({sorted(unknown)})")
        if any("\x02" in part or STAND_IN[:-1] in part for part in parts):
            raise ValueError("the theme changed a marker; catalogue pages cannot be drawn")
        return cls(parts, slots)

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)
