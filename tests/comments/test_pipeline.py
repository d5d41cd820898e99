"""The pipeline's decisions, driven by the akismet library's own test clients (pytest plugin)."""

from datetime import timedelta

import akismet
import pytest
from django.utils import timezone

from akismet_service import api
from comments import pipeline
from comments.models import Comment

from .factories import CommentFactory, events

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(exercise):
    return CommentFactory(on=exercise, pending=True, email="gwen@example.org")


@pytest.fixture
def returning(exercise, held):
    """Gwen has had a comment approved before."""
    return CommentFactory(on=exercise, email="GWEN@example.org")


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_from_a_returning_commenter_is_published(akismet_sync_client, held, returning):
    pipeline.check_comment(held, client=akismet_sync_client)
    assert held.status == Comment.Status.APPROVED
    assert events(held) == ["checked", "approved"]


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_from_a_first_time_commenter_is_held(akismet_sync_client, held):
    pipeline.check_comment(held, client=akismet_sync_client)
    assert held.status == Comment.Status.PENDING
    assert held.held_reason == "first comment from this e-mail address"
    assert held.spam_verdict == "ham"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_first_time_commenters_are_published_when_the_rule_is_off(akismet_sync_client, held, settings):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    pipeline.check_comment(held, client=akismet_sync_client)
    assert held.status == Comment.Status.APPROVED


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_with_two_links_is_held(akismet_sync_client, held, returning):
    held.text = "See https://one.example.org and www.two.example.org"
    held.save()
    pipeline.check_comment(held, client=akismet_sync_client)
    assert held.status == Comment.Status.PENDING
    assert held.held_reason == "2 or more links"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_with_a_moderation_word_is_held(akismet_sync_client, held, returning, settings):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]
    held.text = "My Casino night left my back sore."
    held.save()
    pipeline.check_comment(held, client=akismet_sync_client)
    assert held.held_reason == "contains a moderation word"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_spam_is_moved_to_the_spam_folder(akismet_sync_client, held):
    pipeline.check_comment(held, client=akismet_sync_client)
    assert held.status == Comment.Status.SPAM
    assert not held.is_discard


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.DISCARD)
def test_discard_is_spam_marked_for_early_purge(akismet_sync_client, held):
    pipeline.check_comment(held, client=akismet_sync_client)
    assert (held.status, held.is_discard) == (Comment.Status.SPAM, True)


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_a_moderators_decision_made_during_the_check_is_not_overturned(akismet_sync_client, held):
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.APPROVED)
    pipeline.check_comment(held, client=akismet_sync_client)
    assert held.status == Comment.Status.APPROVED
    assert held.spam_verdict == "spam"


def test_without_a_key_the_comment_is_held_and_rechecked_in_six_hours(held):
    now = timezone.now()
    result = pipeline.check_comment(held, client=api.get_client(), now=now)
    assert result.failure == api.Failure.NOT_CONFIGURED
    assert held.status == Comment.Status.PENDING
    assert held.next_check_at == now + timedelta(hours=6)


def test_after_fifteen_days_the_comment_waits_for_a_person(held):
    now = held.submitted_at + timedelta(days=15, minutes=1)
    pipeline.check_comment(held, client=None, now=now)
    assert held.status == Comment.Status.PENDING
    assert held.next_check_at is None
    assert events(held)[-1] == "gave-up"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_recheck_pass_takes_at_most_the_batch_size(akismet_sync_client, exercise, settings):
    settings.COMMENTS_RECHECK_BATCH = 3
    past = timezone.now() - timedelta(minutes=1)
    CommentFactory.create_batch(5, on=exercise, pending=True, next_check_at=past)
    checked = pipeline.recheck_due(client=akismet_sync_client)
    assert len(checked) == 3
    assert Comment.objects.due_for_recheck(timezone.now()).count() == 2


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_recheck_pass_skips_comments_not_yet_due(akismet_sync_client, exercise):
    CommentFactory(on=exercise, pending=True, next_check_at=timezone.now() + timedelta(minutes=5))
    assert pipeline.recheck_due(client=akismet_sync_client) == []


def test_a_comment_another_worker_claimed_is_not_checked_twice(held):
    due = timezone.now() - timedelta(minutes=1)
    Comment.objects.filter(pk=held.pk).update(next_check_at=due)
    held.refresh_from_db()
    assert pipeline.claim(held, field="next_check_at", now=timezone.now())
    assert not pipeline.claim(held, field="next_check_at", now=timezone.now())


def test_the_submission_carries_the_pages_modification_time(held, exercise):
    submission = pipeline.submission_for(held)
    assert submission.post_modified_gmt == exercise.updated_at
    assert submission.comment_type == "comment"
