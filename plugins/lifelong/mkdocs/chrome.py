"""The theme's chrome around catalogue pages: a stand-in page drawn by the theme, with every
plugin's page context, split where our content, title, description and head part go
(``Shell``). It is drawn once per folder depth; the catalogue draws its pages inside it. And
what the theme prints of the pages MkDocs draws itself (``page_meta``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2
from markupsafe import escape
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from lifelong.site.head import PageHead
from lifelong.site.render import squeeze_whitespace
from lifelong.site.shell import MARKER, Shell, stand_in_url

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

    from lifelong.build.catalogue_site import CatalogueSite


def draw_shell(depth: int, env: jinja2.Environment, config: MkDocsConfig, files: Files,
               nav: Navigation) -> Shell:
    """The theme's page around catalogue content, for pages ``depth`` folders deep."""
    url = stand_in_url(depth, config.use_directory_urls)
    file = File.generated(config, "ll-stand-in.md", content="",
                          inclusion=InclusionLevel.NOT_IN_NAV)
    file.dest_uri = url + "index.html" if config.use_directory_urls else url
    # What MkDocs' File gives for that destination (its _get_url is private).
    file.url = (url or "./") if config.use_directory_urls else url
    page = Page(MARKER.format("title"), file, config)
    page.meta = {"title": MARKER.format("title"), "description": MARKER.format(
        "description"), "head": MARKER.format("head"), "template": "lifelong.html",
        "hide": ["toc", "navigation"]}
    page.content = MARKER.format("content")
    page.markdown = ""
    # MkDocs' own context for a page: a public name, though not in its plugin guide (MkDocs
    # is pinned at 1.6.1; every site test draws through this).
    context = get_context(nav, files, config, page)
    context = config.plugins.on_page_context(context, page=page, config=config,
                                             nav=nav)
    html = env.get_template("lifelong.html").render(context)
    try:
        return Shell.split(squeeze_whitespace(html), file.url)
    except ValueError as exc:
        raise PluginError(f"site_config: {exc}") from None


def page_meta(page: Page, site: CatalogueSite | None) -> None:
    """What the theme prints of a page MkDocs draws: Material prints titles and descriptions
    unescaped, so they are given escaped; catalogue pages get our template. Every page gets
    the head part catalogue pages have (``lifelong.site.head``), in place of any ``head`` an
    editor's front matter gives (our templates print it as it is)."""
    meta = page.meta
    title = (site.title_of(page.file.src_uri) if site else None) or meta.get("title")
    meta["head"] = head_part(page, site, title) if site else ""
    if title is not None:
        meta["title"] = page.title = escape(str(title))
    if isinstance(meta.get("summary"), str):
        meta["description"] = escape(meta["summary"])
    elif "description" in meta:
        meta["description"] = escape(str(meta["description"]))
    if site and (page.file.src_uri in site.pages or page.file.src_uri in
                 site.entries_by_path or page.is_homepage):
        meta["template"] = "lifelong.html"
        meta["hide"] = ["toc"] if page.is_homepage else ["toc", "navigation"]


def head_part(page: Page, site: CatalogueSite, title: object) -> str:
    """The head part of a page MkDocs draws: a generated page's or an entry's as the
    catalogue draws them; the home page's with the whole catalogue's feeds. A page with no
    title of its own is shared with MkDocs' (its first heading, its file's name), the home
    page with the site's name; one with no description of its own with the site's."""
    head = PageHead.of_site(site)
    src_uri, url, meta = page.file.src_uri, page.url, page.meta
    entry = site.entries_by_path.get(src_uri)
    if entry is not None:
        return head.entry(entry, url, entry.summary)
    own = meta.get("summary") if isinstance(meta.get("summary"), str) \
        else meta.get("description")
    description = site.options.site_description if own is None else str(own)
    if src_uri in site.pages:
        return head.page(site.pages[src_uri], url, description)
    name = site.options.site_name
    shown = title or (name if page.is_homepage else page.title) or name
    return head.other(url, str(shown), description, home=page.is_homepage)
