"""The "Teachers" group: what a teacher's login may do in the admin.

The admin narrows these to the teacher's own courses and profile
(classes/admin.py). Venues are view-only: editors keep them accurate.

The data migration creates the group; ``load_demo`` calls the same function,
so a flushed development database gets it back.
"""

TEACHERS_GROUP = "Teachers"
TEACHER_PERMISSIONS = {
    "course": ["view", "add", "change", "delete"],
    "session": ["view", "add", "change", "delete"],
    "teacher": ["view", "change"],
    "venue": ["view"],
}


def teachers_group(*, group_model, permission_model, using: str = "default"):
    """Create or refresh the group. Takes the models so a migration can pass its historical ones."""
    group, _ = group_model.objects.using(using).get_or_create(name=TEACHERS_GROUP)
    codenames = [f"{action}_{model}" for model, actions in TEACHER_PERMISSIONS.items() for action in actions]
    group.permissions.set(
        permission_model.objects.using(using).filter(
            content_type__app_label="classes", codename__in=codenames
        )
    )
    return group
