"""classes/permissions.py: the one answer to "is this login an editor?" and "a teacher?"."""

import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.urls import reverse

from classes.permissions import is_editor, teacher_of
from tests.classes.factories import teacher_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def login(*, staff=True, superuser=False, active=True, manage_all_courses=False):
    user = UserFactory(is_staff=staff, is_superuser=superuser, is_active=active)
    if manage_all_courses:
        user.user_permissions.add(Permission.objects.get(codename="manage_all_courses"))
    return user


@pytest.mark.parametrize(
    ("who", "kwargs", "editor"),
    [
        ("a superuser", {"superuser": True}, True),
        ("staff who may manage every teacher's courses", {"manage_all_courses": True}, True),
        ("staff with no more than that", {}, False),
        # The question the two old homes disagreed on: staff status is part of the rule.
        ("a superuser whose staff tick was taken away", {"superuser": True, "staff": False}, False),
        (
            "a non-staff login that may manage every course",
            {"manage_all_courses": True, "staff": False},
            False,
        ),
        ("a superuser whose login was switched off", {"superuser": True, "active": False}, False),
    ],
)
def test_an_editor_is_active_staff_who_is_a_superuser_or_may_manage_every_course(who, kwargs, editor):
    assert is_editor(login(**kwargs)) is editor, who


def test_a_visitor_who_is_not_signed_in_is_neither_editor_nor_teacher():
    assert not is_editor(AnonymousUser())
    assert teacher_of(AnonymousUser()) is None


def test_a_teacher_is_active_staff_linked_to_a_teacher_profile():
    user, teacher = teacher_login("tess")
    assert teacher_of(user) == teacher
    assert not is_editor(user)


@pytest.mark.parametrize("change", ["is_staff", "is_active"])
def test_a_teacher_profile_on_a_login_without_staff_access_makes_no_teacher(change):
    user, _teacher = teacher_login("tess")
    setattr(user, change, False)
    user.save()
    assert teacher_of(user) is None


def test_an_editor_without_a_profile_is_no_teacher():
    assert teacher_of(login(superuser=True)) is None


def test_with_second_factors_required_a_superuser_without_staff_access_is_sent_to_sign_in_not_to_add_one(
    client, settings
):
    """The second-factor door and the admin ask the same question, so they agree on who is an editor."""
    settings.BACKCARE_REQUIRE_MFA_FOR_EDITORS = True
    client.force_login(login(superuser=True, staff=False))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_activate_totp")
    assert "login" in response["Location"]


# --- One home ------------------------------------------------------------------------


def python_modules():
    """The project's own modules: every top-level package but the tests, migrations aside."""
    for package in ROOT.iterdir():
        if package.name == "tests" or not (package / "__init__.py").exists():
            continue
        for path in package.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT), path.read_text()


def test_only_classes_permissions_says_who_is_an_editor_or_a_teacher():
    """The permission and the profile are read in permissions.py; the models only declare them."""
    readers = {
        str(relative)
        for relative, text in python_modules()
        if re.search(r"\bmanage_all_courses\b|\bteacher_profile\b|def is_editor\b", text)
    }
    assert readers == {"classes/permissions.py", "classes/models/courses.py", "classes/models/teachers.py"}


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
