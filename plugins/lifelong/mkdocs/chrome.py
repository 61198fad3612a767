"""The theme's chrome around catalogue pages: a stand-in page drawn by the theme, with every
plugin's page context, split where our content, title and description go (``Shell``). It is
drawn once per folder depth; the catalogue draws its pages inside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2
from markupsafe import escape
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

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
        "description"), "template": "lifelong.html", "hide": ["toc", "navigation"]}
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
    unescaped, so they are given escaped; catalogue pages get our template."""
    meta = page.meta
    title = (site.title_of(page.file.src_uri) if site else None) or meta.get("title")
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
