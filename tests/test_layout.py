"""The package's rooms keep their boundaries: read from the source (ast), not by importing it.

- MkDocs is imported only in ``lifelong/mkdocs/`` (a move to another engine touches only it);
- processes, pickles and the collector (multiprocessing, os.fork, pickle, gc) only in
  ``lifelong/build/``, and in the search index, whose saved state is pickled;
- no import cycle between modules (imports a module runs when it is imported: not those
  under ``TYPE_CHECKING`` nor inside functions);
- every room says in its ``__init__`` what it takes, what it gives and what it may import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "lifelong"
ROOMS = ("catalogue", "site", "search", "offline", "build", "mkdocs", "cli", "sample",
         "interchange")
#: Modules outside build/ that may hold processes' or caches' tools, and why.
MAY_PICKLE = {"search/index.py": "the index's saved state between builds (pickle, gc pauses)"}
PROCESS_MODULES = {"multiprocessing", "pickle", "gc"}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def module_name(rel: str) -> str:
    name = "lifelong." + rel[:-3].replace("/", ".")
    return name.removesuffix(".__init__")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(tree: ast.Module, *, top_only: bool) -> Iterator[tuple[str, int]]:
    """(module imported, line); with ``top_only``, those run when the module is imported."""
    def visit(nodes: list[ast.stmt]) -> Iterator[tuple[str, int]]:
        for node in nodes:
            if isinstance(node, ast.Import):
                yield from ((alias.name, node.lineno) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module, node.lineno
                for alias in node.names:  # `from lifelong.build import cache`
                    yield f"{node.module}.{alias.name}", node.lineno
            elif isinstance(node, ast.If) and _is_type_checking(node):
                if not top_only:
                    yield from visit(node.body)
                yield from visit(node.orelse)
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                for block in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, block, []):
                        yield from visit(child.body if isinstance(child, ast.ExceptHandler)
                                         else [child])
            elif not top_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                    ast.ClassDef)):
                yield from visit(node.body)
    if top_only:
        yield from visit(tree.body)
    else:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                yield from ((alias.name, node.lineno) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module, node.lineno


def test_mkdocs_is_imported_only_in_its_room() -> None:
    found = [f"{rel}:{line}: {name}" for rel, tree in modules()
             for name, line in imports(tree, top_only=False)
             if name.split(".")[0] == "mkdocs" and not rel.startswith("mkdocs/")]
    assert found == []


def test_processes_pickles_and_the_collector_stay_in_the_build_room() -> None:
    found = []
    for rel, tree in modules():
        if rel.startswith("build/") or rel in MAY_PICKLE:
            continue
        found += [f"{rel}:{line}: {name}" for name, line in imports(tree, top_only=False)
                  if name.split(".")[0] in PROCESS_MODULES]
        found += [f"{rel}:{node.lineno}: os.fork" for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and node.attr == "fork"
                  and isinstance(node.value, ast.Name) and node.value.id == "os"]
    assert found == []


def test_no_module_imports_itself_round_a_cycle() -> None:
    names = {module_name(rel): tree for rel, tree in modules()}
    graph = {name: sorted({target for target, _line in imports(tree, top_only=True)
                           if target in names and target != name})
             for name, tree in names.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def walk(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in graph[name]:
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                walk(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert cycles == []


def test_every_room_says_what_it_does() -> None:
    for room in ROOMS:
        init = PACKAGE / room / "__init__.py"
        assert init.is_file(), room
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, room
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert loose == [], "modules outside any room"


def test_the_plugin_is_a_thin_adapter() -> None:
    """Each event is a line or two into the build (``SiteBuild``): short enough to read in
    a minute, and it reaches no process or cache itself."""
    plugin = PACKAGE / "mkdocs" / "plugin.py"
    assert len(plugin.read_text(encoding="utf-8").splitlines()) < 200
    tree = ast.parse(plugin.read_text(encoding="utf-8"))
    tree.body = [node for node in tree.body  # names for the type checker reach nothing
                 if not (isinstance(node, ast.If) and _is_type_checking(node))]
    reached = {name for name, _ in imports(tree, top_only=False)
               if name.startswith("lifelong.build")}
    assert reached == {"lifelong.build.site_build"}


def test_the_layout_test_finds_what_it_looks_for() -> None:
    """The walkers see a MkDocs import, a pickle and a cycle where there is one."""
    tree = ast.parse("import gc\nif TYPE_CHECKING:\n    import mkdocs\n"
                     "def f():\n    from mkdocs.config import load_config\n")
    assert {name for name, _ in imports(tree, top_only=False)} == \
        {"gc", "mkdocs", "mkdocs.config"}
    assert {name for name, _ in imports(tree, top_only=True)} == {"gc"}


def test_no_merge_conflict_marker_is_left_in_what_ships() -> None:
    # A stray '=======' line once swallowed the CSS rule after it without a word.
    markers = ("<<<<<<< ", ">>>>>>> ")
    found = []
    repo = PACKAGE.parent.parent
    for path in sorted(repo.glob("**/*")):
        top = path.relative_to(repo).parts[0]
        if path.suffix not in {".py", ".css", ".js", ".html", ".yml", ".md"} \
                or top.startswith(".") or top in {"node_modules", "site"} \
                or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith(markers) or line == "=======":
                found.append(f"{path}:{number}")
    assert not found
