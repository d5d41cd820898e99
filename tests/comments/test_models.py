"""Comment threads, querysets, closing, the system check, the demo and the commands."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils import timezone

from akismet_service import api, checks
from comments import demo, targets
from comments.models import Comment, CommentSettings

from .factories import CommentFactory, reply_to

pytestmark = pytest.mark.django_db


def test_a_reply_takes_its_depth_and_thread_from_its_parent(exercise):
    top = CommentFactory(on=exercise)
    second = reply_to(top)
    third = reply_to(second)
    assert (second.depth, third.depth) == (2, 3)
    assert third.root_id == top.pk


def test_the_database_refuses_a_fourth_level(exercise):
    third = reply_to(reply_to(CommentFactory(on=exercise)))
    with pytest.raises(IntegrityError):
        reply_to(third)


def test_deleting_a_comment_never_takes_the_replies_with_it(exercise):
    top = CommentFactory(on=exercise)
    reply_to(top)
    with pytest.raises(ProtectedError):
        top.delete()


def test_for_object_and_approved_select_one_pages_published_comments(exercise):
    mine = CommentFactory(on=exercise)
    CommentFactory(on=exercise, pending=True)
    CommentFactory()
    assert list(Comment.objects.for_object(exercise).approved()) == [mine]


def test_a_hidden_comment_with_an_approved_reply_stays_as_a_removed_placeholder(client, exercise):
    top = CommentFactory(on=exercise, text="this one was spam")
    reply_to(top, text="a genuine answer")
    Comment.objects.filter(pk=top.pk).update(status=Comment.Status.TRASH)
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "This comment has been removed." in html
    assert "a genuine answer" in html
    assert "this one was spam" not in html


def test_comments_are_open_by_default(exercise):
    assert targets.comments_open(exercise)


def test_an_editor_can_close_comments_on_one_page(client, exercise):
    CommentSettings.objects.create(target=exercise, closed=True)
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "Comments are closed on this page." in html
    assert 'id="comment-form"' not in html


def test_auto_close_reads_the_pages_publication_date(exercise, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    assert not targets.closed_by_age(exercise, now=exercise.published_at + timedelta(days=29))
    assert targets.closed_by_age(exercise, now=exercise.published_at + timedelta(days=31))


def test_a_page_without_a_publication_date_never_closes_by_age(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    assert not targets.closed_by_age(object())


def test_the_system_check_warns_when_akismet_is_not_configured():
    assert [message.id for message in checks.akismet_configured(None)] == ["akismet_service.W001"]


def test_the_system_check_is_quiet_when_akismet_is_configured(configured_akismet):
    assert checks.akismet_configured(None) == []


def test_akismet_verify_fails_clearly_without_a_key():
    with pytest.raises(CommandError, match="not-configured"):
        call_command("akismet_verify")


def test_akismet_verify_confirms_a_valid_key(configured_akismet, fake_akismet, monkeypatch, capsys):
    real_get_client = api.get_client
    monkeypatch.setattr(api, "get_client", lambda **kw: real_get_client(transport=fake_akismet.transport()))
    fake_akismet.answer("valid")
    call_command("akismet_verify")
    assert "Akismet accepts the key" in capsys.readouterr().out


def test_recheck_comments_command_rechecks_due_comments(exercise, capsys):
    comment = CommentFactory(on=exercise, pending=True, next_check_at=timezone.now() - timedelta(minutes=1))
    call_command("recheck_comments")
    comment.refresh_from_db()
    assert comment.check_attempts == 1
    assert "Re-checked or reported 1" in capsys.readouterr().out


def test_the_demo_loads_once_however_often_it_runs(exercise):
    demo.load(exercise)
    comments = demo.load(exercise)
    assert Comment.objects.count() == len(comments) == 5
    assert Comment.objects.filter(status="pending").count() == 1
    assert Comment.objects.filter(status="spam").count() == 1
    assert Comment.objects.filter(parent__isnull=False).count() == 1


def test_the_privacy_page_explains_comments_and_akismet(client):
    html = client.get("/privacy/").content.decode()
    assert 'id="comments"' in html
    assert "Akismet" in html


def test_the_privacy_page_states_the_comment_periods_from_the_settings(client, settings):
    settings.COMMENTS_KEEP_IP_DAYS = 45
    settings.COMMENTS_KEEP_SPAM_DAYS = 21
    settings.COMMENTS_KEEP_DISCARD_DAYS = 2
    settings.COMMENTS_KEEP_TRASH_DAYS = 40
    html = " ".join(client.get("/privacy/").content.decode().split())
    assert "Your IP address and browser description: 45 days, then deleted." in html
    assert "Comments marked as spam: 21 days after they were marked, then deleted." in html
    assert "Blatant spam: 2 days, then deleted." in html
    assert "moved to the bin by a moderator: 40 days after they were moved, then deleted." in html
