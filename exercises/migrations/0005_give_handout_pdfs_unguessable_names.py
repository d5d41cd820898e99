"""Existing handout PDFs get the unguessable names new builds get (exercises.handouts._store).

Built before, a PDF was stored as ``handouts/<slug>.pdf`` (``.cy.pdf`` in Welsh), a name
anyone can guess from the handout's title, drafts included. Each file is copied to a
name with 128 random bits and the old one deleted. Nothing to undo: the new names are
as good as the old ones to the code, so the reverse leaves them.
"""

import secrets

from django.db import migrations

# The base column first follows the English one: both named the same file.
COLUMNS = ["pdf_en_gb", "pdf_cy", "pdf"]


def unguessable(name: str) -> str:
    return f"{name.removesuffix('.pdf')}.{secrets.token_hex(16)}.pdf"


def rename_pdfs(apps, schema_editor):
    handout_model = apps.get_model("exercises", "Handout")
    for handout in handout_model.objects.all():
        renamed: dict[str, str] = {}
        for column in COLUMNS:
            file = getattr(handout, column)
            if not file or not file.name:
                continue
            if file.name not in renamed:
                storage = file.storage
                if not storage.exists(file.name):
                    continue
                with storage.open(file.name, "rb") as old:
                    renamed[file.name] = storage.save(unguessable(file.name), old)
                storage.delete(file.name)
            handout_model.objects.filter(pk=handout.pk).update(**{column: renamed[file.name]})


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0004_store_a_handout_pdf_per_language"),
    ]

    operations = [
        migrations.RunPython(rename_pdfs, migrations.RunPython.noop),
    ]
