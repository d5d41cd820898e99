"""comments/tasks.py: the re-check pass takes a batch, and claims each comment for one worker."""

from contextlib import contextmanager
from datetime import timedelta

import akismet
import pytest
from django.utils import timezone

from akismet_service import api
from comments import lifecycle, tasks
from comments.models import Comment

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(exercise):
    return CommentFactory(on=exercise, pending=True, email="gwen@example.org")


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_recheck_pass_takes_at_most_the_batch_size(akismet_sync_client, exercise, monkeypatch):
    monkeypatch.setattr(tasks, "RECHECK_BATCH", 3)
    past = timezone.now() - timedelta(minutes=1)
    CommentFactory.create_batch(5, on=exercise, pending=True, next_check_at=past)
    checked = tasks.recheck_due(client=akismet_sync_client)
    assert len(checked) == 3
    assert Comment.objects.due_for_recheck(timezone.now()).count() == 2


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_recheck_pass_skips_comments_not_yet_due(akismet_sync_client, exercise):
    CommentFactory(on=exercise, pending=True, next_check_at=timezone.now() + timedelta(minutes=5))
    assert tasks.recheck_due(client=akismet_sync_client) == []


def test_a_comment_another_worker_claimed_is_not_checked_twice(held):
    due = timezone.now() - timedelta(minutes=1)
    Comment.objects.filter(pk=held.pk).update(next_check_at=due)
    held.refresh_from_db()
    assert tasks.claim(held, field="next_check_at", now=timezone.now())
    assert not tasks.claim(held, field="next_check_at", now=timezone.now())


def check_enqueues(monkeypatch, client, comment) -> list[tuple[object, tuple]]:
    """Run the first check of ``comment`` as the worker does; what it enqueued."""

    @contextmanager
    def connect(**_kwargs):
        yield client, None

    monkeypatch.setattr(api, "connect", connect)
    enqueued: list[tuple[object, tuple]] = []
    monkeypatch.setattr(tasks, "enqueue_on_commit", lambda work, *args, **_kw: enqueued.append((work, args)))
    tasks.check_comment.call(comment.pk)
    comment.refresh_from_db()
    return enqueued


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_the_check_of_a_spam_post_enqueues_no_e_mail_task(akismet_sync_client, held, monkeypatch):
    """Spam never gets e-mail: in a spam wave, one task (its row and its run) less per post."""
    assert check_enqueues(monkeypatch, akismet_sync_client, held) == []
    assert held.status == Comment.Status.SPAM


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_the_check_of_a_published_post_still_enqueues_its_e_mail(
    akismet_sync_client, held, monkeypatch, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    assert check_enqueues(monkeypatch, akismet_sync_client, held) == [(tasks.send_notifications, (held.pk,))]
    assert held.status == Comment.Status.APPROVED


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_the_check_of_a_held_post_still_tells_the_moderators(akismet_sync_client, exercise, monkeypatch):
    doubted = CommentFactory(on=exercise, pending=True, guard_reason="too fast", held_reason="too fast")
    assert check_enqueues(monkeypatch, akismet_sync_client, doubted) == [
        (tasks.send_notifications, (doubted.pk,))
    ]
    assert doubted.status == Comment.Status.PENDING


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_a_moderator_who_publishes_a_spam_post_still_sends_its_e_mail(akismet_sync_client, held, monkeypatch):
    check_enqueues(monkeypatch, akismet_sync_client, held)
    enqueued: list[tuple[object, tuple]] = []
    monkeypatch.setattr(tasks, "enqueue_on_commit", lambda work, *args, **_kw: enqueued.append((work, args)))
    lifecycle.mark_not_spam([held], actor=None)
    assert (tasks.send_notifications, (held.pk,)) in enqueued
