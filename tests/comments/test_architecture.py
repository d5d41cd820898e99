"""How the comments app is put together: imports that run one way, and each job in one place.

Read from the source with ``ast``; a lazy import inside a function counts as an import.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "comments"


@cache
def modules() -> dict[str, tuple[ast.Module, bool]]:
    """Every module of the app (migrations aside) by dotted name below ``comments``, and whether it
    is a package."""
    found = {}
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = [part for part in path.relative_to(APP).with_suffix("").parts if part != "__init__"]
        found[".".join(parts)] = (ast.parse(path.read_text()), path.name == "__init__.py")
    return found


def imports_of(name: str) -> set[str]:
    """The modules of the app that ``name`` imports, anywhere in it."""
    tree, is_package = modules()[name]
    package = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("comments.") for alias in node.names}
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            stem = [*package[: len(package) - node.level + 1], *(node.module or "").split(".")]
        elif (node.module or "").split(".")[0] == "comments":
            stem = node.module.split(".")[1:]
        else:
            continue
        stem = [part for part in stem if part]
        for alias in node.names:
            module = ".".join([*stem, alias.name])
            found.add(module if module in modules() else ".".join(stem))
    return found & modules().keys() - {"", name}


def cycle_through(start: str) -> list[str]:
    """A chain of imports that leads from ``start`` back to it, or [] when there is none."""
    seen: set[str] = set()

    def chain_from(name: str) -> list[str]:
        for imported in sorted(imports_of(name)):
            if imported == start:
                return [name, start]
            if imported not in seen:
                seen.add(imported)
                if rest := chain_from(imported):
                    return [name, *rest]
        return []

    return chain_from(start)


def functions(module: str) -> dict[str, ast.FunctionDef]:
    tree, _is_package = modules()[module]
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def callers_of(name: str) -> set[str]:
    """Each ``module.function`` of the app whose body calls ``name`` (plain or as an attribute)."""
    found = set()
    for module in modules():
        for function_name, function in functions(module).items():
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    called = (
                        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                    )
                    if called == name:
                        found.add(f"{module}.{function_name}")
    return found


def test_no_module_of_comments_imports_its_way_back_to_itself():
    cycles = [" → ".join(chain) for module in sorted(modules()) if (chain := cycle_through(module))]
    assert cycles == []


def test_spam_talks_to_akismet_and_knows_nothing_of_the_lifecycle_or_the_form():
    imported_apps = {
        node.module.split(".")[0]
        for node in ast.walk(modules()["spam"][0])
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
    }
    assert imports_of("spam") == {"models", "targets"}
    assert "akismet_service" in imported_apps


def test_the_template_tags_read_the_readers_cookies_from_readers_not_from_the_views():
    assert "readers" in imports_of("templatetags.comments")
    assert "views" not in imports_of("templatetags.comments")


def test_there_is_one_function_called_check_comment():
    assert [module for module in modules() if "check_comment" in functions(module)] == ["tasks"]


def test_the_claim_is_taken_in_one_loop_and_by_the_single_recheck_task():
    assert callers_of("claim") == {"tasks._claimed", "tasks.recheck_comment"}


def test_the_lifecycle_enqueues_every_task_through_one_helper():
    called_on_tasks = {
        node.func.attr
        for node in ast.walk(modules()["lifecycle"][0])
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "tasks"
    }
    assert called_on_tasks == {"enqueue_on_commit"}


def test_no_module_of_comments_is_longer_than_four_hundred_lines():
    lengths = {
        str(path.relative_to(APP)): len(path.read_text().splitlines())
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {module: lines for module, lines in lengths.items() if lines > 400} == {}
