"""The PDF handouts in Welsh: each language's PDF at its own address, built when first asked for,
and the English one, said so, when the Welsh cannot be built."""

import pytest
from django.utils import translation

from exercises import handouts, tasks
from exercises.models import Handout
from tests.exercises.handout_helpers import fail_in_welsh, page_texts, pdf_in, text_of

pytestmark = pytest.mark.django_db


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
