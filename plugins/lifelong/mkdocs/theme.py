"""The catalogue's share of the theme: its templates, stylesheet and scripts, shipped inside
the package (``lifelong/theme/``), added to a Material site's configuration.

Input: MkDocs' validated config. Output: the same config with the package's theme folder in
the template search path, after the site's ``custom_dir`` (a site overrides any of our
templates there) and before Material's own folder (ours override Material's: ``main.html``,
the header, the footer), and with our stylesheet and script in ``extra_css`` and
``extra_javascript``; and the interface strings those templates print (``theme_strings``).
Imports MkDocs and the catalogue's strings (``lifelong.site.i18n``).

MkDocs itself publishes the static files of every folder in the template search path
(``Files.add_files_from_theme``, before ``on_files``): ``assets/lifelong/`` reaches the site
as it did from a ``custom_dir``, ``search.js`` (which ``lifelong.js`` loads when a search
starts) with it. lunr.js is copied from the installed MkDocs by the build
(``lifelong.build.jobs``).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from lifelong.build.scripts import minified, published_script
from lifelong.site.i18n import translate

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files

#: The package's theme folder (package data: lifelong.html, lifelong/*.html, main.html,
#: partials/, assets/lifelong/).
THEME_DIR = Path(__file__).resolve().parents[1] / "theme"
STYLESHEET = "assets/lifelong/lifelong.css"
SCRIPT = "assets/lifelong/lifelong.js"
#: Interface strings (``lifelong.site.i18n`` keys) of the pages MkDocs draws with our
#: templates: the 404 page (``404.html``); the header's display modes and the footer's link to
#: 我的学习, on every page.
THEME_STRINGS = ("not_found_title", "not_found_text", "not_found_search", "search_button",
                 "search_placeholder", "back_home", "display_modes", "care_mode",
                 "high_contrast", "code_box", "code_hint", "code_open", "code_not_found",
                 "code_bad",
                 "mine")  # the footer's link to 我的学习


def require_material(config: MkDocsConfig) -> None:
    """Refuse any theme but Material: the catalogue's templates extend Material's."""
    name = config.theme.name
    if name != "material":
        shown = f"'{name}'" if name else "none (only a custom_dir)"
        raise PluginError(
            f"lifelong/catalogue needs `theme: material` (Material for MkDocs); the theme of "
            f"this site is {shown}. In mkdocs.yml write:\n  theme:\n    name: material")


def add_catalogue_theme(config: MkDocsConfig) -> None:
    """Put the package's templates, stylesheet and script into ``config`` (once)."""
    require_material(config)
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    # First: the site's own stylesheets come later and win over ours.
    _insert_once(config.extra_css, STYLESHEET)
    _insert_once(config.extra_javascript, SCRIPT)


def theme_strings(lang: str) -> dict[str, str]:
    """The theme's interface strings in ``lang``, for ``config.extra.lifelong.t``: MkDocs
    draws those pages, so our strings reach its templates through the config."""
    return {key: translate(key, lang) for key in THEME_STRINGS}


def minify_own_scripts(files: Files, cache_dir: Path | None) -> None:
    """The package's scripts (``assets/lifelong/*.js``) reach the site minified: MkDocs
    copies them from the build's cache (``cache_dir/scripts``), or writes them each build
    without one. A site's own override in ``custom_dir`` is published as it is."""
    own = THEME_DIR / "assets" / "lifelong"
    for file in files:
        # The address first: asking tens of thousands of entry files their source path
        # costs a quarter of a second.
        if not (file.src_uri.startswith("assets/lifelong/") and file.src_uri.endswith(".js")):
            continue
        source = file.abs_src_path
        if source is None or Path(source).parent != own:
            continue
        if cache_dir is None:
            file.content_string = minified(Path(source).read_text(encoding="utf-8"))
        else:
            file.abs_src_path = str(published_script(Path(source), cache_dir / "scripts"))


def _insert_once(items: list[Any], path: str) -> None:
    """``path`` first in ``items``, unless the site lists it already (as it likes)."""
    if not any(posixpath.normpath(str(item)).lstrip("/") == path for item in items):
        items.insert(0, path)


def watch_rules_and_theme(server: LiveReloadServer, config: MkDocsConfig,
                          catalogue_dir: str) -> None:
    """``mkdocs serve`` rebuilds on a save in the catalogue's rules and our templates too, as
    on one in docs_dir (`lifelong serve` names the rules in config.watch already)."""
    rules = Path(config.config_file_path or ".").parent / catalogue_dir
    watched = {os.path.abspath(path) for path in config.watch}
    for folder in map(os.path.abspath, (rules, THEME_DIR)):
        if os.path.isdir(folder) and folder not in watched:
            server.watch(folder)
