"""The "Teachers" group: what a teacher's login may do in the admin.

The admin narrows these to the teacher's own courses and profile
(classes/admin.py). Venues are view-only: editors keep them accurate.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Teachers"
PERMISSIONS = {
    "course": ["view", "add", "change", "delete"],
    "session": ["view", "add", "change", "delete"],
    "teacher": ["view", "change"],
    "venue": ["view"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure ours exist now.
    app_config = apps.get_app_config("classes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.set(
        Permission.objects.using(schema_editor.connection.alias).filter(
            content_type__app_label="classes", codename__in=codenames
        )
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0001_add_courses_sessions_teachers_venues"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
