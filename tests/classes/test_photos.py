"""Teacher photos go through the picture pipeline: re-encoded, capped, named by us, in several widths."""

import importlib
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from PIL import Image

import picture_pipeline
from classes import photos
from classes.models import Teacher
from tests.classes.factories import TeacherFactory, teacher_login

pytestmark = pytest.mark.django_db

GPS = {1: "N", 2: (52.0, 24.0, 54.0), 3: "W", 4: (4.0, 5.0, 6.0)}


def jpeg_with_location(size=(1200, 900), note="Taken at 12 Secret Street") -> bytes:
    """A phone photo: EXIF with a description, a camera make and the place it was taken."""
    exif = Image.Exif()
    exif[0x010E] = note  # ImageDescription
    exif[0x010F] = "CameraMakerXYZ"  # Make
    exif[0x8825] = GPS  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 150)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def gif_with_html() -> bytes:
    out = io.BytesIO()
    Image.new("P", (40, 40)).save(out, "GIF")
    return out.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def alice(client):
    user, teacher = teacher_login("alice", name="Alice Teacher")
    client.force_login(user)
    client.teacher = teacher
    return client


def post_photo(client, teacher: Teacher, upload, **extra):
    data = {
        "name": teacher.name,
        "slug": teacher.slug,
        "bio_en_gb": "I teach slow, careful yoga for sore backs.",
        "email": teacher.email,
        "photo": upload,
        "photo_alt_en_gb": "Alice smiling in a yoga studio.",
        **extra,
    }
    return client.post(reverse("admin:classes_teacher_change", args=[teacher.pk]), data)


def stored_bytes(teacher: Teacher) -> bytes:
    teacher.refresh_from_db()
    with teacher.photo.open("rb") as stored:
        return stored.read()


def files_under(folder: str) -> list[str]:
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


@pytest.mark.parametrize("who", ["teacher", "editor"])
def test_a_teachers_photo_is_published_without_its_camera_details_or_where_it_was_taken(
    who, alice, editor_client
):
    client = alice if who == "teacher" else editor_client
    teacher = alice.teacher
    upload = SimpleUploadedFile("IMG_0042 at home.jpg", jpeg_with_location())
    assert post_photo(client, teacher, upload).status_code == 302
    data = stored_bytes(teacher)
    assert b"Secret Street" not in data
    assert b"CameraMakerXYZ" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
    assert teacher.photo.name.startswith("teachers/")
    assert teacher.photo.name.endswith(".webp")
    assert "IMG_0042" not in teacher.photo.name


