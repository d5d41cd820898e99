"""classes/permissions.py and the modules that ask it: no module of classes imports itself in a circle."""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def classes_import_graph() -> dict[str, set[str]]:
    """Each module of classes (migrations aside) and the modules of classes it imports, lazily or not."""
    modules = {}
    for path in (ROOT / "classes").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets |= {source, *(f"{source}.{alias.name}" for alias in node.names)}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def test_no_module_of_classes_imports_itself_in_a_circle():
    graph = classes_import_graph()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()] - seen:
                if target == goal:
                    return True
                seen.add(target)
                todo.append(target)
        return False

    assert "classes.models" in graph  # the walk found the modules
    assert [name for name in sorted(graph) if reaches(name, name)] == []
