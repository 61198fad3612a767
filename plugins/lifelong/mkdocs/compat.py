"""Other MkDocs plugins next to the catalogue: what they need from it, and those it refuses.

Input: MkDocs' config (its plugins and their options) and the files MkDocs found. Output: the
files other plugins kept, made to tell the entries' real addresses, and warnings or a
``PluginError`` that say what to do instead. Imports MkDocs and ``lifelong.site.urls`` only
(and the model's types), never another plugin's package (each is recognised by the module
its class comes from), so none of them is needed to build.

- mkdocs-redirects keeps the documentation pages it saw in ``on_files``, which runs before
  ours: the entry files there are MkDocs' own ``File`` objects, whose address is the
  Markdown file's (``courses/taiji-basics/``), not the entry page's (``taiji-basics/``).
  ``readdress_entries`` gives them the page's address, as ``EntrySource`` tells it.
  A redirect to a draft is warned of (``check_redirects``).
- mkdocs-static-i18n makes a new ``File`` of every file in docs_dir (entries would become
  MkDocs pages again) and builds the whole site once more per language: refused, the
  catalogue has its own ``language`` option.
- mkdocs-minify-plugin renames what it minifies (``x.js`` -> ``x.min.js``) and follows the
  rename only in ``extra_javascript``/``extra_css``: scripts the catalogue loads by name, or
  writes after minify has run, are refused in ``js_files``; so is ``cache_safe`` for our
  stylesheet and script, which it would look for in docs_dir.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from lifelong.site.urls import UrlScheme

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from lifelong.catalogue.model import Entry

log = logging.getLogger("mkdocs.plugins.lifelong")

REDIRECTS_MODULE = "mkdocs_redirects"
I18N_MODULE = "mkdocs_static_i18n"
MINIFY_MODULE = "mkdocs_minify_plugin"

#: Scripts the site loads by these names (lifelong.js asks for search.js when a search
#: starts; the footer's template names version.js; catalogue templates name when.js and the
#: read-aloud stub, which loads readaloud.js when the control is first touched, and the print
#: kit's print.js; lifelong.js loads qr.js to draw QR codes), and the
#: search folder, which the catalogue's own process writes while (and after) minify's
#: on_post_build runs.
NAMED_SCRIPTS = ("assets/lifelong/search.js", "version.js", "assets/lifelong/when.js",
                 "assets/lifelong/readaloud-stub.js", "assets/lifelong/readaloud.js",
                 "assets/lifelong/print.js", "assets/lifelong/qr.js")
SEARCH_FOLDER = "search"
#: The catalogue's stylesheet and script (in extra_css and extra_javascript, so minify's
#: renames reach every page), by the minify option that may name them.
CATALOGUE_ASSETS = {"css_files": "assets/lifelong/lifelong.css",
                    "js_files": "assets/lifelong/lifelong.js"}


def others_saw_files(plugin: object, config: MkDocsConfig) -> bool:
    """Whether another plugin's (or hook's) ``on_files`` ran before ``plugin``'s, and so may
    keep the ``File`` objects MkDocs found."""
    handlers = config.plugins.events["files"]  # highest priority first
    return bool(handlers) and getattr(handlers[0], "__self__", None) is not plugin


def readdress_entries(files: Files, entry_ids: Mapping[str, Any],
                      use_directory_urls: bool) -> None:
    """Entry files (``entry_ids``: source path -> anything with an ``id``) keep their
    Markdown file's address in MkDocs; give them the entry page's, for the plugins that kept
    them (they are replaced by ``EntrySource`` right after)."""
    scheme = UrlScheme(use_directory_urls)
    for file in files:
        entry = entry_ids.get(file.src_uri)
        if entry is not None and not hasattr(file, "entry_id"):  # not an EntrySource yet
            # Both are cached properties of File: setting them is what MkDocs' own
            # ``File(dest_uri=...)`` does.
            file.dest_uri = scheme.entry_dest(entry.id)
            file.url = scheme.entry_url(entry.id)


def check_redirects(config: MkDocsConfig, drafts: Iterable[Entry]) -> None:
    """Warn of mkdocs-redirects redirects to drafts' files: it would write them all the same,
    to a page that does not exist, where a missing file gets its warning. (A subset's
    catalogue has no drafts: an offline copy leaves out more than drafts, and says so.)"""
    unpublished = {entry.path for entry in drafts}
    for name, plugin in config.plugins.items():
        if not unpublished or type(plugin).__module__.partition(".")[0] != REDIRECTS_MODULE:
            continue
        for old, new in sorted((plugin.config.get("redirect_maps") or {}).items()):
            if str(new).partition("#")[0] in unpublished:
                log.warning(f"lifelong/catalogue: the '{name}' plugin's redirect from '{old}' "
                            f"leads nowhere: '{new}' is a draft, which is not published.")


def refuse_unsupported(config: MkDocsConfig) -> None:
    """A ``PluginError`` naming the first plugin the catalogue cannot work with, and what to
    use instead."""
    for name, plugin in config.plugins.items():
        module = type(plugin).__module__.partition(".")[0]
        if module == I18N_MODULE:
            raise PluginError(
                f"lifelong/catalogue: the '{name}' plugin (mkdocs-static-i18n) cannot build "
                "the catalogue: it expects a translated Markdown file per page and rebuilds "
                "the whole site once per language, but catalogue pages are drawn by lifelong "
                "from one file per entry (with its title_en). Remove it and set the "
                "catalogue's own `language` option (zh or en); for a second language, build "
                "a config that INHERITs mkdocs.yml with `language: en` (and theme.language: "
                "en) into its own site_dir.")
        if module == MINIFY_MODULE:
            _check_minify(name, plugin.config, config)


def _listed(options: Mapping[str, Any], key: str) -> list[str]:
    """A minify ``js_files`` or ``css_files`` option as a list (it may be one string)."""
    value = options.get(key) or []
    return [value] if isinstance(value, str) else [str(item) for item in value]


def _check_minify(name: str, options: Mapping[str, Any], config: MkDocsConfig) -> None:
    if options.get("cache_safe"):
        # cache_safe reads each file it names from docs_dir or theme.custom_dir (a crash
        # with a traceback where there is none): ours come from the package's theme folder.
        folders = [folder for folder in (config.docs_dir, config.theme.custom_dir) if folder]
        for key, path in sorted(CATALOGUE_ASSETS.items()):
            if path in _listed(options, key) and \
                    not any(os.path.isfile(os.path.join(folder, path)) for folder in folders):
                raise PluginError(
                    f"lifelong/catalogue: the '{name}' plugin (mkdocs-minify-plugin) with "
                    f"cache_safe reads {path} from docs_dir or theme.custom_dir, but the "
                    f"catalogue brings it from its package: leave it out of {key}, or turn "
                    "cache_safe off.")
    if not (options.get("minify_js") or options.get("cache_safe")):
        return  # minify leaves JavaScript files as they are, names included
    for pattern in _listed(options, "js_files"):
        hit = minified_script(pattern)
        if hit is not None:
            raise PluginError(
                f"lifelong/catalogue: the '{name}' plugin (mkdocs-minify-plugin) js_files "
                f"entry '{pattern}' takes in {hit}, which the catalogue "
                + ("writes after minify has run" if hit.startswith(SEARCH_FOLDER + "/")
                   else "loads by that name (minify renames what it minifies)")
                + ": leave it out. The catalogue's search files are compact already; list "
                "assets/lifelong/lifelong.js (and assets/lifelong/lifelong.css in css_files) "
                "by name instead of a pattern.")


def minified_script(pattern: str) -> str | None:
    """The first script of the catalogue's that a minify ``js_files`` entry takes in (minify
    reads ``a/b*c`` as the files matching ``*c`` in the site's folder ``a/b``), or None."""
    pattern = posixpath.normpath(pattern.lstrip("/"))
    if "*" not in pattern:
        if pattern in NAMED_SCRIPTS or pattern.startswith(SEARCH_FOLDER + "/"):
            return pattern
        return None
    head, tail = pattern.split("*", 1)
    folder = PurePosixPath(posixpath.normpath(head) if head.rstrip("/") else ".")
    if folder.parts[:1] == (SEARCH_FOLDER,):
        return f"{SEARCH_FOLDER}/"
    glob = PurePosixPath("*" + tail)
    for script in (*NAMED_SCRIPTS, f"{SEARCH_FOLDER}/lunr.js"):
        path = PurePosixPath(script)
        try:
            relative = path.relative_to(folder)
        except ValueError:
            continue
        if "**" in glob.parts or (len(relative.parts) == len(glob.parts)
                                  and relative.match(str(glob))):
            return script
    return None
