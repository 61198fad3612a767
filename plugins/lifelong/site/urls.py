"""Where every page and file of the site lives, and relative links between them.

Mirrors MkDocs' rules (``File._get_dest_path``/``_get_url`` and ``utils.get_relative_url``)
without importing MkDocs; tests compare the two.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

#: Names that ``quote`` leaves as they are.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]+")


@dataclass(frozen=True)
class UrlScheme:
    """``use_directory_urls`` decides between ``taiji/`` and ``taiji.html``."""

    directory_urls: bool = True

    def entry_dest(self, entry_id: str) -> str:
        return f"{entry_id}/index.html" if self.directory_urls else f"{entry_id}.html"

    @staticmethod
    def generated_src(path: str) -> str:
        """Source name of a generated page at ``path`` ('' is the site root)."""
        return posixpath.join(path, "index.md") if path else "index.md"

    def url_of_dest(self, dest: str) -> str:
        dirname, filename = posixpath.split(dest)
        if self.directory_urls and filename == "index.html":
            return quote((dirname or ".") + "/") if dirname else "./"
        return quote(dest)

    def entry_url(self, entry_id: str) -> str:
        if _PLAIN.fullmatch(entry_id):  # every valid id: no quoting to do
            return f"{entry_id}/" if self.directory_urls else f"{entry_id}.html"
        return self.url_of_dest(self.entry_dest(entry_id))

    def page_url(self, path: str) -> str:
        """URL of a generated index page at ``path`` ('subjects/health')."""
        return self.url_of_dest(posixpath.join(path, "index.html") if path else "index.html")


def relative_url(target: str, base: str) -> str:
    """Link to ``target`` from the page at ``base`` (both site-relative URLs, normalised as
    the site makes them). Called for every link of every page: plain string work."""
    base = "" if base in (".", "./") else base
    target = "" if target in (".", "./") else target
    base_parts = base.split("/")[:-1]          # the folder: 'a/b/' and 'a/b.html' -> [a, b] / [a]
    trailing = not target or target.endswith("/")
    target_parts = target.rstrip("/").split("/") if target else []
    common = 0
    for mine, theirs in zip(base_parts, target_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    rel = "/".join([".."] * (len(base_parts) - common) + target_parts[common:]) or "."
    if trailing:
        return rel + "/" if rel != "." else "./"
    return rel
