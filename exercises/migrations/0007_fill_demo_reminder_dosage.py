"""The demo exercises' dosage as numbers, where a site already holds them (load_demo fills new ones).

Each row follows the exercise's own words, as exercises/demo/exercises.json does:
(times a day, days, minutes each time).
"""

from django.db import migrations

DOSAGE = {
    "knee-walking": (2, 2, 5),  # morning and night; a few minutes each time, for a couple of days
    "knees-to-chest": (2, 7, 2),  # once or twice a day; about two minutes
    "pelvic-tilts": (1, 7, 2),  # once a day; a minute or two
    "cat-and-cow": (1, 7, 3),  # once a day; two or three minutes
    "lying-knee-rolls": (2, 7, 2),  # once or twice a day; a couple of minutes
    "seated-neck-turns": (3, 7, 1),  # a few times a day; about a minute
}


def fill(apps, schema_editor):
    Exercise = apps.get_model("exercises", "Exercise")
    for slug, (times_a_day, days, minutes) in DOSAGE.items():
        Exercise.objects.filter(slug=slug).update(
            times_a_day=times_a_day, reminder_days=days, minutes=minutes
        )


def unfill(apps, schema_editor):
    """Back to the fields' defaults; the columns themselves go with the migration before."""
    Exercise = apps.get_model("exercises", "Exercise")
    Exercise.objects.filter(slug__in=DOSAGE).update(times_a_day=1, reminder_days=7, minutes=5)


class Migration(migrations.Migration):
    dependencies = [("exercises", "0006_add_reminder_dosage")]

    operations = [migrations.RunPython(fill, unfill)]
