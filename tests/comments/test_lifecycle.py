"""comments/lifecycle.py: every status change, who may file a comment as spam, and the audit rows."""

from datetime import timedelta

import akismet
import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.tasks import task_backends
from django.utils import timezone

from comments import lifecycle, privacy, rules, tasks
from comments.models import Comment, CommentEvent
from tests.factories import UserFactory

from .factories import CommentFactory, events

pytestmark = pytest.mark.django_db


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def returning(exercise):
    """Gwen has had a comment approved before, so the first-time rule does not hold her."""
    return CommentFactory(on=exercise, email="gwen@example.org")


@pytest.fixture
def teacher_login():
    return UserFactory(username="lesley", first_name="Lesley", last_name="Jones", is_staff=True)


@pytest.fixture
def editor_login():
    user = UserFactory(username="editor-rhian", first_name="Rhian", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_comment"))
    return user


# --- Received ----------------------------------------------------------------


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_too_fast_comment_akismet_calls_ham_still_waits_for_a_person(
    akismet_sync_client, exercise, returning
):
    comment = lifecycle.receive(
        CommentFactory.build(on=exercise, email="gwen@example.org", status=Comment.Status.APPROVED),
        doubt=rules.Doubt(rules.TOO_FAST, kind=CommentEvent.Kind.TOO_FAST),
    )
    tasks.check_now(comment, client=akismet_sync_client)
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == rules.TOO_FAST
    assert events(comment) == ["posted", "too-fast", "checked", "held"]


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_only_akismets_verdict_files_a_doubted_comment_as_spam(akismet_sync_client, exercise):
    comment = lifecycle.receive(
        CommentFactory.build(on=exercise), doubt=rules.Doubt(rules.TOO_FAST, kind=CommentEvent.Kind.TOO_FAST)
    )
    assert comment.status == Comment.Status.PENDING
    tasks.check_now(comment, client=akismet_sync_client)
    assert comment.status == Comment.Status.SPAM


def enqueued_by(monkeypatch) -> list[tuple[object, tuple]]:
    """What the lifecycle enqueues from now on: (task, arguments) pairs."""
    enqueued = []
    monkeypatch.setattr(tasks, "enqueue_on_commit", lambda work, *args, **_kw: enqueued.append((work, args)))
    return enqueued


def test_a_received_comment_is_saved_pending_and_its_check_enqueued(exercise, monkeypatch):
    enqueued = enqueued_by(monkeypatch)
    comment = lifecycle.receive(CommentFactory.build(on=exercise, status=Comment.Status.APPROVED))
    assert comment.status == Comment.Status.PENDING
    assert enqueued == [(tasks.check_comment, (comment.pk,))]
    assert events(comment) == ["posted"]


def test_a_signed_in_teacher_is_published_at_once_with_a_teacher_badge(exercise, teacher_login, monkeypatch):
    enqueued = enqueued_by(monkeypatch)
    comment = lifecycle.receive(CommentFactory.build(on=exercise, name="Lesley"), user=teacher_login)
    assert (comment.status, comment.badge, comment.user) == ("approved", "teacher", teacher_login)
    assert enqueued == [(tasks.send_notifications, (comment.pk,))]  # published: no check
    assert CommentEvent.objects.get(comment=comment, kind="approved").actor == teacher_login


def test_a_signed_in_moderator_carries_the_backcare_badge(exercise, editor_login):
    comment = lifecycle.receive(CommentFactory.build(on=exercise), user=editor_login)
    assert (comment.status, comment.badge) == ("approved", "backcare")


def test_a_signed_in_reader_who_is_not_staff_gets_no_badge_and_is_checked(exercise):
    reader = UserFactory(username="reader")
    comment = lifecycle.receive(CommentFactory.build(on=exercise), user=reader)
    assert (comment.status, comment.badge, comment.user) == ("pending", "", reader)


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Someone", "LESLEY@backcare.example.org"),
        ("Lesley Jones", "reader@example.org"),
        ("Lesley (teacher)", "reader@example.org"),
        ("lesley", "reader@example.org"),
    ],
)
@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_anonymous_visitor_using_a_staff_name_or_email_is_held_with_that_reason(
    akismet_sync_client, exercise, teacher_login, name, email
):
    CommentFactory(on=exercise, email=email)  # not a first-time commenter
    comment = lifecycle.receive(CommentFactory.build(on=exercise, name=name, email=email))
    tasks.check_now(comment, client=akismet_sync_client)
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == rules.STAFF_IDENTITY
    assert comment.badge == ""


def test_a_visitor_with_a_different_name_is_not_taken_for_staff(exercise, teacher_login):
    assert not rules.uses_staff_identity(name="Lesley Evans", email="lesley.evans@example.org")


def test_the_staff_badge_is_shown_beside_the_name_on_the_page(client, exercise, teacher_login):
    lifecycle.receive(
        CommentFactory.build(on=exercise, name="Lesley", text="Keep it small."), user=teacher_login
    )
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert '<span class="comment__badge">Teacher</span>' in html


