"""Uploaded pictures: checked, re-encoded as WebP without metadata, served in several widths."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

import picture_pipeline
from exercises import pictures
from exercises.models import Exercise
from tests.exercises.test_admin import exercise_form
from tests.factories import CategoryFactory


def photo(fmt: str = "JPEG", size=(1600, 1000), *, exif_note: str = "", name: str = "photo.jpg", tail=b""):
    image = Image.new("RGB", size, (200, 180, 150))
    out = io.BytesIO()
    kwargs = {}
    if exif_note:
        exif = Image.Exif()
        exif[0x010E] = exif_note  # ImageDescription
        exif[0x8825] = {1: "N", 2: (52.0, 24.0, 54.0)}  # GPS
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue() + tail)


def test_a_jpeg_is_saved_as_webp_without_its_camera_metadata_or_location():
    upload = photo(exif_note="Taken at 12 Secret Street")
    assert b"Secret Street" in upload.read()
    cleaned = pictures.clean_upload(upload)
    data = cleaned.read()
    assert cleaned.name == "photo.webp"
    assert b"Secret Street" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        assert not image.getexif()
        assert image.size == (1440, 900)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_pictures_are_accepted(fmt):
    cleaned = pictures.clean_upload(photo(fmt, (300, 200), name=f"x.{fmt.lower()}"))
    with Image.open(cleaned) as image:
        assert image.format == "WEBP"
        assert image.size == (300, 200)


def test_a_gif_is_refused_with_the_formats_we_take():
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        pictures.clean_upload(photo("GIF", (20, 20), name="x.gif"))


def test_a_picture_over_the_pixel_limit_is_refused(settings):
    settings.EXERCISES_MAX_PICTURE_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="too large"):
        pictures.clean_upload(photo(size=(1200, 1000)))


def test_an_svg_upload_is_refused():
    svg = SimpleUploadedFile(
        "drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    with pytest.raises(ValidationError, match="SVG"):
        pictures.clean_upload(svg)


def test_a_jpeg_with_a_script_hidden_in_it_is_refused_as_a_polyglot():
    with pytest.raises(ValidationError, match="web page code"):
        pictures.clean_upload(photo(tail=b"<script>document.location='//evil.example.org'</script>"))


def test_anything_appended_to_a_picture_is_dropped_by_re_encoding():
    upload = photo("PNG", (100, 100), name="x.png", tail=b"PK\x03\x04hidden-archive")
    assert b"hidden-archive" not in pictures.clean_upload(upload).read()


def test_text_pretending_to_be_a_picture_is_refused():
    with pytest.raises(ValidationError, match="not a picture we can read"):
        pictures.clean_upload(SimpleUploadedFile("x.jpg", b"just some words, not a picture"))


@pytest.mark.django_db
def test_an_uploaded_picture_is_served_in_several_webp_widths_with_its_size(editor_client, client):
    category = CategoryFactory()
    data = exercise_form(category, image=photo(size=(2000, 1250)), image_alt="Lying on the back, knees bent.")
    response = editor_client.post(reverse("admin:exercises_exercise_add"), data)
    assert response.status_code == 302
    exercise = Exercise.objects.get()
    assert exercise.image.name.endswith(".webp")
    assert (exercise.image_width, exercise.image_height) == (1440, 900)
    page = client.get(exercise.get_absolute_url()).content.decode()
    for width in (480, 960):
        name = pictures.width_name(exercise.image.name, width)
        assert exercise.image.storage.exists(name)
        assert f"{exercise.image.storage.url(name)} {width}w" in page
    assert f"{exercise.image.url} 1440w" in page
    assert 'width="1440" height="900"' in page
    assert 'sizes="' in page


@pytest.mark.django_db
def test_the_admin_refuses_an_svg_upload_and_keeps_the_rest_of_the_form(editor_client):
    category = CategoryFactory()
    svg = SimpleUploadedFile("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    data = exercise_form(category, image=svg, image_alt="A drawing")
    response = editor_client.post(reverse("admin:exercises_exercise_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "SVG drawings cannot be uploaded" in page
    assert "Eases a stiff lower back." in page
    assert not Exercise.objects.exists()


@pytest.mark.django_db
def test_a_shipped_line_drawing_is_shown_with_its_description_and_size(client):
    from tests.factories import ExerciseFactory

    exercise = ExerciseFactory(drawing="lying-knees-bent.svg", image_alt="Lying on the back, knees bent.")
    page = client.get(exercise.get_absolute_url()).content.decode()
    assert 'src="/static/exercises/drawings/lying-knees-bent.svg"' in page
    assert 'alt="Lying on the back, knees bent."' in page
    assert 'width="640" height="400"' in page


def test_every_drawing_offered_to_editors_exists_and_is_plain_svg():
    names = [name for name, _ in pictures.drawing_choices()]
    assert "lying-knees-bent.svg" in names
    for name in names:
        text = (pictures.DRAWINGS_DIR / name).read_text()
        assert "<script" not in text
        assert "href" not in text
        assert "on" + "load" not in text


def test_a_file_over_the_byte_limit_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(picture_pipeline, "MAX_BYTES", 1000)
    with pytest.raises(ValidationError, match="too big"):
        pictures.clean_upload(photo("PNG", (100, 100), name="x.png", tail=b"\0" * 2000))


def test_a_picture_named_by_its_content_keeps_nothing_of_the_uploaded_name():
    cleaned = picture_pipeline.clean_upload(photo(name="home-address.pdf"), largest=480, name_by_content=True)
    assert cleaned.name.endswith(".webp")
    assert "home-address" not in cleaned.name
    with Image.open(cleaned) as image:
        assert image.width == 480
