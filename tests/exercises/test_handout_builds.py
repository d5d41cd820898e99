"""The PDF handouts: how they are built, rebuilt when an exercise changes, and what a failed build
keeps and records."""

import pytest
from django.urls import reverse
from django.utils import translation

from exercises import handouts
from exercises.models import Handout
from tests.exercises.handout_helpers import fail_in_welsh, page_texts, pdf_in, pdf_of

pytestmark = pytest.mark.django_db


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
