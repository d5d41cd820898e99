"""The dependency rules of DESIGN.md, read from the import statements of each app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = {
    "backcare",
    "accessible_admin",
    "akismet_service",
    "bilingual",
    "safety",
    "comments",
    "exercises",
    "classes",
    "picture_pipeline",
    "mailing",
    "pagecache",
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


@pytest.mark.parametrize(
    ("app", "may_use"),
    [
        ("comments", {"akismet_service", "safety", "mailing", "pagecache"}),
        ("akismet_service", set()),
        ("safety", set()),
        ("bilingual", set()),
        ("picture_pipeline", set()),
        ("mailing", set()),
        ("pagecache", set()),
    ],
)
def test_an_app_imports_only_the_apps_it_may_use(app, may_use):
    offending = {
        module: others - may_use for module, others in imported_apps(app).items() if others - may_use
    }
    assert offending == {}


def test_classes_uses_the_akismet_service_and_no_comments_module():
    imports = imported_apps("classes")
    assert not any("comments" in others for others in imports.values())
    assert any("akismet_service" in others for others in imports.values())


def test_the_content_apps_reach_the_languages_through_bilingual_not_the_project_package():
    for app in ("exercises", "classes"):
        assert not any("backcare" in others for others in imported_apps(app).values()), app
