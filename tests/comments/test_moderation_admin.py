"""The moderation queue: actions, the Akismet report each makes, audit rows, counts and banners."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import tasks
from comments.models import Comment, CommentEvent

from .factories import CommentFactory, events
from .fake_akismet import LocalTransport, closed_port

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def act(editor_client, django_capture_on_commit_callbacks):
    def run(action: str, *comments: Comment):
        with django_capture_on_commit_callbacks(execute=True):
            return editor_client.post(
                CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True
            )

    return run


@pytest.fixture
def akismet(akismet_via, fake_akismet):
    akismet_via(fake_akismet.transport())
    return fake_akismet


def test_approve_publishes_without_telling_akismet_when_it_agreed(act, akismet, exercise, editor):
    comment = CommentFactory(on=exercise, pending=True, spam_verdict="ham")
    act("approve", comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert akismet.received == []
    event = comment.events.get(kind="approved")
    assert (event.actor, event.detail["previous"]) == (editor, "pending")


def test_spam_on_a_comment_akismet_passed_sends_submit_spam(act, akismet, exercise):
    comment = CommentFactory(on=exercise, pending=True, spam_verdict="ham")
    act("mark_spam", comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert akismet.paths() == ["/1.1/submit-spam"]
    assert akismet.last.fields["comment_content"] == comment.text
    assert events(comment) == ["spam", "reported"]


def test_spam_on_a_comment_akismet_already_called_spam_sends_nothing(act, akismet, exercise):
    comment = CommentFactory(on=exercise, pending=True, spam_verdict="spam")
    act("mark_spam", comment)
    assert akismet.received == []


def test_not_spam_sends_submit_ham_and_then_approves(act, akismet, exercise):
    comment = CommentFactory(on=exercise, spam=True)
    act("mark_not_spam", comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert akismet.paths() == ["/1.1/submit-ham"]
    assert events(comment) == ["not-spam", "reported"]


def test_trash_hides_the_comment_and_tells_akismet_nothing(act, akismet, exercise):
    comment = CommentFactory(on=exercise)
    act("trash", comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.TRASH
    assert akismet.received == []
    assert events(comment) == ["trash"]


def test_a_failed_report_never_blocks_the_moderator_and_is_retried(
    act, akismet_via, exercise, fake_akismet, django_capture_on_commit_callbacks
):
    akismet_via(LocalTransport(closed_port()))
    comment = CommentFactory(on=exercise, pending=True, spam_verdict="ham")
    response = act("mark_spam", comment)
    comment.refresh_from_db()
    assert response.status_code == 200
    assert comment.status == Comment.Status.SPAM
    assert comment.pending_report == "spam"
    assert events(comment) == ["spam", "report-failed"]

    akismet_via(fake_akismet.transport())
    Comment.objects.filter(pk=comment.pk).update(next_report_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.recheck_comments.call()
    comment.refresh_from_db()
    assert comment.pending_report == ""
    assert fake_akismet.paths() == ["/1.1/submit-spam"]


def test_the_changelist_counts_comments_per_status(editor_client, exercise):
    CommentFactory.create_batch(2, on=exercise, pending=True)
    CommentFactory(on=exercise)
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Pending: 2" in html
    assert "Approved: 1" in html
    assert "Spam: 0" in html


def test_blatant_spam_is_left_out_of_the_default_queue(editor_client, exercise):
    CommentFactory(on=exercise, spam=True, is_discard=True, text="blatant pills")
    CommentFactory(on=exercise, spam=True, text="ordinary pills")
    html = editor_client.get(CHANGELIST).content.decode()
    assert "ordinary pills" in html
    assert "blatant pills" not in html
    assert "blatant pills" in editor_client.get(CHANGELIST + "?blatant=only").content.decode()


def test_the_changelist_links_each_comment_to_its_page(editor_client, exercise):
    CommentFactory(on=exercise)
    html = editor_client.get(CHANGELIST).content.decode()
    assert '<a href="/exercises/knee-walking/">Knee walking</a>' in html


def test_search_finds_comments_by_email(editor_client, exercise):
    CommentFactory(on=exercise, email="findme@example.org", text="found it")
    CommentFactory(on=exercise, text="not this one")
    html = editor_client.get(CHANGELIST + "?q=findme@example.org").content.decode()
    assert "found it" in html
    assert "not this one" not in html


def test_the_comment_page_shows_its_audit_history(editor_client, exercise, editor):
    comment = CommentFactory(on=exercise)
    CommentEvent.objects.create(comment=comment, kind="approved", actor=editor)
    html = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()
    assert "history" in html.lower()
    assert "Approved" in html


def test_the_banner_warns_when_akismet_is_not_configured(editor_client):
    for url in (CHANGELIST, reverse("admin:index")):
        assert "Akismet is not set up" in editor_client.get(url).content.decode()


def test_the_banner_warns_when_the_last_check_failed(editor_client, exercise, configured_akismet):
    comment = CommentFactory(on=exercise, pending=True)
    CommentEvent.objects.create(comment=comment, kind="check-failed", detail={"failure": "timeout"})
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "The last spam check failed (timeout" in html
    assert "Akismet is not set up" not in html


def test_no_banner_when_akismet_is_configured_and_the_last_check_worked(
    editor_client, exercise, configured_akismet
):
    comment = CommentFactory(on=exercise)
    CommentEvent.objects.create(comment=comment, kind="check-failed", detail={"failure": "timeout"})
    CommentEvent.objects.create(comment=comment, kind="checked", detail={"verdict": "ham"})
    assert "comments-banner" not in editor_client.get(CHANGELIST).content.decode()


def test_the_admin_pages_use_no_inline_styles_or_scripts(editor_client, exercise):
    comment = CommentFactory(on=exercise)
    for url in (CHANGELIST, reverse("admin:comments_comment_change", args=[comment.pk])):
        html = editor_client.get(url).content.decode()
        assert " style=" not in html
        assert "<script>" not in html
