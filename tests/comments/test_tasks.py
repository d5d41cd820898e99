"""comments/tasks.py: the re-check pass takes a batch, and claims each comment for one worker."""

from datetime import timedelta

import akismet
import pytest
from django.utils import timezone

from comments import tasks
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
