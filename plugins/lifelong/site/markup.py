"""Entry descriptions from Markdown to HTML, with the site's Markdown extensions.

One ``markdown.Markdown`` is reused for every entry (MkDocs makes a new one per page, which
costs more than converting a short description). Relative links and images in a
description are written relative to the entry's source file in content/; they are rewritten
for the page's own address, as MkDocs does for its pages. What Markdown makes is then
cleaned by the allowlist of ``lifelong.site.sanitise``; ``BodyChecker`` tells editors (``lifelong
check``) what that removes and which links lead nowhere, with the line of each.
"""

from __future__ import annotations

import os
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from lifelong.catalogue.problems import Problem
from lifelong.catalogue.validate import CONTROL_CHARACTERS
from lifelong.site.sanitise import clean, findings, locate
from lifelong.site.urls import relative_url

#: MkDocs' own default extensions, for a project without mkdocs.yml.
DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")

#: A description can only make markup (tags, attributes, links, headings with ids) with one
#: of these.
_MARKUP_SIGNS = re.compile(r"[<{\]]|^ {0,3}#|^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)

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
    as (source path, link, the path in content/ it names or None). Without
    ``remote_images`` (the offline copy), images from other hosts keep only their ``alt``
    text."""

    def __init__(self, extensions: Sequence[Any], configs: Mapping[str, Any],
                 resolve: Resolver, *, remote_images: bool = True) -> None:
        self.md = markdown.Markdown(extensions=list(extensions),
                                    extension_configs=dict(configs))
        self.remote_images = remote_images
        self.md.treeprocessors.register(_RelativeLinks(self.md, self), "lifelong_links", 0)
        self.resolve = resolve
        self.missing: list[tuple[str, str, str | None]] = []
        self._source = ""
        self._page = ""

    def convert(self, text: str, source: str, page_url: str) -> str:
        """The HTML of ``text``, written in content/``source``, shown at ``page_url``,
        cleaned by the allowlist."""
        return clean(self.unclean(text, source, page_url), remote_images=self.remote_images)

    def unclean(self, text: str, source: str, page_url: str) -> str:
        """What Markdown makes of ``text``, before cleaning: only for telling editors what
        the cleaning removes."""
        self._source, self._page = source, page_url
        try:
            return self.md.reset().convert(text)
        finally:
            self._source = self._page = ""

    def rewrite(self, link: str) -> str:
        if AMP_SUBSTITUTE in link:  # Markdown's character references (a mailto: autolink)
            return link
        try:
            parts = urlsplit(link)
        except ValueError:  # e.g. an unclosed '[' in the host: not a link the site makes
            self.missing.append((self._source, link, None))
            return link
        if parts.scheme or parts.netloc or not parts.path or link.startswith("#"):
            return link
        if link.startswith(("/", "\\")):
            self.missing.append((self._source, link, None))
            return link
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self._source),
                                                   unquote(parts.path)))
        url = None if target == ".." or target.startswith("../") else self.resolve(target)
        if url is None:
            self.missing.append((self._source, link, target))
            return link
        return urlunsplit(("", "", relative_url(url, self._page), parts.query, parts.fragment))


class BodyChecker:
    """What ``lifelong check`` says of a description: control characters, links to files
    that are not in content/, and each construct the allowlist removes, each with its line.

    A description without ``<``, ``{``, ``]`` or a heading makes no tag, attribute, link or
    id: it is not converted at all (most are plain prose, and a catalogue's first check reads
    90,000)."""

    def __init__(self, extensions: Sequence[Any], configs: Mapping[str, Any],
                 content_dir: Path) -> None:
        self.content_dir = content_dir
        self._root = os.path.realpath(content_dir)
        self.converter = BodyConverter(extensions, configs, self._resolve)

    def _resolve(self, target: str) -> str | None:
        """A file in content/, reached without leaving it (a symbolic link may not)."""
        real = os.path.realpath(os.path.join(self._root, target))
        if not real.startswith(self._root + os.sep) or not os.path.isfile(real):
            return None
        return target

    def problems(self, path: str, body: str, first_line: int) -> list[Problem]:
        found: list[Problem] = []

        def line_at(offset: int) -> int:
            return first_line + body.count("\n", 0, offset)

        for match in CONTROL_CHARACTERS.finditer(body):
            found.append(Problem(path, line_at(match.start()), "body",
                                 f"contains the control character U+{ord(match.group()):04X}; "
                                 "remove it"))
        if not _MARKUP_SIGNS.search(body):
            return found
        converter = self.converter
        converter.missing.clear()
        html = converter.unclean(body, path, "")
        missing = [(link, target) for _source, link, target in converter.missing]
        for (link, target), offset in zip(missing, locate(body, [(link,) for link, _ in missing]),
                                          strict=True):
            found.append(Problem(path, line_at(offset), "body", self._link_problem(link, target)))
        removed = findings(html)
        for finding, offset in zip(removed, locate(body, [f.needle for f in removed]),
                                   strict=True):
            found.append(Problem(path, line_at(offset), "body", finding.message))
        return found

    def _link_problem(self, link: str, target: str | None) -> str:
        """Why ``link`` (to ``target`` in content/, as the converter resolved it) leads
        nowhere."""
        if link.startswith(("/", "\\")):
            return (f"link {link!r}: write links to files in content/ relative to this "
                    "entry (e.g. ../covers/a.png), and other links in full (https://...)")
        if target is None:
            return f"link {link!r} is not a valid address"
        if target == ".." or target.startswith("../"):
            return f"link {link!r} points outside content/"
        real = os.path.realpath(os.path.join(self._root, target))
        if os.path.lexists(os.path.join(self._root, target)) and \
                not real.startswith(self._root + os.sep):
            return f"link {link!r} leads outside content/ through a symbolic link"
        return f"link {link!r}: no such file (looked for content/{target})"
