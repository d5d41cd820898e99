"""pagecache/templatetags/fragments.py: the upcoming-courses box is rendered once and refreshed with the classes."""

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


# --- An exercise's comment thread ---------------------------------------------


def comment_queries(client, url: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if '"comments_comment"' in query["sql"]]


def test_the_comment_thread_is_rendered_once_until_a_reader_could_see_a_change(
    client, settings, django_capture_on_commit_callbacks
):
    from tests.comments.factories import CommentFactory

    settings.PAGE_CACHE_ENABLED = False  # whole pages rendered each time; the thread is kept
    exercise = ExerciseFactory()
    CommentFactory(on=exercise, text="Does it help sciatica?")
    url = exercise.get_absolute_url()
    assert comment_queries(client, url)
    assert not comment_queries(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(on=exercise, text="Yes, gently.")
    page = client.get(url).content.decode()
    assert "Does it help sciatica?" in page
    assert "Yes, gently." in page


def test_a_pending_comment_leaves_the_kept_thread_alone(client, settings, django_capture_on_commit_callbacks):
    from tests.comments.factories import CommentFactory

    settings.PAGE_CACHE_ENABLED = False
    exercise = ExerciseFactory()
    CommentFactory(on=exercise)
    client.get(exercise.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(on=exercise, pending=True, text="Buy cheap pills")
    assert not comment_queries(client, exercise.get_absolute_url())
    assert "Buy cheap pills" not in client.get(exercise.get_absolute_url()).content.decode()


def test_a_poster_sees_their_own_waiting_comment_although_the_thread_is_kept(client, settings):
    from comments import tokens
    from tests.comments.factories import CommentFactory

    settings.PAGE_CACHE_ENABLED = False
    exercise = ExerciseFactory()
    CommentFactory(on=exercise, text="An approved question")
    client.get(exercise.get_absolute_url())  # the thread is kept, without the waiting comment
    waiting = CommentFactory(on=exercise, pending=True, text="My own question, waiting")
    client.cookies["comments_mine"] = tokens.own_comments_cookie_value([waiting.pk])
    page = client.get(exercise.get_absolute_url())
    assert "My own question, waiting" in page.content.decode()
    assert "private" in page["Cache-Control"]
    del client.cookies["comments_mine"]
    assert "My own question, waiting" not in client.get(exercise.get_absolute_url()).content.decode()


def test_each_page_of_comments_is_kept_apart(client, settings, monkeypatch):
    from comments import threads
    from tests.comments.factories import CommentFactory

    settings.PAGE_CACHE_ENABLED = False
    monkeypatch.setattr(threads, "PER_PAGE", 1)
    exercise = ExerciseFactory()
    CommentFactory(on=exercise, text="The first question")
    CommentFactory(on=exercise, text="The second question")
    url = exercise.get_absolute_url()
    first = client.get(url, {"comments_page": 1}).content.decode()
    second = client.get(url, {"comments_page": 2}).content.decode()
    assert ("The first question" in first) != ("The first question" in second)
    assert ("The second question" in first) != ("The second question" in second)
    assert client.get(url, {"comments_page": 2}).content.decode() == second


def queries_on(client, url: str, table: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if f'"{table}"' in query["sql"]]


def test_the_course_list_and_its_filters_are_read_once_until_the_classes_change(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = False
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, title="Tuesday backs")
    url = reverse("classes:list")
    assert queries_on(client, url, "classes_course")
    assert not queries_on(client, url, "classes_course")
    assert not queries_on(client, url, "classes_venue")  # the town choices are kept with the list
    course.title = "Wednesday backs"
    with django_capture_on_commit_callbacks(execute=True):
        course.save()
    assert "Wednesday backs" in client.get(url).content.decode()


def test_an_exercise_and_its_steps_are_rendered_once_until_the_exercises_change(
    client, settings, django_capture_on_commit_callbacks
):
    from tests.factories import StepFactory

    settings.PAGE_CACHE_ENABLED = False
    exercise = ExerciseFactory(title="Knee walking")
    step = StepFactory(exercise=exercise, text="Kneel on a folded blanket.")
    url = exercise.get_absolute_url()
    assert queries_on(client, url, "exercises_step")
    assert not queries_on(client, url, "exercises_step")
    step.text = "Kneel on a thick folded blanket."
    with django_capture_on_commit_callbacks(execute=True):
        step.save()
    assert "Kneel on a thick folded blanket." in client.get(url).content.decode()


def test_a_signed_in_editor_always_gets_the_page_rendered_afresh(editor_client, settings):
    from tests.factories import StepFactory

    settings.PAGE_CACHE_ENABLED = False
    exercise = ExerciseFactory()
    StepFactory(exercise=exercise)
    editor_client.get(exercise.get_absolute_url())
    assert queries_on(editor_client, exercise.get_absolute_url(), "exercises_step")


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_a_trashed_comment_leaves_the_kept_thread_of_both_languages_at_once(
    client, settings, editor, django_capture_on_commit_callbacks, language
):
    from django.utils import translation

    from comments import lifecycle
    from tests.comments.factories import CommentFactory

    settings.PAGE_CACHE_ENABLED = False  # whole pages rendered each time; only the thread is kept
    exercise = ExerciseFactory()
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    urls = [exercise.get_absolute_url(), "/cy" + exercise.get_absolute_url()]
    for url in urls:
        assert "Buy cheap mats here" in client.get(url).content.decode()
        assert not comment_queries(client, url)  # kept
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        lifecycle.trash([comment], actor=editor)
    for url in urls:
        assert "Buy cheap mats here" not in client.get(url).content.decode()
