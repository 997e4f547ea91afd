"""The apps' imports form a tree: `kaikukeskus` (the core) imports no app, `localities` imports only the core, and
the other apps import the core and `localities`. A sideways import between those other apps is allowed only where
it is listed below with its reason; and no two modules of one app import each other, directly or round a loop.

Read from the source with `ast` (imports inside functions count too), so that a new edge fails here before it
becomes a habit."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = "kaikukeskus"
BASE = "localities"
DOMAIN = ("networks", "stats", "materials", "trainings", "communications", "support", "cooperation")
APPS = (CORE, BASE, *DOMAIN)

# The composition root wires the apps together (as INSTALLED_APPS does by name): it may import any of them.
COMPOSITION_ROOT = {"kaikukeskus.urls", "kaikukeskus.settings"}

# Sideways edges between the domain apps that exist and are meant: (importer, imported) -> why.
ALLOWED_SIDEWAYS = {
    ("stats", "networks"): "a report counts a locality's partners by sector and names the partners it describes",
}

# Loops within an app that are meant: a service hands work to its own Celery task (imported inside the function
# that enqueues it), and the task module, the worker's entry point, calls the service back. Nothing else.
ENQUEUES_ITS_TASK = {
    ("kaikukeskus.jobs", "kaikukeskus.tasks"),
    ("kaikukeskus.mail", "kaikukeskus.tasks"),
    ("communications.services", "communications.tasks"),  # a sent newsletter's batches
}


def allowed(importer: str, imported: str) -> bool:
    if importer == imported:
        return True
    if importer == CORE:
        return False
    if importer == BASE:
        return imported == CORE
    return imported in (CORE, BASE) or (importer, imported) in ALLOWED_SIDEWAYS


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the apps that `path` imports: `from a.b import c` is `a.b.c` when that is a module."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                targets.add(name if name in known else node.module)
    return {name for name in targets if name.split(".")[0] in APPS}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) for name, path in known.items()}


def test_apps_import_along_the_tree(graph):
    wrong = sorted(
        f"{importer} imports {target}"
        for importer, targets in graph.items()
        if importer not in COMPOSITION_ROOT
        for target in targets
        if not allowed(importer.split(".")[0], target.split(".")[0])
    )
    assert not wrong, "imports against the tree kaikukeskus <- localities <- the others:\n" + "\n".join(wrong)


def test_allowed_sideways_edges_are_still_used(graph):
    """An allowed edge that nothing uses any more is taken off the list, so that the list stays the truth."""
    used = {(importer.split(".")[0], target.split(".")[0]) for importer, targets in graph.items() for target in targets}
    assert set(ALLOWED_SIDEWAYS) <= used
    assert all(target in graph[importer] for importer, target in ENQUEUES_ITS_TASK)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import loops between modules of one app (a package and its own modules excepted: importing a module
    runs its package's `__init__` first, which is not a loop of the design)."""
    edges = {
        name: {
            target
            for target in targets
            if target.split(".")[0] == name.split(".")[0]
            and target in graph
            and not name.startswith(target + ".")
            and target != name
            and (name, target) not in ENQUEUES_ITS_TASK
        }
        for name, targets in graph.items()
    }
    found, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            found.append([*path[path.index(name) :], name])
            return
        if name in done:
            return
        for target in sorted(edges[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])
    return found


def test_no_import_cycle_within_an_app(graph):
    loops = cycles(graph)
    assert not loops, "import cycles:\n" + "\n".join(" -> ".join(loop) for loop in loops)


def test_the_check_sees_a_cycle_and_an_upward_import():
    assert cycles({"a.x": {"a.y"}, "a.y": {"a.x"}}) == [["a.x", "a.y", "a.x"]]
    assert not allowed("kaikukeskus", "localities")
    assert not allowed("localities", "networks")
    assert not allowed("materials", "trainings")
    assert allowed("stats", "networks")
