"""`lifelong init`: a new catalogue project that passes `lifelong check` and builds as it is.

Input: a folder, empty unless forced; the project's files as they are written
(``lifelong/starter/``, package data: mkdocs.yml with Material and the catalogue plugin and
nothing else, a home page, an about page, one entry of each kind with a cover, a README.md
and a .gitignore); and the default rules shipped in the package (``lifelong.rules``: the
build maps the repository's catalogue/ folder into the package, so there is one copy of
them). Output: the project, with the rules in catalogue/ less their featured picks (those
name the sample's entries). Imports no MkDocs.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


class InitError(Exception):
    """Why the project cannot be written; shown as is."""


def default_rules() -> Traversable:
    """The rules folder shipped with the package (fields.yml, sections.yml, vocabularies/)."""
    try:
        return importlib.resources.files("lifelong.rules")
    except ModuleNotFoundError:
        # An editable install of a source tree: setuptools' editable finder imports a mapped
        # folder only when it holds an __init__.py, which catalogue/ (the editors' data) has
        # not. The package then runs from the tree, whose rules are catalogue/ beside it.
        return Path(__file__).resolve().parents[3] / "catalogue"


def rule_files() -> dict[str, str]:
    """Every file of the default rules (path in catalogue/ -> text), featured picks emptied."""
    found: dict[str, str] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda item: item.name):
            if item.is_dir() and not item.name.startswith(("_", ".")):
                walk(item, f"{prefix}{item.name}/")
            elif item.is_file() and item.name.endswith(".yml"):
                found[prefix + item.name] = item.read_text(encoding="utf-8")

    walk(default_rules(), "")
    if "sections.yml" in found:
        found["sections.yml"] = re.sub(r"(?m)^(\s*featured:)[ \t]*\[[^\]\n]*\]",
                                       r"\1 []", found["sections.yml"])
    return found


def starter_files() -> dict[str, str]:
    """The project's own files (path in the project -> text): ``lifelong/starter/``."""
    found: dict[str, str] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda item: item.name):
            if item.is_dir() and item.name != "__pycache__":
                walk(item, f"{prefix}{item.name}/")
            elif item.is_file():
                found[prefix + item.name] = item.read_text(encoding="utf-8")

    walk(importlib.resources.files("lifelong") / "starter", "")
    # Kept without its dot in the package (setuptools' package data leaves dotfiles out).
    found[".gitignore"] = found.pop("gitignore")
    return found


def write_project(folder: Path, *, force: bool = False) -> list[Path]:
    """Write a new project into ``folder``; return the files written, sorted."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file; choose a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InitError(f"{folder} is not empty; choose a new or empty folder, or pass --force "
                        "(the new project's files are then written over, others kept)")
    files = {f"catalogue/{name}": text for name, text in rule_files().items()}
    files.update(starter_files())
    written = []
    for name in sorted(files):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[name], encoding="utf-8", newline="\n")
        written.append(path)
    return written
