"""Who may do what with the classes: the one place that says who is an editor and who a teacher.

An *editor* is a member of staff who may manage every teacher's courses: a
superuser, or a login holding ``classes.manage_all_courses``. Staff status is
part of the rule because the role lives in the admin: a login that cannot open
the admin is nobody's editor, however its other ticks are set. Inside the admin
this changes nothing (Django lets in only active staff); outside it, the second
factor demanded of editors (``accounts/sign_in.py``) is asked of exactly the
logins the admin would treat as editors.

A *teacher* is a member of staff whose login is linked to a ``Teacher``
profile. The "Teachers" group gives such a login its model permissions
(below); the admin narrows them to the teacher's own courses, enquiries and
profile, and anything else is "not found" (``NotFoundForOthersMixin``).
Venues are view-only for teachers: editors keep them accurate.

The data migration creates the group; ``load_demo`` calls the same function,
so a flushed development database gets it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    from .models import Teacher

    # The mixin's base for mypy only (its super() is the ModelAdmin it is mixed into).
    _ModelAdmin = ModelAdmin[Any]
else:
    _ModelAdmin = object

TEACHERS_GROUP = "Teachers"
TEACHER_PERMISSIONS = {
    "course": ["view", "add", "change", "delete"],
    "session": ["view", "add", "change", "delete"],
    "teacher": ["view", "change"],
    "venue": ["view"],
}
MANAGE_ALL_COURSES = "classes.manage_all_courses"


def _is_active_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_editor(user: Any) -> bool:
    """An active member of staff who is a superuser or may manage every teacher's courses."""
    return _is_active_staff(user) and (user.is_superuser or user.has_perm(MANAGE_ALL_COURSES))


def teacher_of(user: Any) -> Teacher | None:
    """The teacher profile an active member of staff manages, or None."""
    if not _is_active_staff(user):
        return None
    return getattr(user, "teacher_profile", None)


class NotFoundForOthersMixin(_ModelAdmin):
    """Objects outside a login's queryset are "not found", not a redirect that confirms they exist."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Not found."))
        return obj


def teachers_group(*, group_model, permission_model, using: str = "default"):
    """Create or refresh the group. Takes the models so a migration can pass its historical ones."""
    group, _created = group_model.objects.using(using).get_or_create(name=TEACHERS_GROUP)
    codenames = [f"{action}_{model}" for model, actions in TEACHER_PERMISSIONS.items() for action in actions]
    group.permissions.set(
        permission_model.objects.using(using).filter(
            content_type__app_label="classes", codename__in=codenames
        )
    )
    return group
