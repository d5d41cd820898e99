"""AdminLanguage now belongs to ``accounts`` (its 0001 takes it over); its table and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("backcare", "0003_counted_limits_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AdminLanguage")],
            database_operations=[],
        ),
    ]
