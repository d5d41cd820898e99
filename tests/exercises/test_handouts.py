"""The PDF handouts: what a reader finds in them, and how they are built and served."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from exercises import demo, handouts, tasks
from exercises.models import Handout, HandoutItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_handout(settings):
    settings.SITE_URL = "https://backcare.example.org"
    demo.load()
    handout = Handout.objects.get(slug="back-care-handout")
    return handouts.build(handout)


def pdf_of(handout: Handout) -> PdfReader:
    with handout.pdf.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


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


def pdf_of_bytes(handout: Handout) -> bytes:
    with handout.pdf.open("rb") as stored:
        return stored.read()


def test_changing_an_exercise_in_the_admin_rebuilds_its_handouts(
    editor_client, demo_handout, django_capture_on_commit_callbacks
):
    from tests.exercises.test_admin import exercise_form

    exercise = demo_handout.items.get(position=1).exercise
    steps = list(exercise.steps.all())
    step_fields = {}
    for n, step in enumerate(steps):
        step_fields |= {
            f"steps-{n}-id": str(step.pk),
            f"steps-{n}-exercise": str(exercise.pk),
            f"steps-{n}-position": str(step.position),
            f"steps-{n}-text": step.text,
            f"steps-{n}-drawing": step.drawing,
            f"steps-{n}-image_alt": step.image_alt,
        }
    data = exercise_form(
        exercise.category,
        title=exercise.title,
        slug=exercise.slug,
        repetitions="about 30 steps",
        **{"steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps))},
        **step_fields,
    )
    before = demo_handout.pdf_etag
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:exercises_exercise_change", args=[exercise.pk]), data)
    assert response.status_code == 302
    demo_handout.refresh_from_db()
    assert demo_handout.pdf_etag != before
    assert "about 30 steps" in " ".join(page_texts(pdf_of(demo_handout)))


def test_an_editor_composes_a_handout_in_the_admin_and_its_pdf_is_built(
    editor_client, django_capture_on_commit_callbacks
):
    from tests.factories import ExerciseFactory

    first, second = ExerciseFactory(title="Knee walking"), ExerciseFactory(title="Pelvic tilts")
    data = {
        "title": "Morning back routine",
        "slug": "morning",
        "intro": "Two small movements.",
        "closing_note": "See you in class.",
        "is_published": "on",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-position": "2",
        "items-0-exercise": str(first.pk),
        "items-1-position": "1",
        "items-1-exercise": str(second.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:exercises_handout_add"), data)
    assert response.status_code == 302
    handout = Handout.objects.get(slug="morning")
    text = " ".join(page_texts(pdf_of(handout)))
    assert text.index("Pelvic tilts") < text.index("Knee walking")
    assert "Two small movements." in text
    assert "See you in class." in text
    assert handout.pdf_pages == 1
    # Built in Welsh too: the Welsh catalogue's words around the English the editor has written so far.
    welsh = " ".join(page_texts(pdf_in(handout, "cy")))
    assert "Two small movements." in welsh
    assert "Tudalen 1 o 1" in welsh


def test_a_build_that_fails_keeps_the_last_pdf_and_records_why(demo_handout, monkeypatch):
    from exercises.tasks import build_handout

    def broken(*args, **kwargs):
        raise OSError("fonts missing")

    monkeypatch.setattr(handouts, "render_pdf", broken)
    before = demo_handout.pdf.name
    build_handout.call(demo_handout.pk)
    demo_handout.refresh_from_db()
    assert demo_handout.pdf.name == before
    assert "fonts missing" in demo_handout.build_error


def test_a_handout_rebuilt_while_welsh_is_active_is_still_the_english_handout(demo_handout):
    # As when an editor whose admin is in Welsh saves an exercise and the build runs at once.
    with translation.override("cy"):
        handouts.build(demo_handout)
    text = " ".join(page_texts(pdf_of(demo_handout)))
    assert "Page 1 of" in text
    assert "When to stop" in text
    welsh = " ".join(page_texts(pdf_in(demo_handout, "cy")))
    assert "Tudalen 1 o" in welsh
    assert "Pryd i stopio" in welsh


def pdf_in(handout: Handout, language: str) -> PdfReader:
    with handout.built(language).file.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(PdfReader(io.BytesIO(pdf))))


def test_the_welsh_address_serves_the_welsh_handout_and_the_english_address_the_english(client, demo_handout):
    english = client.get("/exercises/handouts/back-care-handout.pdf")
    welsh = client.get("/cy/exercises/handouts/back-care-handout.pdf")
    assert english.status_code == welsh.status_code == 200
    assert (english["Content-Language"], welsh["Content-Language"]) == ("en-GB", "cy")
    assert english["ETag"] != welsh["ETag"]
    english_text, welsh_text = text_of(english.content), text_of(welsh.content)
    # The handout's own Welsh text, the exercises' Welsh fields, and the catalogue's Welsh.
    for words in [
        "Taflen gofal cefn",
        "Cerdded y pengliniau",
        "tua 20 cam",
        "Pryd i stopio",
        "Tudalen 1 o 3",
    ]:
        assert words in welsh_text
        assert words not in english_text
    for words in ["Back care handout", "Knee walking", "about 20 steps", "When to stop", "Page 1 of 3"]:
        assert words in english_text
        assert words not in welsh_text
    # Each exercise's short address (and its QR code) leads to the page in the handout's language.
    assert "backcare.example.org /cy/e/knee-walking/" in welsh_text
    assert "backcare.example.org /e/knee-walking/" in english_text


def test_the_welsh_handout_answers_its_etag_with_not_modified(client, demo_handout):
    url = "/cy/exercises/handouts/back-care-handout.pdf"
    etag = client.get(url)["ETag"]
    assert etag == f'"{demo_handout.pdf_etag_cy}"'
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_each_language_of_the_page_shows_the_size_and_pages_of_its_own_pdf(client, demo_handout):
    english = demo_handout.built("en-gb")
    welsh = demo_handout.built("cy")
    assert english.kilobytes != welsh.kilobytes  # else this test could not tell them apart
    english_page = client.get("/exercises/knee-walking/").content.decode()
    welsh_page = client.get("/cy/exercises/knee-walking/").content.decode()
    assert f"PDF, {english.pages} pages, {english.kilobytes} KB" in english_page
    assert f"PDF, {welsh.pages} tudalen, {welsh.kilobytes} KB" in welsh_page
    assert f"{english.kilobytes} KB" not in welsh_page
    with welsh.file.open("rb") as stored:
        assert welsh.kilobytes == round(len(stored.read()) / 1024)


def test_changing_an_exercise_rebuilds_its_handouts_in_both_languages(
    demo_handout, django_capture_on_commit_callbacks
):
    exercise = demo_handout.items.get(position=1).exercise
    before = (demo_handout.pdf_etag_en_gb, demo_handout.pdf_etag_cy)
    exercise.repetitions_en_gb = "about 30 steps"
    exercise.repetitions_cy = "tua 30 cam"
    exercise.save()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_rebuilds(exercise)
    demo_handout.refresh_from_db()
    assert demo_handout.pdf_etag_en_gb != before[0]
    assert demo_handout.pdf_etag_cy != before[1]
    assert "about 30 steps" in " ".join(page_texts(pdf_in(demo_handout, "en-gb")))
    assert "tua 30 cam" in " ".join(page_texts(pdf_in(demo_handout, "cy")))


def fail_in_welsh(monkeypatch):
    real = handouts.render_pdf

    def render(*args):
        if translation.get_language() == "cy":
            raise OSError("no Welsh hyphenation")
        return real(*args)

    monkeypatch.setattr(handouts, "render_pdf", render)


def test_a_welsh_build_that_fails_still_stores_the_english_and_records_why(demo_handout, monkeypatch):
    from exercises.tasks import build_handout

    fail_in_welsh(monkeypatch)
    welsh_before = demo_handout.pdf_etag_cy
    Handout.objects.filter(pk=demo_handout.pk).update(pdf_en_gb="")  # so a new English build shows
    assert build_handout.call(demo_handout.pk) is False
    demo_handout.refresh_from_db()
    assert demo_handout.pdf_etag_cy == welsh_before
    assert demo_handout.built("en-gb") is not None
    assert demo_handout.pdf_built_at_en_gb > demo_handout.pdf_built_at_cy
    assert "cy: OSError: no Welsh hyphenation" in demo_handout.build_error


def test_a_missing_welsh_handout_is_built_when_first_asked_for(
    client, demo_handout, django_capture_on_commit_callbacks
):
    Handout.objects.filter(pk=demo_handout.pk).update(
        pdf_cy="", pdf_bytes_cy=0, pdf_pages_cy=0, pdf_etag_cy=""
    )
    before = client.get("/cy/exercises/knee-walking/").content.decode()
    assert "PDF yn Saesneg am y tro" in before
    with django_capture_on_commit_callbacks(execute=True):  # the page cache retires pages after commit
        response = client.get("/cy/exercises/handouts/back-care-handout.pdf")
    assert response.status_code == 200
    assert response["Content-Language"] == "cy"
    assert "Taflen gofal cefn" in text_of(response.content)
    welsh = Handout.objects.get(pk=demo_handout.pk).built("cy")
    # The page (kept in the page cache since the first visit) now shows the Welsh PDF.
    after = client.get("/cy/exercises/knee-walking/").content.decode()
    assert "PDF yn Saesneg am y tro" not in after
    assert f"PDF, {welsh.pages} tudalen, {welsh.kilobytes} KB" in after


def test_a_welsh_handout_that_cannot_be_built_is_the_english_one_said_so(client, demo_handout, monkeypatch):
    Handout.objects.filter(pk=demo_handout.pk).update(
        pdf_cy="", pdf_bytes_cy=0, pdf_pages_cy=0, pdf_etag_cy=""
    )
    fail_in_welsh(monkeypatch)
    response = client.get("/cy/exercises/handouts/back-care-handout.pdf")
    assert response.status_code == 200
    assert response["Content-Language"] == "en-GB"
    assert "Back care handout" in text_of(response.content)
    page = client.get("/cy/exercises/knee-walking/").content.decode()
    english = demo_handout.built("en-gb")
    assert f"PDF yn Saesneg am y tro, {english.pages} tudalen, {english.kilobytes} KB" in page
    assert 'hreflang="en-GB"' in page


def test_a_handout_that_cannot_be_built_in_any_language_says_so_rather_than_failing(
    client, demo_handout, monkeypatch
):
    Handout.objects.filter(pk=demo_handout.pk).update(pdf_cy="", pdf_en_gb="")

    def broken(*args):
        raise OSError("fonts missing")

    monkeypatch.setattr(handouts, "render_pdf", broken)
    response = client.get("/cy/exercises/handouts/back-care-handout.pdf")
    assert response.status_code == 503
    assert "PDF" in response.content.decode()
    assert client.get("/cy/exercises/knee-walking/").status_code == 200


def test_a_handout_that_keeps_failing_is_not_built_again_on_every_request(client, demo_handout, monkeypatch):
    from exercises import builds

    builds.reset()
    Handout.objects.filter(pk=demo_handout.pk).update(pdf_cy="", pdf_en_gb="")
    attempts = []

    def broken(*args):
        attempts.append(translation.get_language())
        raise OSError("fonts missing")

    monkeypatch.setattr(handouts, "render_pdf", broken)
    responses = [
        client.get("/cy/exercises/handouts/back-care-handout.pdf", REMOTE_ADDR=f"192.0.2.{n}")
        for n in range(1, 6)
    ]
    assert attempts == ["cy"]
    assert {response.status_code for response in responses} == {503}
    assert int(responses[-1]["Retry-After"]) > 500
    page = responses[-1].content.decode()
    assert "Rhowch gynnig arall arni ymhen ychydig funudau" in page
    assert 'href="/cy/routine/print/?e=' in page
    assert "knee-walking" in page


def test_a_handout_whose_file_is_missing_says_so_rather_than_failing(client, demo_handout):
    demo_handout.pdf_en_gb.storage.delete(demo_handout.pdf_en_gb.name)
    response = client.get("/exercises/handouts/back-care-handout.pdf")
    assert response.status_code == 503
    assert "Use the print view instead" in response.content.decode()


def test_the_welsh_routine_pdf_and_printable_pages_are_in_welsh(client, demo_handout):
    routine = client.get("/cy/routine/handout.pdf?e=knee-walking,pelvic-tilts")
    assert routine.status_code == 200
    text = text_of(routine.content)
    for words in ["Fy nhrefn gofal cefn", "Cerdded y pengliniau", "Pryd i stopio", "Tudalen 1 o"]:
        assert words in text
    english = client.get("/routine/handout.pdf?e=knee-walking,pelvic-tilts")
    assert english["ETag"] != routine["ETag"]
    assert "My back-care routine" in text_of(english.content)
    printed = client.get("/cy/routine/print/?e=knee-walking,pelvic-tilts").content.decode()
    assert "Cerdded y pengliniau" in printed
    assert "Pryd i stopio" in printed
    page = client.get("/cy/exercises/knee-walking/print/").content.decode()
    assert "Cerdded y pengliniau" in page
    assert "Pryd i stopio" in page


def test_the_same_exercise_cannot_be_in_a_handout_twice(demo_handout):
    from django.core.exceptions import ValidationError

    item = demo_handout.items.first()
    with pytest.raises(ValidationError, match="already in the handout"):
        HandoutItem(handout=demo_handout, exercise=item.exercise, position=9).validate_constraints()


def test_the_admin_shows_each_languages_build_and_what_failed(editor_client, demo_handout, monkeypatch):
    fail_in_welsh(monkeypatch)
    with pytest.raises(handouts.HandoutBuildError):
        handouts.build(demo_handout)
    page = editor_client.get(
        reverse("admin:exercises_handout_change", args=[demo_handout.pk])
    ).content.decode()
    english, welsh = demo_handout.built("en-gb"), demo_handout.built("cy")
    assert f"English: {english.pages} pages, {english.kilobytes} KB" in page
    assert f"Cymraeg: {welsh.pages} pages, {welsh.kilobytes} KB" in page
    assert "cy: OSError: no Welsh hyphenation" in page


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
