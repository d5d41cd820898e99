"""AdminLanguage, taken over from ``backcare`` with its table (``backcare_adminlanguage``) and rows:
only Django's record of which app owns the model changes, the database does not."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("backcare", "0004_admin_language_moves_to_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AdminLanguage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("language", models.CharField(max_length=10, verbose_name="language of the admin")),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="admin_language",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="login",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "admin language",
                        "verbose_name_plural": "admin languages",
                        "db_table": "backcare_adminlanguage",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