# --- Decided by a person -----------------------------------------------------


@pytest.mark.parametrize(
    ("decide", "status", "kind"),
    [
        (lifecycle.approve, "approved", "approved"),
        (lifecycle.mark_spam, "spam", "spam"),
        (lifecycle.mark_not_spam, "approved", "not-spam"),
        (lifecycle.trash, "trash", "trash"),
    ],
)
def test_each_moderator_decision_changes_the_status_and_writes_one_audit_row(
    exercise, editor, decide, status, kind
):
    comment = CommentFactory(on=exercise, pending=True, submitted_at=days_ago(3))
    assert decide([comment], actor=editor) == 1
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.status_changed_at > days_ago(0.01)
    row = CommentEvent.objects.get(comment=comment)
    assert (row.kind, row.actor, row.detail["previous"]) == (kind, editor, "pending")


def test_a_decision_that_changes_nothing_writes_nothing(exercise, editor):
    comment = CommentFactory(on=exercise)
    assert lifecycle.approve([comment], actor=editor) == 0
    assert events(comment) == []


# --- Purged ------------------------------------------------------------------


def test_an_old_approved_comment_marked_spam_today_is_kept_for_the_whole_spam_period(
    exercise, editor, settings
):
    comment = CommentFactory(on=exercise, submitted_at=days_ago(400))
    lifecycle.mark_spam([comment], actor=editor)
    privacy.purge()
    assert Comment.objects.filter(pk=comment.pk).exists()
    privacy.purge(now=timezone.now() + timedelta(days=settings.COMMENTS_KEEP_SPAM_DAYS - 1))
    assert Comment.objects.filter(pk=comment.pk).exists()
    privacy.purge(now=timezone.now() + timedelta(days=settings.COMMENTS_KEEP_SPAM_DAYS + 1))
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_mistake_undone_within_the_period_is_never_purged(exercise, editor, settings):
    comment = CommentFactory(on=exercise, submitted_at=days_ago(400))
    lifecycle.mark_spam([comment], actor=editor)
    lifecycle.mark_not_spam([comment], actor=editor)
    privacy.purge(now=timezone.now() + timedelta(days=settings.COMMENTS_KEEP_SPAM_DAYS + 1))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_trash_is_deleted_its_period_after_it_was_moved_there(exercise, editor, settings):
    settings.COMMENTS_KEEP_TRASH_DAYS = 30
    comment = CommentFactory(on=exercise, submitted_at=days_ago(100))
    lifecycle.trash([comment], actor=editor)
    privacy.purge(now=timezone.now() + timedelta(days=29))
    assert Comment.objects.filter(pk=comment.pk).exists()
    privacy.purge(now=timezone.now() + timedelta(days=31))
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_emptying_old_spam_that_has_replies_is_recorded_in_its_history(exercise):
    from .factories import reply_to

    parent = CommentFactory(on=exercise, spam=True, submitted_at=days_ago(20))
    reply_to(parent)
    privacy.purge()
    assert events(parent) == ["purged"]
    privacy.purge()
    assert events(parent) == ["purged"]


# --- The sweep -----------------------------------------------------------------


def test_a_comment_whose_check_task_failed_to_enqueue_is_still_saved(post_comment, exercise, monkeypatch):
    def broken_enqueue(*args, **kwargs):
        raise ConnectionError("the task queue is down")

    monkeypatch.setattr(task_backends["default"], "enqueue", broken_enqueue)
    response = post_comment(exercise, text="Is a carpet soft enough?")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.status, comment.next_check_at, comment.check_attempts) == ("pending", None, 0)


def test_the_sweep_checks_a_stranded_comment_and_emails_the_moderators(
    exercise, settings, capsys, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MODERATORS = ["editor@backcare.example.org"]
    stranded = CommentFactory(on=exercise, pending=True, submitted_at=days_ago(1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recheck_comments")
    stranded.refresh_from_db()
    assert stranded.check_attempts == 1  # no key here: the check failed, and a re-check is scheduled
    assert stranded.next_check_at is not None
    assert [message.to for message in mail.outbox] == [["editor@backcare.example.org"]]
    assert "Re-checked or reported 1" in capsys.readouterr().out


def test_the_sweep_leaves_a_comment_posted_moments_ago_to_its_own_task(exercise):
    fresh = CommentFactory(on=exercise, pending=True)
    assert tasks.sweep_stranded(client=None) == []
    fresh.refresh_from_db()
    assert fresh.check_attempts == 0


def test_the_sweep_leaves_comments_that_were_checked_or_are_scheduled(exercise):
    CommentFactory(on=exercise, pending=True, submitted_at=days_ago(1), checked_at=days_ago(1))
    CommentFactory(on=exercise, pending=True, submitted_at=days_ago(1), next_check_at=timezone.now())
    CommentFactory(on=exercise, pending=True, submitted_at=days_ago(1), check_attempts=3)
    assert tasks.sweep_stranded(client=None) == []
