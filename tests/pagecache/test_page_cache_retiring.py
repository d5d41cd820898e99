"""A change retires only the cached pages it affects, after its commit, in every language
whatever language the change was made in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from comments import lifecycle, verdicts
from tests.classes.factories import weekly_course
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory
from tests.pagecache.page_helpers import generations_now

pytestmark = pytest.mark.django_db


# --- Scoped invalidation, after commit ---------------------------------------------


def test_two_hundred_spam_and_pending_posts_retire_no_cached_page(client, exercise, committed, monkeypatch):
    from akismet_service import api
    from comments import tasks
    from comments.models import Comment

    monkeypatch.setattr(tasks, "enqueue_on_commit", lambda *args, **kwargs: None)  # the verdicts come below
    client.get(exercise.get_absolute_url())
    client.get(reverse("home"))
    before = generations_now()
    with committed():
        for number in range(200):
            comment = lifecycle.receive(
                Comment(
                    content_type=CommentFactory.build(on=exercise).content_type,
                    object_id=str(exercise.pk),
                    name=f"Cheap mats {number}",
                    email=f"mats{number}@example.org",
                    text="Buy cheap mats here",
                )
            )
            if number % 2:  # Akismet calls half of them spam; the other half wait for a re-check
                verdict = api.CheckResult(api.Verdict.SPAM)
            else:
                verdict = api.CheckResult(api.Verdict.UNKNOWN, failure=api.Failure.TIMEOUT, detail="slow")
            verdicts.apply_verdict(comment, verdict, now=timezone.now(), recheck=False)
    assert Comment.objects.filter(status=Comment.Status.SPAM).count() == 100
    assert Comment.objects.filter(status=Comment.Status.PENDING, next_check_at__isnull=False).count() == 100
    assert generations_now() == before
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"


def test_a_verdict_on_an_already_approved_comment_retires_nothing(client, exercise, committed):
    from akismet_service import api

    comment = CommentFactory(on=exercise)
    client.get(exercise.get_absolute_url())
    with committed():
        verdicts.apply_verdict(comment, api.CheckResult(api.Verdict.HAM), now=timezone.now(), recheck=False)
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"


def test_approving_a_comment_on_one_exercise_leaves_another_exercise_cached(
    client, exercise, editor, committed
):
    other = ExerciseFactory(title="Cat and camel")
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    client.get(exercise.get_absolute_url())
    client.get(other.get_absolute_url())
    with committed():
        lifecycle.approve([held], actor=editor)
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(reverse("exercises:list"))["X-Page-Cache"] == "miss"  # never visited: nothing to keep
    refreshed = client.get(exercise.get_absolute_url())
    assert refreshed["X-Page-Cache"] == "miss"
    assert "Does this help sciatica?" in refreshed.content.decode()


def test_editing_a_course_leaves_the_exercise_list_and_privacy_page_cached(client, exercise, committed):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2)
    for url in (reverse("exercises:list"), reverse("privacy"), course.get_absolute_url(), reverse("home")):
        client.get(url)
    course.title = "Yoga for backs, Tuesdays"
    with committed():
        course.save()
    assert client.get(reverse("exercises:list"))["X-Page-Cache"] == "hit"
    assert client.get(reverse("privacy"))["X-Page-Cache"] == "hit"
    assert "Yoga for backs, Tuesdays" in client.get(course.get_absolute_url()).content.decode()
    assert client.get(reverse("home"))["X-Page-Cache"] == "miss"  # its upcoming-courses box shows it


def test_a_page_stored_while_a_change_is_uncommitted_is_not_served_after_the_commit(
    client, exercise, editor, committed
):
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    with committed():
        lifecycle.approve([held], actor=editor)
        # A reader arrives before the commit: nothing is retired yet, so a page
        # rendered now (from the rows as they were, on another connection) is
        # stored under the numbers that the commit is about to retire.
        assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "miss"
        assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "miss"


# --- Every language's page is retired, whatever language the change was made in ----------


def both_languages(url: str) -> list[str]:
    return [url, "/cy" + url]


@pytest.mark.parametrize("admin_language", ["en-gb", "cy"])
def test_trashing_a_comment_removes_it_at_once_from_the_page_in_both_languages(
    client, exercise, editor, committed, admin_language
):
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" in client.get(url).content.decode()
        assert client.get(url)["X-Page-Cache"] == "hit"
    with translation.override(admin_language), committed():
        lifecycle.trash([comment], actor=editor)
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" not in client.get(url).content.decode()


def test_a_comment_trashed_from_a_welsh_admin_leaves_both_languages_pages_at_once(
    exercise, editor, committed
):
    from accounts.admin_language import choose_admin_language

    reader = Client()
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" in reader.get(url).content.decode()
    choose_admin_language(user=editor, language="cy")
    moderator = Client()
    moderator.force_login(editor)
    with committed():
        answer = moderator.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "trash", "_selected_action": [comment.pk]},
        )
    assert answer.status_code == 302
    assert answer.wsgi_request.LANGUAGE_CODE == "cy"
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" not in reader.get(url).content.decode()


@pytest.mark.parametrize("admin_language", ["en-gb", "cy"])
def test_an_exercise_page_rendered_while_its_change_is_uncommitted_is_not_served_in_either_language(
    client, exercise, committed, admin_language
):
    urls = both_languages(exercise.get_absolute_url())
    exercise.title = "Knee walking, slowly"
    with translation.override(admin_language), committed():
        exercise.save()
        # Readers of both languages arrive before the commit and store what they rendered.
        for url in urls:
            assert client.get(url)["X-Page-Cache"] == "miss"
            assert client.get(url)["X-Page-Cache"] == "hit"
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("admin_language", ["en-gb", "cy"])
def test_a_course_page_rendered_while_its_change_is_uncommitted_is_not_served_in_either_language(
    client, committed, admin_language
):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, title="Tuesday backs")
    urls = both_languages(course.get_absolute_url())
    course.title = "Wednesday backs"
    with translation.override(admin_language), committed():
        course.save()
        for url in urls:
            assert client.get(url)["X-Page-Cache"] == "miss"
            assert client.get(url)["X-Page-Cache"] == "hit"
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Wednesday backs" in response.content.decode()


def test_approving_a_comment_from_a_welsh_admin_shows_it_at_once_on_both_pages(
    client, exercise, editor, committed
):
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    for url in both_languages(exercise.get_absolute_url()):
        assert "Does this help sciatica?" not in client.get(url).content.decode()
    with translation.override("cy"), committed():
        lifecycle.approve([held], actor=editor)
    for url in both_languages(exercise.get_absolute_url()):
        assert "Does this help sciatica?" in client.get(url).content.decode()
