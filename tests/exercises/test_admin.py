import pytest
from django.urls import reverse

from bilingual.languages import translated_fields
from exercises.models import Exercise, Step
from tests.factories import CategoryFactory, ExerciseFactory, StepFactory, in_english

pytestmark = pytest.mark.django_db


# The fields the admin edits in both languages (exercises/translation.py).
TRANSLATED = {*translated_fields(Exercise), *translated_fields(Step)}


def exercise_form(category, **overrides) -> dict:
    data = {
        "title": "Knee walking",
        "slug": "knee-walking",
        "category": category.pk,
        "summary": "Eases a stiff lower back.",
        "starting_position": "Lie on your back.",
        "repetitions": "about 20",
        "frequency": "morning and night",
        "duration": "a few minutes",
        "times_a_day": "2",
        "reminder_days": "7",
        "minutes": "5",
        "cautions": "Stop if it hurts.",
        "body": "",
        "image_alt": "",
        "status": "published",
        "published_at_0": "01/11/2026",
        "published_at_1": "09:00:00",
        "author": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-position": "1",
        "steps-0-text": "Keep your feet still.",
        "steps-0-image_alt": "",
        "steps-1-position": "2",
        "steps-1-text": "Push one knee forwards.",
        "steps-1-image_alt": "",
    }
    data.update(overrides)
    return in_english(data, TRANSLATED)


def test_editor_adds_an_exercise_with_its_steps_in_order(editor_client, editor):
    category = CategoryFactory()
    response = editor_client.post(reverse("admin:exercises_exercise_add"), exercise_form(category))
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise = Exercise.objects.get(slug="knee-walking")
    assert [s.text for s in exercise.steps.all()] == ["Keep your feet still.", "Push one knee forwards."]
    assert exercise.author == editor


def test_editor_changes_a_step(editor_client):
    exercise = ExerciseFactory(slug="knee-walking")
    step = StepFactory(exercise=exercise, position=1, text="Old text")
    data = exercise_form(
        exercise.category,
        **{
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "1",
            "steps-0-id": str(step.pk),
            "steps-0-exercise": str(exercise.pk),
            "steps-0-text": "New text",
        },
    )
    response = editor_client.post(reverse("admin:exercises_exercise_change", args=[exercise.pk]), data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.text == "New text"


def test_admin_refuses_a_picture_without_a_description(editor_client):
    from tests.exercises.test_models import picture

    category = CategoryFactory()
    data = exercise_form(category, image=picture())
    response = editor_client.post(reverse("admin:exercises_exercise_add"), data)
    assert response.status_code == 200
    assert "Describe the picture for people who cannot see it." in response.content.decode()
    assert not Exercise.objects.exists()


def test_changelist_filters_by_status_and_searches_steps(editor_client):
    exercise = ExerciseFactory(title="Knee walking")
    StepFactory(exercise=exercise, text="parallel lines")
    ExerciseFactory(title="Neck turns", draft=True)
    url = reverse("admin:exercises_exercise_changelist")
    assert "Knee walking" in editor_client.get(url, {"q": "parallel"}).content.decode()
    drafts = editor_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Neck turns" in drafts
    assert "Knee walking" not in drafts


def test_with_the_admin_in_welsh_a_search_finds_exercises_and_steps_in_either_language(editor_client):
    exercise = ExerciseFactory(title_en_gb="Knee walking", title_cy="")
    StepFactory(exercise=exercise, text_en_gb="parallel lines", text_cy="llinellau cyfochrog")
    editor_client.post(reverse("admin_language"), {"language": "cy"})
    url = reverse("admin:exercises_exercise_changelist")
    assert "Knee walking" in editor_client.get(url, {"q": "knee"}).content.decode()
    assert "Knee walking" in editor_client.get(url, {"q": "parallel"}).content.decode()
    assert "Knee walking" in editor_client.get(url, {"q": "cyfochrog"}).content.decode()
    assert "Knee walking" not in editor_client.get(url, {"q": "sciatica"}).content.decode()


def test_change_form_links_to_the_page_on_the_site(editor_client):
    exercise = ExerciseFactory()
    html = editor_client.get(reverse("admin:exercises_exercise_change", args=[exercise.pk])).content.decode()
    assert "View on site" in html


def test_publishing_without_a_date_publishes_now(editor_client, client):
    category = CategoryFactory()
    data = exercise_form(category, published_at_0="", published_at_1="")
    response = editor_client.post(reverse("admin:exercises_exercise_add"), data)
    assert response.status_code == 302
    exercise = Exercise.objects.get(slug="knee-walking")
    assert exercise.is_public


def test_the_exercise_form_edits_english_and_welsh_side_by_side(editor_client):
    exercise = ExerciseFactory()
    html = editor_client.get(reverse("admin:exercises_exercise_change", args=[exercise.pk])).content.decode()
    assert 'name="title_en_gb"' in html
    assert 'name="title_cy"' in html
    assert 'name="steps-0-text_cy"' in html


def test_an_editor_adds_the_welsh_version_in_the_same_form(editor_client):
    category = CategoryFactory()
    data = exercise_form(
        category, title_cy="Cerdded y pengliniau", **{"steps-0-text_cy": "Cadwch eich traed yn llonydd."}
    )
    response = editor_client.post(reverse("admin:exercises_exercise_add"), data)
    assert response.status_code == 302
    exercise = Exercise.objects.get(slug="knee-walking")
    assert (exercise.title_en_gb, exercise.title_cy) == ("Knee walking", "Cerdded y pengliniau")
    assert exercise.steps.get(position=1).text_cy == "Cadwch eich traed yn llonydd."


def test_the_list_shows_and_filters_exercises_that_lack_welsh(editor_client):
    # Every translated field an exercise must have (its body and picture are optional).
    welsh_fields = {
        f"{field}_cy": "Cymraeg" for field in set(translated_fields(Exercise)) - {"body", "image_alt"}
    }
    translated = ExerciseFactory(title="Translated", **welsh_fields)
    StepFactory(exercise=translated, text="Move", text_cy="Symud")
    ExerciseFactory(title="English only")
    step_missing = ExerciseFactory(title="One step missing", **welsh_fields)
    StepFactory(exercise=step_missing, text="Move")
    url = reverse("admin:exercises_exercise_changelist")

    missing = editor_client.get(url, {"welsh": "missing"}).content.decode()
    complete = editor_client.get(url, {"welsh": "complete"}).content.decode()

    assert "English only" in missing
    assert "One step missing" in missing
    assert "Translated" not in missing
    assert "Translated" in complete
    assert "English only" not in complete
    assert "Welsh version" in missing


def test_each_language_gets_its_own_rendered_body():
    exercise = ExerciseFactory(body="**Slowly**", body_cy="**Yn araf**")
    exercise.refresh_from_db()
    assert exercise.body_html_en_gb == "<p><strong>Slowly</strong></p>"
    assert exercise.body_html_cy == "<p><strong>Yn araf</strong></p>"


def test_a_body_without_welsh_shows_the_english_on_welsh_pages(client):
    exercise = ExerciseFactory(body="Only **English**")
    html = client.get(f"/cy/exercises/{exercise.slug}/").content.decode()
    assert '<div lang="en"><p>Only <strong>English</strong></p></div>' in html
