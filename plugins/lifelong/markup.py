"""Entry descriptions from Markdown to HTML, with the site's Markdown extensions.

One ``markdown.Markdown`` is reused for every entry (MkDocs makes a new one per page, which
costs more than converting a short description). Relative links and images in a
description are written relative to the entry's source file in content/; they are rewritten
for the page's own address, as MkDocs does for its pages.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.treeprocessors import Treeprocessor

from lifelong.urls import relative_url

#: Given a path in content/ (``courses/a.md``, ``covers/a.svg``), the site-relative URL of
#: the page or file it becomes, or None when the site has no such file.
Resolver = Callable[[str], "str | None"]


class _RelativeLinks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, converter: BodyConverter) -> None:
        super().__init__(md)
        self.converter = converter

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None:
                    element.set(attribute, self.converter.rewrite(value))


class BodyConverter:
    """Converts descriptions; ``missing`` collects links to files the site does not have,
    as (source path, link) pairs."""

    def __init__(self, extensions: Sequence[Any], configs: Mapping[str, Any],
                 resolve: Resolver) -> None:
        self.md = markdown.Markdown(extensions=list(extensions),
                                    extension_configs=dict(configs))
        self.md.treeprocessors.register(_RelativeLinks(self.md, self), "lifelong_links", 0)
        self.resolve = resolve
        self.missing: list[tuple[str, str]] = []
        self._source = ""
        self._page = ""

    def convert(self, text: str, source: str, page_url: str) -> str:
        """The HTML of ``text``, written in content/``source``, shown at ``page_url``."""
        self._source, self._page = source, page_url
        try:
            return self.md.reset().convert(text)
        finally:
            self._source = self._page = ""

    def rewrite(self, link: str) -> str:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path or link.startswith(("/", "#")):
            return link
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self._source),
                                                   unquote(parts.path)))
        url = self.resolve(target)
        if url is None:
            self.missing.append((self._source, link))
            return link
        return urlunsplit(("", "", relative_url(url, self._page), parts.query, parts.fragment))
