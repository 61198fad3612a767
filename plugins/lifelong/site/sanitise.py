"""Editors' HTML, cleaned by one allowlist: what Markdown makes of a description goes through
``clean`` (nh3, the Python binding of the Rust sanitiser Ammonia) before it reaches a page.

The allowlist is data (``ALLOWED_TAGS``, ``ALLOWED_ATTRIBUTES``, ``URL_SCHEMES``): ``clean``
hands it to nh3, and ``findings`` reads the same data to tell editors what would be removed and
why (``lifelong check``). nh3 decides what reaches readers; ``findings`` only explains it, so a
construct the explanation misses is still removed. Tests hold the two together: cleaned HTML
has no findings, and every hostile construct of the test corpus has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import NamedTuple

import nh3

#: Tags an editor may write (or Markdown and its extensions make): text structure, lists,
#: tables, figures, disclosure widgets, images and links. Nothing interactive (forms,
#: buttons), nothing embedded (iframe, object, svg, math), nothing that changes the page
#: around the description (base, link, meta, style).
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})

#: Attributes kept, per tag ("*": on every allowed tag). No event handlers, no style (it can
#: cover the page with lookalike content), no target (a new window the reader did not ask for).
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}

#: Schemes allowed in links and images; relative addresses are allowed too.
URL_SCHEMES = frozenset({"http", "https", "mailto"})

#: Tags removed together with what they hold (their text is code or markup, not prose).
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "template", "iframe", "object", "embed", "applet", "noscript",
    "noembed", "noframes", "frameset", "frame", "svg", "math", "textarea", "select", "xmp",
    "title", "plaintext",
})

#: Ids the site's own pages use (Material's ``__`` and ``md-``, ours ``ll-``): an element of a
#: description with such an id could stand in for the page's own in scripts and links.
RESERVED_ID = re.compile(r"(?:__|md-|ll-)", re.IGNORECASE)

#: Tags and attributes that can run scripts or send the reader elsewhere by themselves.
_SCRIPT_TAGS = frozenset({
    "script", "iframe", "object", "embed", "applet", "svg", "math", "frame", "frameset",
    "base", "link", "meta", "form", "button", "input", "isindex", "animate", "set",
    "handler", "listener", "portal", "template", "noscript", "style",
})
_SCRIPT_ATTRIBUTES = frozenset({
    "formaction", "action", "srcdoc", "xlink:href", "data", "codebase", "dynsrc", "lowsrc",
    "background", "poster", "ping", "style", "http-equiv",
})
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
#: What browsers drop from a URL before reading its scheme (the URL Standard): controls and
#: spaces around it, tabs and newlines anywhere in it.
_URL_EDGES = "".join(map(chr, range(0x21)))
_URL_TABS = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "id" and RESERVED_ID.match(value):
        return None
    return value


def _local_images_filter(tag: str, name: str, value: str) -> str | None:
    """Also drops images from other hosts: an image with only its ``alt`` text left."""
    if tag == "img" and name == "src" and (url_scheme(value) is not None
                                          or value.strip(_URL_EDGES).startswith(("//", "\\"))):
        return None
    return _attribute_filter(tag, name, value)


_ATTRIBUTES = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}


def clean(html: str, *, remote_images: bool = True) -> str:
    """``html`` with everything outside the allowlist removed (comments too). Without
    ``remote_images`` (the offline copy, which asks nothing of other hosts), images keep
    only their ``alt`` text unless they are files of the site."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=_ATTRIBUTES,
                     clean_content_tags=set(REMOVED_WITH_CONTENT),
                     url_schemes=set(URL_SCHEMES),
                     attribute_filter=_attribute_filter if remote_images else
                     _local_images_filter, strip_comments=True, link_rel=None)


class Finding(NamedTuple):
    """One construct ``clean`` removes: what it is, text to find it by in the source, and
    whether it could run a script (an error) or is only markup the site does not keep."""

    message: str
    #: Texts to look for in the source, the likeliest first.
    needle: tuple[str, ...]
    dangerous: bool


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads from a URL attribute (lower case), or None if relative."""
    match = _SCHEME.match(_URL_TABS.sub("", value.strip(_URL_EDGES)))
    return match.group(1).lower() if match else None


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Finding] = []
        self._inside: list[str] = []  # open tags removed with their content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._inside:
            if tag == self._inside[-1]:
                self._inside.append(tag)
            return
        if tag in REMOVED_WITH_CONTENT or tag not in ALLOWED_TAGS:
            dangerous = tag in _SCRIPT_TAGS
            kept = "" if tag in REMOVED_WITH_CONTENT else " (its text is kept)"
            reason = "it can run scripts or load other pages; " if dangerous else ""
            self.found.append(Finding(f"<{tag}> is not allowed{kept}: {reason}"
                                      "it is removed", (f"<{tag}",), dangerous))
            if tag in REMOVED_WITH_CONTENT:
                self._inside.append(tag)
            for name, _value in attrs:
                if name.startswith("on"):
                    self.found.append(self._attribute(tag, name))
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ALLOWED_ATTRIBUTES["*"]
        for name, value in attrs:
            if name not in allowed:
                self.found.append(self._attribute(tag, name))
            elif name in _URL_ATTRIBUTES and value is not None:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in URL_SCHEMES:
                    dangerous = scheme in ("javascript", "vbscript", "data")
                    reason = "it can run scripts; " if dangerous else ""
                    self.found.append(Finding(
                        f"<{tag} {name}> with a '{scheme}:' address: only http(s), mailto and "
                        f"relative links are allowed; {reason}the address is removed",
                        (value.strip().split("\n", 1)[0][:20], name), dangerous))
            elif name == "id" and value is not None and RESERVED_ID.match(value):
                self.found.append(Finding(
                    f"id {value!r} is reserved for the site's own page (ids starting with "
                    "'__', 'md-' or 'll-'): it is removed", (value,), False))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._inside and tag == self._inside[-1]:
            self._inside.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._inside and tag == self._inside[-1]:
            self._inside.pop()

    @staticmethod
    def _attribute(tag: str, name: str) -> Finding:
        if name.startswith("on"):
            return Finding(f"event handler {name}= on <{tag}> runs scripts: it is removed",
                           (name,), True)
        dangerous = name in _SCRIPT_ATTRIBUTES
        reason = ("it can load files from outside and cover the page; " if name == "style"
                  else "it can run scripts or load other pages; " if dangerous else "")
        return Finding(f"attribute {name}= is not allowed on <{tag}>: {reason}it is removed",
                       (name,), dangerous)


def findings(html: str) -> list[Finding]:
    """What ``clean`` removes from ``html``, in document order (comments are removed
    without a finding: they never show)."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


def locate(body: str, needles: Iterable[tuple[str, ...]]) -> Iterator[int]:
    """For each finding's needles in turn, the offset in ``body`` where the first of them
    that is there is found after the previous finding's (case-insensitive), else before it,
    else 0."""
    lowered = body.lower()
    at = 0
    for alternatives in needles:
        found = -1
        for needle in alternatives:
            text = needle.lower()
            if not text:
                continue
            found = lowered.find(text, at)
            if found < 0:
                found = lowered.find(text)
            if found >= 0:
                break
        if found >= 0:
            at = found + 1
        yield max(found, 0)
