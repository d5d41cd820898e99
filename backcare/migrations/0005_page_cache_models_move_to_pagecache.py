"""MissedPageInvalidation and CountedLimit now belong to ``pagecache`` (its 0001 takes them over);
their tables and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("backcare", "0004_admin_language_moves_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MissedPageInvalidation"),
                migrations.DeleteModel(name="CountedLimit"),
            ],
            database_operations=[],
        ),
    ]
