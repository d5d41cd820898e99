"""Comment.spam_verdict takes the intake's ``Verdict`` choices: "" (not checked yet) becomes "pending".

Reversible: going back turns "pending" into "" again. The other values (ham,
spam, discard) are the same words before and after; "unknown" is never stored
on a comment.
"""

from django.db import migrations, models

OLD_PENDING, PENDING = "", "pending"


def pending_is_a_word(apps, schema_editor):
    apps.get_model("comments", "Comment").objects.filter(spam_verdict=OLD_PENDING).update(
        spam_verdict=PENDING
    )


def pending_is_empty_again(apps, schema_editor):
    apps.get_model("comments", "Comment").objects.filter(spam_verdict=PENDING).update(
        spam_verdict=OLD_PENDING
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_add_comment_language"),
    ]

    operations = [
        migrations.AlterField(
            model_name="comment",
            name="spam_verdict",
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
                verbose_name="Akismet verdict",
            ),
        ),
        migrations.RunPython(pending_is_a_word, pending_is_empty_again, elidable=False),
    ]
