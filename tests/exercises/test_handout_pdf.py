"""The PDF handouts: what a reader finds in them, how they are served, and that a draft's PDF
cannot be found."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from exercises import demo, handouts
from exercises.models import Handout, HandoutItem
from tests.exercises.handout_helpers import page_texts, pdf_of, pdf_of_bytes, text_of

pytestmark = pytest.mark.django_db


def test_the_demo_handout_has_each_exercise_with_its_dose_and_when_to_stop(demo_handout):
    text = " ".join(page_texts(pdf_of(demo_handout)))
    for title in ["Back care handout", "Knee walking", "Knees to chest", "Pelvic tilts", "Cat and cow"]:
        assert title in text
    assert "about 20 steps" in text
    assert "morning and night" in text
    assert "When to stop" in text
    assert "Stop if the movement causes pain rather than easing stiffness." in text
    assert "When to get help now" in text
    assert "NHS 111 Wales" in text


def test_every_page_is_a4_and_numbered_with_the_practices_details(demo_handout):
    reader = pdf_of(demo_handout)
    total = len(reader.pages)
    assert total == demo_handout.pdf_pages
    for number, (page, text) in enumerate(zip(reader.pages, page_texts(reader), strict=True), 1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"Page {number} of {total}" in text
        assert "hello@backcare.example.org" in text


def test_each_exercise_has_a_short_address_and_a_qr_code_that_opens_it(demo_handout):
    reader = pdf_of(demo_handout)
    text = " ".join(page_texts(reader))
    decoded = []
    for page in reader.pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data))
            decoded += [result.text for result in zxingcpp.read_barcodes(picture)]
    expected = [f"https://backcare.example.org/e/{slug}/" for slug in demo.HANDOUT["exercises"]]
    # pypdf lists an image once for each place it is drawn from; each code is one exercise.
    assert list(dict.fromkeys(decoded)) == expected
    assert "backcare.example.org /e/knee-walking/" in text


def test_the_short_address_leads_to_the_exercise(client):
    from tests.factories import ExerciseFactory

    exercise = ExerciseFactory(slug="knee-walking")
    response = client.get("/e/knee-walking/")
    assert response.status_code == 301
    assert response.url == exercise.get_absolute_url()


def test_the_handout_carries_the_drawings_of_the_positions(demo_handout):
    # The SVG drawings are drawn as vectors into the pages; each one has a mat of the
    # drawings' own warm colour (#f3ead7), which nothing else on the page uses.
    mat_fill = b"0.952941 0.917647 0.843137 rg"
    drawn = sum(page.get_contents().get_data().count(mat_fill) for page in pdf_of(demo_handout).pages)
    # Four starting positions and eight pictured steps.
    assert drawn == 12


def test_the_handout_is_served_at_its_stable_address_with_a_long_cache_and_an_etag(client, demo_handout):
    response = client.get(reverse("exercises:handout", args=["back-care-handout"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "max-age=604800" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert response["ETag"] == f'"{demo_handout.pdf_etag}"'
    again = client.get(
        reverse("exercises:handout", args=["back-care-handout"]), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    assert again.content == b""


def test_an_unpublished_handout_is_not_found(client, demo_handout):
    Handout.objects.update(is_published=False)
    assert client.get(reverse("exercises:handout", args=["back-care-handout"])).status_code == 404


def test_the_knee_walking_page_links_the_handout_with_its_real_size_and_pages(client, demo_handout):
    page = client.get(reverse("exercises:detail", args=["knee-walking"])).content.decode()
    assert demo_handout.get_absolute_url() in page
    english = demo_handout.built("en-gb")
    size = f"PDF, {english.pages} pages, {english.kilobytes} KB"
    assert size in page
    assert english.kilobytes == round(len(pdf_of_bytes(demo_handout)) / 1024)


def test_a_handout_whose_file_is_missing_says_so_rather_than_failing(client, demo_handout):
    demo_handout.pdf_en_gb.storage.delete(demo_handout.pdf_en_gb.name)
    response = client.get("/exercises/handouts/back-care-handout.pdf")
    assert response.status_code == 503
    assert "Use the print view instead" in response.content.decode()


def test_the_same_exercise_cannot_be_in_a_handout_twice(demo_handout):
    from django.core.exceptions import ValidationError

    item = demo_handout.items.first()
    with pytest.raises(ValidationError, match="already in the handout"):
        HandoutItem(handout=demo_handout, exercise=item.exercise, position=9).validate_constraints()


def test_a_draft_handouts_pdf_cannot_be_found_by_its_title(client, demo_handout):
    from django.conf import settings as django_settings

    draft = Handout.objects.create(title="Autumn plan (draft)", slug="autumn-plan-draft")
    HandoutItem.objects.create(handout=draft, exercise=demo_handout.items.first().exercise)
    handouts.build(draft)
    assert client.get("/exercises/handouts/autumn-plan-draft.pdf").status_code == 404
    for language in ("en-gb", "cy"):
        name = draft.built(language).file.name
        assert (django_settings.MEDIA_ROOT / name).exists()
        guessable = {"handouts/autumn-plan-draft.pdf", f"handouts/autumn-plan-draft.{language}.pdf"}
        assert name not in guessable
        assert len(name.rsplit(".", 2)[-2]) >= 32  # 128 random bits in the name
    assert not (django_settings.MEDIA_ROOT / "handouts" / "autumn-plan-draft.pdf").exists()


def test_nginx_never_serves_the_handout_folder_of_the_media():
    from pathlib import Path

    site = (Path(__file__).parents[2] / "deploy" / "nginx" / "backcare.conf").read_text()
    media = site[site.index("location /media/ {") :]
    assert "location ^~ /media/handouts/ { return 404; }" in media[: media.index("\n    }\n")]


def test_handout_pdfs_built_before_get_unguessable_names_too(demo_handout):
    import importlib

    from django.apps import apps
    from django.conf import settings as django_settings

    migration = importlib.import_module("exercises.migrations.0005_give_handout_pdfs_unguessable_names")
    old_names = {"pdf": "handouts/back-care-handout.pdf", "pdf_cy": "handouts/back-care-handout.cy.pdf"}
    for column, old in (("pdf_en_gb", old_names["pdf"]), ("pdf_cy", old_names["pdf_cy"])):
        stored = getattr(demo_handout, column)
        with stored.open("rb") as source:
            stored.storage.save(old, source)
    Handout.objects.filter(pk=demo_handout.pk).update(
        pdf=old_names["pdf"], pdf_en_gb=old_names["pdf"], pdf_cy=old_names["pdf_cy"]
    )
    migration.rename_pdfs(apps, None)
    handout = Handout.objects.get(pk=demo_handout.pk)
    assert not (django_settings.MEDIA_ROOT / old_names["pdf"]).exists()
    assert not (django_settings.MEDIA_ROOT / old_names["pdf_cy"]).exists()
    assert handout.pdf_en_gb.name == handout.pdf.name
    for name in (handout.pdf_en_gb.name, handout.pdf_cy.name):
        assert name not in old_names.values()
        assert len(name.rsplit(".", 2)[-2]) >= 32
        assert (django_settings.MEDIA_ROOT / name).exists()
    with handout.pdf_cy.open("rb") as welsh:
        assert "Taflen gofal cefn" in text_of(welsh.read())
