"""MkDocs adapter for the catalogue: a thin layer over lifelong.site.CatalogueSite."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import mkdocs
from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from lifelong.plugins.catalogue.config import CatalogueConfig
from lifelong.problems import CatalogueError
from lifelong.render import squeeze_whitespace
from lifelong.site import CatalogueSite, OutputsJob, SiteOptions, build_nav

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: CatalogueSite | None = None
        self.outputs: OutputsJob | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").parent
        lang = self.config.language or ("en" if config.theme["language"] == "en" else "zh")
        options = SiteOptions(
            content_dir=Path(config.docs_dir), catalogue_dir=root / self.config.catalogue_dir,
            template_dirs=[Path(d) for d in config.theme.dirs], site_url=config.site_url,
            directory_urls=config.use_directory_urls, lang=lang,
            page_size=self.config.page_size, offline=self.config.offline,
            subset_sections=tuple(self.config.subset_sections),
            subset_subjects=tuple(self.config.subset_subjects),
            subset_audiences=tuple(self.config.subset_audiences), media=self.config.media,
            # The browser's copy of lunr.js comes from the installed MkDocs: never vendored.
            lunr_js=Path(mkdocs.__file__).parent / "contrib/search/templates/search/lunr.js")
        try:
            self.site = CatalogueSite(options)
        except (CatalogueError, ValueError) as exc:
            raise PluginError(str(exc)) from None
        config.extra["lifelong"] = {"offline": self.config.offline,
                                    "outdated_text": self.site.plan.t("may_be_outdated")}
        if self.config.auto_nav and config.nav is None:
            top = sorted(p.name for p in Path(config.docs_dir).glob("*.md"))
            config.nav = build_nav(self.site, top)
        return config

    # Late: other plugins may add files first; ours then claim their addresses.
    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        site = self.site
        if site is None:
            return None
        problems = site.collisions((f.src_uri, f.dest_uri) for f in files)
        if problems:
            raise PluginError("\n".join(map(str, problems)))
        for file in list(files):
            if file.src_uri in site.excluded_paths or file.src_uri in site.excluded_media:
                files.remove(file)
            elif (entry := site.entries_by_path.get(file.src_uri)) is not None:
                file.dest_uri = site.entry_dest(entry)
                file.url = file._get_url()
                file.abs_dest_path = str(Path(config.site_dir, file.dest_uri))
                file.inclusion = InclusionLevel.NOT_IN_NAV
        for src_uri in site.pages:
            files.append(File.generated(config, src_uri, content="",
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        # MkDocs has cleaned site_dir by now; the outputs are written beside the rendering.
        self.outputs = site.start_outputs(Path(config.site_dir))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        # Material prints page titles and descriptions unescaped: give it escaped ones.
        meta = page.meta
        site = self.site
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
        return None

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        if self.site is None:
            return None
        try:
            return self.site.render(page.file.src_uri, html, page.url,
                                    is_home=page.is_homepage,
                                    title=str(page.title or config.site_name))
        except jinja2.TemplateError as exc:
            where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
            raise PluginError(f"{page.file.src_uri}: the catalogue template failed: {where}"
                              f"{type(exc).__name__}: {exc}") from None

    # Late: the page as the theme and every other plugin left it.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return squeeze_whitespace(output) if self.site is not None else None

    # Late: after the theme and other plugins have written their files.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.outputs is not None:
            outputs, self.outputs = self.outputs, None
            try:
                outputs.wait()
            except RuntimeError as exc:
                raise PluginError(str(exc)) from None

    def on_build_error(self, *, error: Exception) -> None:
        if self.outputs is not None:
            self.outputs.cancel()
            self.outputs = None
