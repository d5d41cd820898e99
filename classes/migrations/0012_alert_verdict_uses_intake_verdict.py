"""AlertSubscription.verdict takes the intake's ``Verdict`` choices (Enquiry's already were the same).

No data changes: the stored words (pending, ham, spam, unknown) are the same
before and after; the choices only gain "discard", which a sign-up never keeps
(spam is deleted). So this needs, and has, no data migration to reverse.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0011_add_welsh_cancellation_reason_and_organisation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alertsubscription",
            name="verdict",
            field=models.CharField(
                choices=[
                    ("pending", "Not checked yet"),
                    ("ham", "Not spam"),
                    ("spam", "Spam"),
                    ("discard", "Blatant spam"),
                    ("unknown", "Could not be checked"),
                ],
                default="pending",
                max_length=10,
                verbose_name="spam check",
            ),
        ),
    ]
