"""The dependency rules of DESIGN.md, read from the import statements of every package of ours.

Every import counts, wherever it stands: a lazy import inside a function to dodge
a cycle is still a dependency (STYLE.md). Migrations and tests are left out.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.template import engines

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests"}
OUR_APPS = {path.parent.name for path in ROOT.glob("*/__init__.py")} - NOT_APPS

# Which apps of ours each app may import (DESIGN.md, "Shape"). `backcare` wires
# everything and may import any app. Every package of ours needs a line here.
MAY_IMPORT: dict[str, set[str]] = {
    "accessible_admin": set(),
    "akismet_service": set(),
    "bilingual": set(),
    "mailing": set(),
    "picture_pipeline": set(),
    "safety": set(),
    "pagecache": set(),  # Planned by DESIGN.md; a branch of issue 20 adds it.
    # Sign-in (accounts/) and running the site (operations/): `backcare` wires them in, never the
    # other way round. Editors (classes.permissions) are who must add a second factor.
    "accounts": {"akismet_service", "bilingual", "classes"},
    # /healthz reports the spam check, the page cache and comments waiting for a verdict.
    "operations": {"akismet_service", "bilingual", "comments", "pagecache"},
    "comments": {"akismet_service", "safety", "mailing", "pagecache"},
    "classes": {
        "accessible_admin",
        "akismet_service",
        "bilingual",
        "mailing",
        "pagecache",
        "picture_pipeline",
        "safety",
    },
    "exercises": {
        "accessible_admin",
        "akismet_service",
        "bilingual",
        "comments",
        "pagecache",
        "picture_pipeline",
        "safety",
    },
}


def imported_apps(app: str) -> dict[str, set[str]]:
    """For each module of ``app`` (migrations aside), the other apps of ours it imports."""
    found = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        if others := (names & OUR_APPS) - {app}:
            found[str(path.relative_to(ROOT))] = others
    return found


def our_modules(root: Path, apps: set[str]) -> dict[str, Path]:
    """Every module of ``apps`` by dotted name (a package by its ``__init__``), migrations aside."""
    modules = {}
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_graph(root: Path = ROOT, apps: set[str] = OUR_APPS) -> dict[str, set[str]]:
    """For each module of ``apps``, the modules of ``apps`` it imports.

    ``from a.b import c`` points at ``a.b.c`` when that is a module, else at ``a.b``;
    relative imports are resolved against the importing module's package.
    """
    modules = our_modules(root, apps)

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {ours(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join([*base, node.module] if node.module else base)
                else:
                    source = node.module or ""
                targets |= {ours(f"{source}.{alias.name}") for alias in node.names}
        graph[module] = {target for target in targets if target} - {module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan's SCCs)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(group)

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_it_may_use(app):
    may_use = MAY_IMPORT[app]
    offending = {
        module: others - may_use for module, others in imported_apps(app).items() if others - may_use
    }
    assert offending == {}


def test_every_package_of_ours_has_a_line_saying_which_apps_it_may_import():
    assert OUR_APPS - {"backcare"} - set(MAY_IMPORT) == set()


def test_classes_uses_the_akismet_service_and_no_comments_module():
    imports = imported_apps("classes")
    assert not any("comments" in others for others in imports.values())
    assert any("akismet_service" in others for others in imports.values())


def test_the_content_apps_reach_the_languages_through_bilingual_not_the_project_package():
    for app in ("exercises", "classes"):
        assert not any("backcare" in others for others in imported_apps(app).values()), app


def test_the_import_graph_sees_lazy_relative_and_from_package_imports(tmp_path):
    files = {
        "shop/__init__.py": "",
        "shop/tasks.py": "def run():\n    from .orders import place\n",
        "shop/orders.py": "from shop import tasks\nimport django.db\n",
        "shop/billing/__init__.py": "from ..orders import place\n",
        "shop/billing/invoices.py": "from . import rules\nfrom shop.billing import tasks_of\n",
        "shop/billing/rules.py": "",
        "shop/migrations/0001_initial.py": "from shop import orders\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert import_graph(tmp_path, {"shop"}) == {
        "shop": set(),
        "shop.tasks": {"shop.orders"},
        "shop.orders": {"shop.tasks"},
        "shop.billing": {"shop.orders"},
        "shop.billing.invoices": {"shop.billing.rules", "shop.billing"},
        "shop.billing.rules": set(),
    }


def test_no_module_imports_itself_round_a_loop():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_loop_of_three_and_a_pair():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"f"}, "f": {"e"}}
    assert sorted(map(sorted, cycles(graph))) == [["a", "b", "c"], ["e", "f"]]


LOAD = re.compile(r"{%-?\s*load\s+(.*?)\s*-?%}")


def template_loads() -> Iterator[tuple[str, str]]:
    """(template, library) for each library a ``{% load %}`` of our templates names."""
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in sorted(OUR_APPS))]
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if not path.is_file() or path.suffix not in {".html", ".txt", ".xml"}:
                continue
            for names in LOAD.findall(path.read_text()):
                words = names.split()
                # {% load name other from library %} loads from `library` only.
                libraries = words[-1:] if "from" in words else words
                for library in libraries:
                    yield str(path.relative_to(ROOT)), library


def test_our_templates_load_only_template_libraries_that_exist():
    libraries = engines["django"].engine.template_libraries
    loads = list(template_loads())
    assert loads, "no {% load %} found: the template folders moved?"
    assert [(template, library) for template, library in loads if library not in libraries] == []
