"""backcare/templatetags/fragments.py: the upcoming-courses box is rendered once and refreshed with the classes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.classes.factories import weekly_course
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def test_the_courses_box_is_rendered_once_for_every_page_that_shows_it(client, settings):
    settings.PAGE_CACHE_ENABLED = False  # whole pages rendered each time; only the box is shared
    weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, title="Tuesday backs")
    exercise = ExerciseFactory()
    first = client.get(exercise.get_absolute_url()).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "Tuesday backs" in first
    assert "Tuesday backs" in home
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(exercise.get_absolute_url())
    assert not [query for query in queries if "classes_course" in query["sql"]]


def test_a_change_to_the_classes_shows_in_the_box_once_committed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = False
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, title="Tuesday backs")
    exercise = ExerciseFactory()
    client.get(exercise.get_absolute_url())
    course.title = "Wednesday backs"
    with django_capture_on_commit_callbacks(execute=True):
        course.save()
    assert "Wednesday backs" in client.get(exercise.get_absolute_url()).content.decode()


def test_the_course_list_keeps_one_version_per_filter(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    start = timezone.localdate() + timedelta(days=7)
    weekly_course(start, weeks=2, title="Early backs")
    weekly_course(start + timedelta(days=1), weeks=2, title="Later backs")
    everything = client.get(reverse("classes:list")).content.decode()
    filtered = client.get(reverse("classes:list"), {"weekday": start.weekday()}).content.decode()
    again = client.get(reverse("classes:list")).content.decode()
    assert "Early backs" in everything
    assert "Later backs" in everything
    assert "Early backs" in filtered
    assert "Later backs" not in filtered
    assert again == everything