def test_a_gif_with_a_web_page_appended_named_me_pdf_is_refused_and_the_form_keeps_the_rest(alice):
    teacher = alice.teacher
    response = post_photo(alice, teacher, SimpleUploadedFile("me.pdf", gif_with_html()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "web page code hidden in it" in page
    assert "I teach slow, careful yoga for sore backs." in page
    teacher.refresh_from_db()
    assert not teacher.photo
    assert files_under("teachers") == []


def test_a_picture_named_me_pdf_with_bytes_appended_is_stored_as_webp_without_them(alice):
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (10, 120, 200)).save(out, "PNG")
    upload = SimpleUploadedFile("me.pdf", out.getvalue() + b"PK\x03\x04hidden-archive")
    assert post_photo(alice, alice.teacher, upload).status_code == 302
    data = stored_bytes(alice.teacher)
    assert b"hidden-archive" not in data
    assert alice.teacher.photo.name.endswith(".webp")
    assert ".pdf" not in alice.teacher.photo.name
    assert [name for name in files_under("teachers") if name.endswith(".pdf")] == []


def test_text_that_is_not_a_picture_is_refused_in_welsh_in_the_welsh_admin(alice):
    alice.post(reverse("admin_language"), {"language": "cy"})
    response = post_photo(alice, alice.teacher, SimpleUploadedFile("me.jpg", b"just some words"))
    assert response.status_code == 200
    assert "Nid yw’r ffeil hon yn llun y gallwn ei ddarllen" in response.content.decode()


def test_a_huge_photo_is_stored_no_wider_than_the_page_needs(alice):
    upload = SimpleUploadedFile("big.jpg", jpeg_with_location(size=(4000, 3000)))
    assert post_photo(alice, alice.teacher, upload).status_code == 302
    teacher = alice.teacher
    teacher.refresh_from_db()
    assert (teacher.photo_width, teacher.photo_height) == (768, 576)
    with Image.open(io.BytesIO(stored_bytes(teacher))) as image:
        assert image.size == (768, 576)


def test_a_photo_over_the_pixel_limit_is_refused_before_it_is_decoded(alice, settings):
    settings.EXERCISES_MAX_PICTURE_PIXELS = 1_000_000
    response = post_photo(
        alice, alice.teacher, SimpleUploadedFile("big.jpg", jpeg_with_location((1200, 1000)))
    )
    assert response.status_code == 200
    assert "This picture is too large (1200 × 1000 pixels)" in response.content.decode()


def test_a_file_over_the_byte_limit_is_refused_and_the_form_keeps_the_rest(alice, monkeypatch):
    monkeypatch.setattr(picture_pipeline, "MAX_BYTES", 10_000)
    upload = SimpleUploadedFile("noisy.jpg", jpeg_with_location() + b"\0" * 20_000)
    response = post_photo(alice, alice.teacher, upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is too big" in page
    assert "I teach slow, careful yoga for sore backs." in page
    alice.teacher.refresh_from_db()
    assert not alice.teacher.photo


def test_the_teacher_page_offers_the_photo_in_several_widths_with_its_size_and_description(alice, client):
    upload = SimpleUploadedFile("alice.jpg", jpeg_with_location(size=(1600, 1200)))
    assert post_photo(alice, alice.teacher, upload).status_code == 302
    teacher = Teacher.objects.get(pk=alice.teacher.pk)
    alice.logout()
    page = client.get(teacher.get_absolute_url()).content.decode()
    for width in (256, 512):
        name = picture_pipeline.width_name(teacher.photo.name, width)
        assert default_storage.exists(name)
        assert f"{default_storage.url(name)} {width}w" in page
    assert f"{teacher.photo.url} 768w" in page
    assert 'sizes="16rem"' in page
    assert 'width="768" height="576"' in page
    assert 'alt="Alice smiling in a yoga studio."' in page


# --- The data migration for photos saved before the pipeline ----------------------------------


def reencode_migration():
    """The data migration, found by name (the lead may renumber it)."""
    [path] = Path(photos.__file__).parent.glob("migrations/*_reencode_teacher_photos.py")
    module = importlib.import_module(f"classes.migrations.{path.stem}")
    state = MigrationExecutor(connection).loader.project_state(("classes", path.stem))
    return module, state.apps


def test_the_migration_re_encodes_a_stored_photo_without_its_location_and_deletes_the_original():
    teacher = TeacherFactory(photo_alt="Bryn at the seaside.")
    teacher.photo.save("home.jpg", ContentFile(jpeg_with_location(size=(2000, 1500))))
    original = teacher.photo.name
    assert b"Secret Street" in stored_bytes(teacher)
    module, apps = reencode_migration()
    module.reencode_teacher_photos(apps, None)
    data = stored_bytes(teacher)
    assert b"Secret Street" not in data
    assert b"CameraMakerXYZ" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        assert not image.getexif()
    assert teacher.photo.name.endswith(".webp")
    assert (teacher.photo_width, teacher.photo_height) == (768, 576)
    assert not default_storage.exists(original)
    assert default_storage.exists(picture_pipeline.width_name(teacher.photo.name, 256))


def test_the_migration_removes_a_stored_gif_with_a_web_page_appended():
    teacher = TeacherFactory()
    teacher.photo.save("me.pdf", ContentFile(gif_with_html()))
    original = teacher.photo.name
    module, apps = reencode_migration()
    module.reencode_teacher_photos(apps, None)
    teacher.refresh_from_db()
    assert not teacher.photo
    assert not default_storage.exists(original)


def plain_jpeg(colour) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue())


def photo_and_copies(name: str) -> list[str]:
    return sorted(
        Path(stored).name for stored in [name, *(picture_pipeline.width_name(name, w) for w in (256, 512))]
    )


def test_a_replaced_or_removed_photo_and_its_copies_are_no_longer_served(alice, committed):
    teacher = alice.teacher
    with committed():
        assert post_photo(alice, teacher, plain_jpeg((10, 20, 30))).status_code == 302
    teacher.refresh_from_db()
    first = teacher.photo.name
    with committed():
        assert post_photo(alice, teacher, plain_jpeg((200, 100, 50))).status_code == 302
    teacher.refresh_from_db()
    assert teacher.photo.name != first
    assert sorted(files_under("teachers")) == photo_and_copies(teacher.photo.name)
    with committed():
        assert post_photo(alice, teacher, "", **{"photo-clear": "on"}).status_code == 302
    teacher.refresh_from_db()
    assert not teacher.photo
    assert files_under("teachers") == []
