"""Create the "Teachers" group (classes/permissions.py says what it may do)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from classes.permissions import TEACHERS_GROUP, teachers_group


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure ours exist now.
    app_config = apps.get_app_config("classes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None

    teachers_group(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
        using=schema_editor.connection.alias,
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name=TEACHERS_GROUP
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0001_add_courses_sessions_teachers_venues"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
