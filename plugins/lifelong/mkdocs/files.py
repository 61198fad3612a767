"""Entry files as MkDocs files: link targets for hand-written pages (MkDocs resolves links to
them), never drawn nor copied by MkDocs; the files a build keeps; what the navigation names."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mkdocs.commands.build
import mkdocs.structure.files
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from lifelong.build.catalogue_site import CatalogueSite
from lifelong.mkdocs.compat import readdress_entries
from lifelong.mkdocs.theme import minify_own_scripts
from lifelong.site.urls import UrlScheme

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from lifelong.offline.remote import RemoteMedia


class EntrySource(File):
    """An entry's Markdown file: a link target for hand-written pages (MkDocs resolves
    links to it), but neither drawn nor copied by MkDocs: the catalogue draws its page.

    Its addresses follow from the entry's id when asked for, not kept: there are tens of
    thousands of these, and few are ever asked."""

    def __init__(self, file: File, entry_id: str) -> None:
        # File's own __init__ parses the path again with pathlib (a second at 90,000
        # entries); the attributes it sets are copied as they are.
        self._set(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls, entry_id)

    def _set(self, src_uri: str, src_dir: str | None, dest_dir: str, use_directory_urls: bool,
             entry_id: str) -> None:
        self.src_uri = src_uri
        self.src_dir, self.dest_dir = src_dir, dest_dir
        self.use_directory_urls = use_directory_urls
        self.inclusion = InclusionLevel.NOT_IN_NAV
        self.entry_id = entry_id

    @classmethod
    def at(cls, src_uri: str, src_dir: str | None, dest_dir: str, use_directory_urls: bool,
           entry_id: str) -> EntrySource:
        """The entry file at ``src_uri`` (a POSIX path in ``src_dir``), made from its path
        alone."""
        made = cls.__new__(cls)
        made._set(src_uri, src_dir, dest_dir, use_directory_urls, entry_id)
        return made

    @property
    def dest_uri(self) -> str:  # type: ignore[override]
        return UrlScheme(self.use_directory_urls).entry_dest(self.entry_id)

    @property
    def url(self) -> str:  # type: ignore[override]
        return UrlScheme(self.use_directory_urls).entry_url(self.entry_id)

    @property
    def abs_dest_path(self) -> str:
        return os.path.normpath(os.path.join(self.dest_dir, self.dest_uri))

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False

    def is_media_file(self) -> bool:
        return False

    def is_javascript(self) -> bool:
        return False

    def is_css(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        return None


@contextlib.contextmanager
def quick_walk() -> Iterator[None]:
    """While inside, MkDocs' builds find their files with the catalogue's entry files made
    ``EntrySource`` as they are found (``entry_files``): MkDocs' ``File`` parses each path
    with pathlib and works out its address, more than a second at 90,000 entries, and
    ``claim_files`` then has none to wrap. MkDocs walks the folder as ever; only the name
    its ``get_files`` makes each file with is swapped, while it runs, once the catalogue
    plugin of the build has loaded the catalogue (otherwise the walk is MkDocs' own)."""
    walk = mkdocs.commands.build.get_files

    def get_files(config: MkDocsConfig) -> Files:
        site = getattr(config.plugins.get("lifelong/catalogue"), "site", None)
        if not isinstance(site, CatalogueSite):
            return walk(config)
        module = mkdocs.structure.files
        plain = module.File
        module.File = entry_files(site.entries_by_path, plain)  # type: ignore[misc, assignment]
        try:
            return walk(config)
        finally:
            module.File = plain  # type: ignore[misc]

    mkdocs.commands.build.get_files = get_files
    try:
        yield
    finally:
        mkdocs.commands.build.get_files = walk


def entry_files(entries: Mapping[str, Any], plain: type[File]) -> Callable[..., File]:
    """What MkDocs' walk makes each file it finds with: ``plain`` (its ``File``), or for the
    file of one of ``entries`` (source path -> anything with an ``id``) an ``EntrySource``.
    An ``index`` or ``README`` file stays MkDocs' own: its walk weighs those against each
    other by address."""
    separator = os.sep

    def make(path: str, src_dir: str | None, dest_dir: str, use_directory_urls: bool,
             **kwargs: Any) -> File:
        src_uri = path.replace(separator, "/") if separator != "/" else path
        if src_uri.startswith("./"):
            src_uri = src_uri[2:]
        entry = entries.get(src_uri)
        if entry is None or kwargs or \
                src_uri.rpartition("/")[2].rpartition(".")[0] in ("index", "README"):
            return plain(path, src_dir, dest_dir, use_directory_urls, **kwargs)
        return EntrySource.at(src_uri, src_dir, dest_dir, use_directory_urls, entry.id)

    return make


def nav_sources(nav: Any) -> set[str]:
    """Every file a ``nav`` setting names."""
    found: set[str] = set()
    if isinstance(nav, str):
        found.add(nav)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= nav_sources(value)
    elif isinstance(nav, list):
        for item in nav:
            found |= nav_sources(item)
    return found


def claim_files(files: Files, site: CatalogueSite, rebuild: bool) -> Files:
    """Entry files become link targets only; unpublished files leave the build."""
    kept: list[File] = []
    for file in files:
        if file.src_uri in site.excluded_paths or file.src_uri in site.excluded_media:
            continue
        if isinstance(file, EntrySource):
            pass  # made so as it was found (quick_walk)
        elif (entry := site.entries_by_path.get(file.src_uri)) is not None:
            # A new, small object: MkDocs' File keeps more than a link target needs
            # (tens of thousands of them).
            file = EntrySource(file, entry.id)
        elif rebuild and file.is_documentation_page() and file.abs_src_path:
            # A dirty build redraws only modified pages; these show the catalogue.
            file.content_string = file.content_string
        kept.append(file)
    return Files(kept)


def theme_files(files: Iterable[File]) -> Iterable[str]:
    """Where the files MkDocs writes go (pages and static files): a rebuild removes those
    that are gone since the last build."""
    for file in files:
        if not isinstance(file, EntrySource) and file.inclusion.is_included():
            yield file.dest_uri


def catalogue_files(files: Files, config: MkDocsConfig, site: CatalogueSite,
                    theme_pages: Iterable[str], remote: RemoteMedia | None, *,
                    others_first: bool) -> Files:
    """MkDocs' files as the catalogue builds them: refused where a hand-written page sits at
    a generated page's address; entry files made link targets (``others_first``: another
    plugin saw them first, and may keep their addresses); the generated pages the theme
    draws, and remote images fetched into an offline copy, added."""
    # Entry files are not asked their addresses (tens of thousands): their pages move to
    # the entry's id, so none of them can sit where a generated page goes.
    entries = site.entries_by_path
    problems = site.collisions((f.src_uri, f.dest_uri) for f in files
                               if f.src_uri not in entries)
    if problems:
        raise PluginError("\n".join(map(str, problems)))
    site_dir = Path(config.site_dir)
    # MkDocs has cleaned site_dir by now unless this is a dirty build (a rebuild).
    rebuild = site_dir.is_dir() and any(site_dir.iterdir())
    if others_first:
        readdress_entries(files, site.entries_by_path, config.use_directory_urls)
    files = claim_files(files, site, rebuild)
    minify_own_scripts(files, site.options.cache_dir)
    for src_uri in sorted(theme_pages):
        files.append(File.generated(config, src_uri, content="",
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    for dest, path in sorted(remote.files.items() if remote else ()):
        files.append(File.generated(config, dest, abs_src_path=str(path)))
    return files
