"""Anonymous pages come from the shared cache, and are fresh again as soon as content changes;
what is stored, for whom, under which key, and for how long."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from backcare.security import SECURITY_HEADERS
from comments import lifecycle
from exercises.models import Exercise
from tests.classes.factories import weekly_course
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory
from tests.pagecache.page_helpers import generations_now

pytestmark = pytest.mark.django_db


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


def test_editing_an_exercise_shows_at_once_to_the_next_anonymous_reader(client, exercise, committed):
    client.get(exercise.get_absolute_url())
    exercise.title = "Knee walking, revised"
    with committed():
        exercise.save()
    assert "Knee walking, revised" in client.get(exercise.get_absolute_url()).content.decode()


def test_editing_a_step_shows_at_once_on_the_list_and_the_page(client, exercise, committed):
    client.get(exercise.get_absolute_url())
    step = exercise.steps.get()
    step.text = "Keep both feet flat."
    with committed():
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


def test_approving_a_comment_shows_it_at_once_to_the_next_anonymous_reader(
    client, exercise, editor, committed
):
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    assert "Does this help sciatica?" not in client.get(exercise.get_absolute_url()).content.decode()
    with committed():
        lifecycle.approve([held], actor=editor)
    assert "Does this help sciatica?" in client.get(exercise.get_absolute_url()).content.decode()


def test_trashing_a_comment_removes_it_at_once_from_the_cached_page(client, exercise, editor, committed):
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    assert "Buy cheap mats here" in client.get(exercise.get_absolute_url()).content.decode()
    with committed():
        lifecycle.trash([comment], actor=editor)
    assert "Buy cheap mats here" not in client.get(exercise.get_absolute_url()).content.decode()


def test_moving_a_session_shows_the_new_date_at_once_on_the_course_page(client, committed):
    start = timezone.localdate() + timedelta(days=7)
    course = weekly_course(start, weeks=3)
    session = course.sessions.order_by("date").first()
    client.get(course.get_absolute_url())
    session.date = start + timedelta(days=1)
    with committed():
        session.save()
    html = client.get(course.get_absolute_url()).content.decode()
    assert date_format(session.date, "j F Y") in html
    assert client.get(course.get_absolute_url())["X-Page-Cache"] == "hit"


def test_cancelling_a_session_shows_at_once_in_the_course_calendar(client, committed):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2)
    client.get(reverse("classes:calendar", args=[course.slug]))
    session = course.sessions.order_by("date").first()
    session.is_cancelled = True
    session.cancellation_reason = "Bank holiday"
    with committed():
        session.save()
    assert "STATUS:CANCELLED" in client.get(reverse("classes:calendar", args=[course.slug])).content.decode()


def test_a_page_outlives_a_lost_generation_counter_without_being_served_stale(client, exercise):
    from django.core.cache import cache

    from pagecache.keys import GENERATION_KEY

    cache.clear()  # the first visit below seeds the counter
    client.get(exercise.get_absolute_url())
    cache.delete(GENERATION_KEY)  # evicted, or flushed on its own
    exercise.title = "Knee walking, after the flush"
    Exercise.objects.filter(pk=exercise.pk).update(title=exercise.title)  # no signal: only the lost counter
    assert "after the flush" in client.get(exercise.get_absolute_url()).content.decode()


# --- Keys: parameters the view reads, and the host ---------------------------------


def test_query_parameters_a_page_does_not_read_are_answered_but_never_stored(client, exercise):
    for number in range(1, 51):
        response = client.get(exercise.get_absolute_url(), {"x": number})
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "bypass"
    assert client.get(exercise.get_absolute_url(), {"x": 1})["X-Page-Cache"] == "bypass"
    assert generations_now()  # the counters exist…
    from django.core.cache import cache

    from pagecache.keys import PAGE_PREFIX

    assert not [key for key in cache._cache if PAGE_PREFIX in key]  # …but no page was stored


def test_the_parameters_a_page_reads_share_one_entry_whatever_their_order(client, exercise):
    first = client.get(f"{reverse('exercises:list')}?q=knee&page=1")
    second = client.get(f"{reverse('exercises:list')}?page=1&q=knee")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert client.get(f"{reverse('exercises:list')}?q=cat")["X-Page-Cache"] == "miss"


def test_each_allowed_host_gets_robots_txt_with_its_own_sitemap_address(client, settings):
    settings.ALLOWED_HOSTS = ["backcare.example.org", "www.backcare.example.org"]
    client.get("/robots.txt", headers={"Host": "backcare.example.org"})
    other = client.get("/robots.txt", headers={"Host": "www.backcare.example.org"})
    assert "Sitemap: http://www.backcare.example.org/sitemap.xml" in other.content.decode()
    assert other["X-Page-Cache"] == "miss"


def test_a_host_that_is_not_allowed_is_refused_even_for_a_cached_page(client, settings):
    settings.ALLOWED_HOSTS = ["backcare.example.org"]
    assert client.get("/robots.txt", headers={"Host": "backcare.example.org"})["X-Page-Cache"] == "miss"
    assert client.get("/robots.txt", headers={"Host": "evil.example.net"}).status_code == 400


def test_cached_pages_expire(client, exercise, settings):
    from django.core.cache import cache

    from pagecache.keys import PAGE_PREFIX

    client.get(exercise.get_absolute_url())
    key = next(key for key in cache._cache if PAGE_PREFIX in key)
    assert cache._expire_info[key] is not None
