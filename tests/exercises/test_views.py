import json
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from exercises import views
from tests.classes.factories import weekly_course
from tests.factories import CategoryFactory, ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


def json_ld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "no JSON-LD block on the page"
    return json.loads(match.group(1))


def test_list_shows_published_exercises_only(client):
    ExerciseFactory(title="Knee walking")
    ExerciseFactory(title="Secret draft", draft=True)
    ExerciseFactory(title="Next week", scheduled=True)
    html = client.get(reverse("exercises:list")).content.decode()
    assert "Knee walking" in html
    assert "Secret draft" not in html
    assert "Next week" not in html


def test_list_is_paginated(client):
    ExerciseFactory.create_batch(views.PER_PAGE + 1)
    first = client.get(reverse("exercises:list"))
    second = client.get(reverse("exercises:list"), {"page": 2})
    assert len(first.context["exercises"]) == views.PER_PAGE
    assert len(second.context["exercises"]) == 1
    assert "Page 2 of 2" in second.content.decode()


def test_list_filters_by_category(client):
    neck = CategoryFactory(name="Neck", slug="neck")
    ExerciseFactory(title="Neck turns", category=neck)
    ExerciseFactory(title="Knee walking")
    html = client.get(reverse("exercises:list"), {"category": "neck"}).content.decode()
    assert "Neck turns" in html
    assert "Knee walking" not in html


def test_unknown_category_is_not_found(client):
    assert client.get(reverse("exercises:list"), {"category": "elbows"}).status_code == 404


def test_search_finds_an_exercise_by_a_word_in_its_steps(client):
    exercise = ExerciseFactory(title="Knee walking")
    StepFactory(exercise=exercise, text="Push one knee forwards a couple of centimetres.")
    ExerciseFactory(title="Neck turns")
    response = client.get(reverse("exercises:list"), {"q": "centimetres"})
    html = response.content.decode()
    assert "Knee walking" in html
    assert "Neck turns" not in html
    assert "1 exercise found." in html


def test_search_with_no_match_suggests_a_shorter_word(client):
    ExerciseFactory()
    html = client.get(reverse("exercises:list"), {"q": "xylophone"}).content.decode()
    assert "Nothing matched" in html


def test_search_term_is_shown_back_escaped(client):
    html = client.get(reverse("exercises:list"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_detail_shows_steps_dosage_and_cautions(client):
    exercise = ExerciseFactory(title="Knee walking", repetitions="about 20", frequency="morning and night")
    StepFactory(exercise=exercise, position=1, text="Keep your feet still.")
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "<h1" in html
    assert "Knee walking" in html
    assert "about 20" in html
    assert "morning and night" in html
    assert "Keep your feet still." in html
    assert "Stop if it hurts." in html


def test_draft_is_not_found_for_the_public(client):
    draft = ExerciseFactory(draft=True)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_scheduled_exercise_is_not_found_for_the_public(client):
    scheduled = ExerciseFactory(scheduled=True)
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_see_a_draft_with_a_draft_banner(editor_client):
    draft = ExerciseFactory(draft=True)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: only staff can see this exercise." in response.content.decode()


def test_staff_see_a_scheduled_exercise_with_its_date(editor_client):
    scheduled = ExerciseFactory(scheduled=True)
    html = editor_client.get(scheduled.get_absolute_url()).content.decode()
    assert "Scheduled: this exercise appears to the public on" in html


def test_public_exercise_has_no_draft_banner(editor_client):
    html = editor_client.get(ExerciseFactory().get_absolute_url()).content.decode()
    assert "draft-banner" not in html


def test_detail_has_canonical_url_and_open_graph_tags(client, settings):
    settings.SITE_URL = "https://backcare.example.org"
    exercise = ExerciseFactory(slug="knee-walking", title="Knee walking")
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="https://backcare.example.org/exercises/knee-walking/">' in html
    assert '<meta property="og:title" content="Knee walking">' in html
    assert '<meta property="og:url" content="https://backcare.example.org/exercises/knee-walking/">' in html


def test_detail_describes_the_exercise_plan_for_search_engines(client):
    exercise = ExerciseFactory(
        repetitions="about 20", frequency="morning and night", duration="a few minutes"
    )
    StepFactory(exercise=exercise, position=1, text="Lie down.")
    StepFactory(exercise=exercise, position=2, text="Walk the knees.")
    data = json_ld(client.get(exercise.get_absolute_url()))
    assert data["@type"] == "ExercisePlan"
    assert data["name"] == exercise.title
    assert data["repetitions"] == "about 20"
    assert data["activityFrequency"] == "morning and night"
    assert data["activityDuration"] == "a few minutes"
    assert [step["text"] for step in data["step"]] == ["Lie down.", "Walk the knees."]


def test_structured_data_cannot_close_its_script_element(client):
    exercise = ExerciseFactory(title="</script><script>alert(1)</script>")
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(client.get(exercise.get_absolute_url()))["name"] == exercise.title


def test_print_handout_has_steps_dosage_cautions_and_the_page_address(client, settings):
    settings.SITE_URL = "https://backcare.example.org"
    exercise = ExerciseFactory(slug="knee-walking", repetitions="about 20")
    StepFactory(exercise=exercise, text="Keep your feet still.")
    response = client.get(reverse("exercises:print", args=["knee-walking"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keep your feet still." in html
    assert "about 20" in html
    assert "Stop if it hurts." in html
    assert "https://backcare.example.org/exercises/knee-walking/" in html
    assert "site-nav" not in html


def test_print_handout_of_a_draft_is_not_found_for_the_public(client):
    draft = ExerciseFactory(draft=True)
    assert client.get(reverse("exercises:print", args=[draft.slug])).status_code == 404


def test_rss_feed_lists_published_exercises(client):
    ExerciseFactory(title="Knee walking")
    ExerciseFactory(title="Secret draft", draft=True)
    response = client.get(reverse("exercises:feed"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "<title>Knee walking</title>" in body
    assert "Secret draft" not in body


def test_atom_feed_lists_published_exercises(client):
    ExerciseFactory(title="Knee walking")
    response = client.get(reverse("exercises:atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Knee walking</title>" in response.content.decode()


def test_sitemap_lists_published_exercises_and_main_pages(client):
    public = ExerciseFactory(slug="knee-walking")
    ExerciseFactory(slug="secret", draft=True)
    body = client.get(reverse("sitemap")).content.decode()
    assert f"http://testserver{public.get_absolute_url()}" in body
    assert "/exercises/secret/" not in body
    assert "<loc>http://testserver/classes/</loc>" in body


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.parametrize("steps", [1, 30])
def test_detail_page_query_count_does_not_grow_with_steps(client, django_assert_num_queries, steps):
    exercise = ExerciseFactory()
    StepFactory.create_batch(steps, exercise=exercise)
    for _ in range(3):
        weekly_course(timezone.localdate() + timedelta(days=3))
    # The exercise with its author, its steps, the next courses and their
    # teachers, the handouts it is in, and the comments tag (none yet: the count,
    # and whether closed).
    ContentType.objects.get_for_model(exercise)  # the content-type cache, as in a warm process
    with django_assert_num_queries(7):
        response = client.get(exercise.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_list_page_query_count_does_not_grow_with_exercises(client, django_assert_num_queries, count):
    ExerciseFactory.create_batch(count)
    with django_assert_num_queries(3):
        response = client.get(reverse("exercises:list"))
    assert len(response.context["exercises"]) == count
