"""Search documents for ranked full-text search (exercises.search), and what each database needs.

PostgreSQL: the ``unaccent`` and ``pg_trgm`` extensions (both trusted: the database's
owner may create them). SQLite: FTS5 tables over the documents (English with the
``porter`` stemmer, Welsh without, and the words as written with an ``fts5vocab`` table
that lists them once each), kept in step with them by triggers; PostgreSQL: a GIN
index on each language's stored vector, and a trigram index on the words. Each part runs
only on its own database.
Then a document for every exercise already there.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

TABLE = "exercises_searchdocument"
FTS_TABLES = {
    "exercises_search_en": (("en_a", "en_b", "en_c"), "porter unicode61 remove_diacritics 2"),
    "exercises_search_cy": (("cy_a", "cy_b", "cy_c"), "unicode61 remove_diacritics 2"),
    # Every word as written, for "did you mean": its distinct words are read through VOCABULARY.
    "exercises_search_words": (("words",), "unicode61 remove_diacritics 2"),
}
VOCABULARY = "exercises_search_vocabulary"
# PostgreSQL: the weighted vectors, each with a GIN index.
VECTORS = ("en_vector", "cy_vector")
# PostgreSQL: every word once, with a trigram index, for "did you mean".
WORDS = "exercises_searchword"


def fts_sql() -> list[str]:
    """The FTS5 tables (external content: the documents' table) and the triggers that keep them.
    Made of the constants above only, so the f-strings carry no outside input."""
    statements = []
    for name, (columns, tokenizer) in FTS_TABLES.items():
        listed = ", ".join(columns)
        new = ", ".join(f"new.{column}" for column in columns)
        old = ", ".join(f"old.{column}" for column in columns)
        insert = f"INSERT INTO {name}(rowid, {listed}) VALUES (new.id, {new});"  # noqa: S608 (constants only)
        remove = f"INSERT INTO {name}({name}, rowid, {listed}) VALUES ('delete', old.id, {old});"  # noqa: S608 (constants only)
        statements += [
            f"CREATE VIRTUAL TABLE {name} USING fts5({listed}, content='{TABLE}', content_rowid='id', tokenize='{tokenizer}')",
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {TABLE} BEGIN {insert} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {TABLE} BEGIN {remove} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {TABLE} BEGIN {remove} {insert} END",
        ]
    statements.append(f"CREATE VIRTUAL TABLE {VOCABULARY} USING fts5vocab('exercises_search_words', 'row')")
    return statements


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in fts_sql():
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        for column in VECTORS:
            schema_editor.execute(f"CREATE INDEX {TABLE}_{column} ON {TABLE} USING gin ({column})")
        schema_editor.execute(f"CREATE INDEX {WORDS}_trigrams ON {WORDS} USING gin (word gin_trgm_ops)")


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in VECTORS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_{column}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {WORDS}_trigrams")
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {VOCABULARY}")
        for name in FTS_TABLES:
            for suffix in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {name}")


def fill_documents(apps, schema_editor):
    from exercises.search import document_fields, write_vectors

    exercise_model = apps.get_model("exercises", "Exercise")
    step_model = apps.get_model("exercises", "Step")
    document_model = apps.get_model("exercises", "SearchDocument")
    for exercise in exercise_model.objects.select_related("category"):
        steps = list(step_model.objects.filter(exercise=exercise).order_by("position", "pk"))
        document_model.objects.update_or_create(
            exercise=exercise, defaults=document_fields(exercise, steps, exercise.category)
        )
    write_vectors(document_model.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0007_fill_demo_reminder_dosage"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("en_a", models.TextField(blank=True)),
                ("en_b", models.TextField(blank=True)),
                ("en_c", models.TextField(blank=True)),
                ("cy_a", models.TextField(blank=True)),
                ("cy_b", models.TextField(blank=True)),
                ("cy_c", models.TextField(blank=True)),
                ("words", models.TextField(blank=True)),
                ("en_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("cy_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                (
                    "exercise",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_document",
                        to="exercises.exercise",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.TextField(unique=True)),
            ],
        ),
        migrations.RunPython(create_fts, drop_fts),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
    ]
