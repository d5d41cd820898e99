"""Put every teacher photo saved before the picture pipeline through it (issue 19).

Until then a photo was served as uploaded: full size, with its EXIF (GPS
included), and under whatever name it came with (a GIF with HTML appended was
kept as ``me.pdf``). Each one is re-encoded as a WebP named after its content,
with its narrower copies; the original is deleted. A file the pipeline refuses
is removed (the teacher uploads a photo again). Nothing can be undone, so the
reverse does nothing.
"""

from django.db import migrations

from classes import photos


def reencode_teacher_photos(apps, schema_editor):
    Teacher = apps.get_model("classes", "Teacher")
    for teacher in Teacher.objects.exclude(photo="").exclude(photo__isnull=True).iterator():
        photos.reencode_stored(teacher)


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0008_store_teacher_photo_sizes"),
    ]

    operations = [
        migrations.RunPython(reencode_teacher_photos, migrations.RunPython.noop, elidable=True),
    ]
