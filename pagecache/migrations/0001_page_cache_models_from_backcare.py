"""MissedPageInvalidation and CountedLimit, taken over from ``backcare`` with their tables
(``backcare_missedpageinvalidation``, ``backcare_counted_limits``) and rows: only Django's record
of which app owns them changes, the database does not. The dependency on backcare's migrations is
the one reference to it left in pagecache: the tables must exist before this app owns them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("backcare", "0005_page_cache_models_move_to_pagecache"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MissedPageInvalidation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="missed at")),
                    ],
                    options={
                        "verbose_name": "missed page-cache invalidation",
                        "verbose_name_plural": "missed page-cache invalidations",
                        "db_table": "backcare_missedpageinvalidation",
                    },
                ),
                migrations.CreateModel(
                    name="CountedLimit",
                    fields=[
                        ("cache_key", models.CharField(max_length=255, primary_key=True, serialize=False)),
                        ("value", models.TextField()),
                        ("expires", models.DateTimeField(db_index=True)),
                    ],
                    options={
                        "db_table": "backcare_counted_limits",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
