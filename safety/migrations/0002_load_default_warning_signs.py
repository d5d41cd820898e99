"""The starting list of warning signs (the "red flags" for cauda equina syndrome and other
back emergencies). Editors extend it in the admin."""

from django.db import migrations

SIGNS = [
    ("numb saddle", "numbness in the saddle area"),
    ("feeling saddle", "numbness in the saddle area"),
    ("tingl saddle", "numbness in the saddle area"),
    ("numb bottom", "numbness around the bottom or genitals"),
    ("numb genital", "numbness around the bottom or genitals"),
    ("numb groin", "numbness around the bottom or genitals"),
    ("numb between legs", "numbness around the bottom or genitals"),
    ("lost feeling bottom", "numbness around the bottom or genitals"),
    ("lost feeling genital", "numbness around the bottom or genitals"),
    ("cant feel bottom", "numbness around the bottom or genitals"),
    ("pass urin", "trouble passing urine"),
    ("cant pee", "trouble passing urine"),
    ("cant wee", "trouble passing urine"),
    ("trouble pee", "trouble passing urine"),
    ("control bladder", "trouble controlling the bladder or bowels"),
    ("control bowel", "trouble controlling the bladder or bowels"),
    ("wet myself", "trouble controlling the bladder or bowels"),
    ("incontinen", "trouble controlling the bladder or bowels"),
    ("both legs weak", "weakness or numbness in both legs"),
    ("both legs numb", "weakness or numbness in both legs"),
    ("both legs tingl", "weakness or numbness in both legs"),
    ("legs gave way", "weakness or numbness in both legs"),
    ("legs giving way", "weakness or numbness in both legs"),
    ("back fever", "back pain with a fever"),
    ("back high temperature", "back pain with a fever"),
    ("after fall", "back pain after a fall or accident"),
    ("had fall", "back pain after a fall or accident"),
    ("fell down", "back pain after a fall or accident"),
    ("fell off", "back pain after a fall or accident"),
    ("car accident", "back pain after a fall or accident"),
    ("after accident", "back pain after a fall or accident"),
    ("unexplained weight", "unexplained weight loss"),
    ("weight without trying", "unexplained weight loss"),
]


def load(apps, schema_editor):
    WarningSign = apps.get_model("safety", "WarningSign")
    for words, meaning in SIGNS:
        WarningSign.objects.get_or_create(words=words, defaults={"meaning": meaning})


def unload(apps, schema_editor):
    apps.get_model("safety", "WarningSign").objects.filter(words__in=[words for words, _ in SIGNS]).delete()


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_add_warning_signs")]
    operations = [migrations.RunPython(load, unload)]
