"""comments/verdicts.py: what each Akismet answer does to a comment, driven by the akismet library's
own test clients (pytest plugin) through ``tasks.check_now``."""

from datetime import timedelta

import akismet
import pytest
from django.utils import timezone

from akismet_service import api
from comments import tasks
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
    tasks.check_now(held, client=akismet_sync_client)
    assert held.status == Comment.Status.APPROVED
    assert events(held) == ["checked", "approved"]


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_from_a_first_time_commenter_is_held(akismet_sync_client, held):
    tasks.check_now(held, client=akismet_sync_client)
    assert held.status == Comment.Status.PENDING
    assert held.held_reason == "first comment from this e-mail address"
    assert held.spam_verdict == "ham"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_first_time_commenters_are_published_when_the_rule_is_off(akismet_sync_client, held, settings):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    tasks.check_now(held, client=akismet_sync_client)
    assert held.status == Comment.Status.APPROVED


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_with_two_links_is_held(akismet_sync_client, held, returning):
    held.text = "See https://one.example.org and www.two.example.org"
    held.save()
    tasks.check_now(held, client=akismet_sync_client)
    assert held.status == Comment.Status.PENDING
    assert held.held_reason == "2 or more links"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_with_a_moderation_word_is_held(akismet_sync_client, held, returning, settings):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]
    held.text = "My Casino night left my back sore."
    held.save()
    tasks.check_now(held, client=akismet_sync_client)
    assert held.held_reason == "contains a moderation word"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_spam_is_moved_to_the_spam_folder(akismet_sync_client, held):
    tasks.check_now(held, client=akismet_sync_client)
    assert held.status == Comment.Status.SPAM
    assert not held.is_discard


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.DISCARD)
def test_discard_is_spam_marked_for_early_purge(akismet_sync_client, held):
    tasks.check_now(held, client=akismet_sync_client)
    assert (held.status, held.is_discard) == (Comment.Status.SPAM, True)


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_a_moderators_decision_made_during_the_check_is_not_overturned(akismet_sync_client, held):
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.APPROVED)
    tasks.check_now(held, client=akismet_sync_client)
    assert held.status == Comment.Status.APPROVED
    assert held.spam_verdict == "spam"


def test_without_a_key_the_comment_is_held_and_rechecked_in_six_hours(held):
    now = timezone.now()
    result = tasks.check_now(held, client=api.get_client(), now=now)
    assert result.failure == api.Failure.NOT_CONFIGURED
    assert held.status == Comment.Status.PENDING
    assert held.next_check_at == now + timedelta(hours=6)


def test_after_fifteen_days_the_comment_waits_for_a_person(held):
    now = held.submitted_at + timedelta(days=15, minutes=1)
    tasks.check_now(held, client=None, now=now)
    assert held.status == Comment.Status.PENDING
    assert held.next_check_at is None
    assert events(held)[-1] == "gave-up"
