"""Anonymous pages come from the shared cache, and are fresh again as soon as content changes."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from comments import lifecycle
from exercises.models import Exercise
from tests.classes.factories import weekly_course
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise():
    exercise = ExerciseFactory(title="Knee walking")
    StepFactory(exercise=exercise, text="Keep your feet still.")
    return exercise


def test_anonymous_page_is_public_with_validators_and_sets_no_cookie(client, exercise):
    response = client.get(exercise.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"]
    assert not response.cookies


def test_second_anonymous_visit_is_served_from_the_cache_byte_for_byte(client, exercise):
    first = client.get(exercise.get_absolute_url())
    second = client.get(exercise.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Type"] == "text/html; charset=utf-8"


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


def test_page_served_from_the_cache_carries_every_security_header_of_a_fresh_one(client, exercise):
    first = client.get(exercise.get_absolute_url())
    second = client.get(exercise.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    for header in SECURITY_HEADERS:
        assert second[header] == first[header], header
    assert "default-src 'none'" in second["Content-Security-Policy"]
    assert second["Cross-Origin-Resource-Policy"] == "same-origin"


def test_cached_page_needs_no_database_query(client, exercise, django_assert_num_queries):
    client.get(exercise.get_absolute_url())
    with django_assert_num_queries(0):
        client.get(exercise.get_absolute_url())


def test_repeated_conditional_get_answers_not_modified(client, exercise):
    etag = client.get(exercise.get_absolute_url())["ETag"]
    response = client.get(exercise.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_editing_an_exercise_shows_at_once_to_the_next_anonymous_reader(client, exercise):
    client.get(exercise.get_absolute_url())
    exercise.title = "Knee walking, revised"
    exercise.save()
    assert "Knee walking, revised" in client.get(exercise.get_absolute_url()).content.decode()


def test_editing_a_step_shows_at_once_on_the_list_and_the_page(client, exercise):
    client.get(exercise.get_absolute_url())
    step = exercise.steps.get()
    step.text = "Keep both feet flat."
    step.save()
    assert "Keep both feet flat." in client.get(exercise.get_absolute_url()).content.decode()


def test_signed_in_staff_get_private_pages_that_are_never_stored(editor_client, exercise):
    staff_view = editor_client.get(exercise.get_absolute_url())
    assert "private" in staff_view["Cache-Control"]
    assert "X-Page-Cache" not in staff_view
    assert Client().get(exercise.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_visitor_with_a_session_bypasses_the_cache_and_gets_a_private_page(client, exercise):
    client.get(exercise.get_absolute_url())
    client.cookies["sessionid"] = "whatever"
    response = client.get(exercise.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_not_found_pages_are_not_cached(client):
    client.get("/exercises/nothing-here/")
    ExerciseFactory(slug="nothing-here")
    assert client.get("/exercises/nothing-here/").status_code == 200


def test_admin_pages_are_never_cached_publicly(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert "public" not in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_approving_a_comment_shows_it_at_once_to_the_next_anonymous_reader(client, exercise, editor):
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    assert "Does this help sciatica?" not in client.get(exercise.get_absolute_url()).content.decode()
    lifecycle.approve([held], actor=editor)
    assert "Does this help sciatica?" in client.get(exercise.get_absolute_url()).content.decode()


def test_trashing_a_comment_removes_it_at_once_from_the_cached_page(client, exercise, editor):
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    assert "Buy cheap mats here" in client.get(exercise.get_absolute_url()).content.decode()
    lifecycle.trash([comment], actor=editor)
    assert "Buy cheap mats here" not in client.get(exercise.get_absolute_url()).content.decode()


def test_moving_a_session_shows_the_new_date_at_once_on_the_course_page(client):
    start = timezone.localdate() + timedelta(days=7)
    course = weekly_course(start, weeks=3)
    session = course.sessions.order_by("date").first()
    client.get(course.get_absolute_url())
    session.date = start + timedelta(days=1)
    session.save()
    html = client.get(course.get_absolute_url()).content.decode()
    assert date_format(session.date, "j F Y") in html
    assert client.get(course.get_absolute_url())["X-Page-Cache"] == "hit"


def test_cancelling_a_session_shows_at_once_in_the_course_calendar(client):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2)
    client.get(reverse("classes:calendar", args=[course.slug]))
    session = course.sessions.order_by("date").first()
    session.is_cancelled = True
    session.cancellation_reason = "Bank holiday"
    session.save()
    assert "STATUS:CANCELLED" in client.get(reverse("classes:calendar", args=[course.slug])).content.decode()


def test_a_page_outlives_a_lost_generation_counter_without_being_served_stale(client, exercise):
    from django.core.cache import cache

    from backcare.pagecache import GENERATION_KEY

    cache.clear()  # the first visit below seeds the counter
    client.get(exercise.get_absolute_url())
    cache.delete(GENERATION_KEY)  # evicted, or flushed on its own
    exercise.title = "Knee walking, after the flush"
    Exercise.objects.filter(pk=exercise.pk).update(title=exercise.title)  # no signal: only the lost counter
    assert "after the flush" in client.get(exercise.get_absolute_url()).content.decode()


def test_english_and_welsh_readers_never_get_each_others_page_from_the_cache(exercise):
    exercise.title_cy = "Cerdded y pengliniau"
    exercise.save()
    english_reader = Client(headers={"Accept-Language": "en-GB"})
    welsh_reader = Client(headers={"Accept-Language": "cy"})
    english_url = exercise.get_absolute_url()
    welsh_url = "/cy" + english_url

    # Each reader first reads the other language's address, so the cache is warm with it.
    welsh_reader.get(english_url)
    english_reader.get(welsh_url)
    english = english_reader.get(english_url)
    welsh = welsh_reader.get(welsh_url)

    assert (english["X-Page-Cache"], welsh["X-Page-Cache"]) == ("hit", "hit")
    assert '<html lang="en-GB">' in english.content.decode()
    assert "Knee walking</h1>" in english.content.decode()
    assert '<html lang="cy">' in welsh.content.decode()
    assert "Cerdded y pengliniau</h1>" in welsh.content.decode()
    assert english["Content-Language"] == "en-GB"
    assert welsh["Content-Language"] == "cy"


def test_the_cache_keeps_one_copy_per_address_whatever_the_browsers_language(exercise):
    from backcare.pagecache import page_key

    def key(path, accept):
        return page_key(RequestFactory().get(path, headers={"Accept-Language": accept}))

    assert key("/exercises/", "cy") == key("/exercises/", "en-GB")
    assert key("/cy/exercises/", "en-GB") == key("/cy/exercises/", "cy")
    assert key("/exercises/", "en-GB") != key("/cy/exercises/", "en-GB")
