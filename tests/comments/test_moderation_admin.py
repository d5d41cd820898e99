"""The moderation queue: actions, the Akismet report each makes, audit rows, counts and banners."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from akismet_service import api
from comments import tasks
from comments.models import Comment, CommentEvent
from tests.fake_akismet import LocalTransport, closed_port

from .factories import CommentFactory, events

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


@pytest.mark.parametrize(
    ("action", "english", "welsh"),
    [
        ("approve", "2 comments approved.", "Cymeradwywyd 2 sylw."),
        ("mark_spam", "2 comments marked as spam.", "Marciwyd 2 sylw yn sbam."),
        ("mark_not_spam", "2 comments marked as not spam.", "Marciwyd 2 sylw: nid sbam."),
        ("trash", "2 comments moved to trash.", "Symudwyd 2 sylw i’r sbwriel."),
    ],
)
def test_a_moderator_using_the_welsh_admin_is_told_what_an_action_did_in_welsh(
    act, editor_client, akismet, exercise, action, english, welsh
):
    editor_client.post(reverse("admin_language"), {"language": "cy"})
    comments = CommentFactory.create_batch(2, on=exercise, pending=True, spam_verdict="spam")
    page = act(action, *comments).content.decode()
    assert welsh in page
    assert english not in page


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
    CommentEvent.objects.record(comment, CommentEvent.Kind.REPORTED, actor=editor, report="submit-spam")
    html = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()
    history = html[html.index('id="events-group"') :]
    assert "Reported to Akismet" in history
    assert "submit-spam" in history
    assert editor.username in history


def change_form(comment: Comment, **changes: str) -> dict[str, str]:
    """What the comment's change form posts, with ``changes``."""
    return {
        "status": comment.status,
        "name": comment.name,
        "url": comment.url,
        "text": comment.text,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        **changes,
    }


def test_pending_is_not_offered_to_a_moderator_for_a_decided_comment(editor_client, exercise):
    comment = CommentFactory(on=exercise)
    html = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()
    status_select = html[html.index('name="status"') : html.index("</select>", html.index('name="status"'))]
    assert 'value="approved"' in status_select
    assert 'value="pending"' not in status_select


def test_choosing_pending_is_refused_with_a_message_not_silently_undone(editor_client, exercise):
    comment = CommentFactory(on=exercise, text="Keep my words", name="Gwen")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = editor_client.post(url, change_form(comment, status="pending", text="Keep my words, edited"))
    assert response.status_code == 200
    assert "cannot be put back to Pending" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.text == "Keep my words"


def test_changing_the_status_in_the_form_goes_through_the_moderation_decision(
    editor_client, exercise, editor
):
    comment = CommentFactory(on=exercise, name="Gwen", spam_verdict="ham")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = editor_client.post(url, change_form(comment, status="spam"))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert comment.pending_report == Comment.Report.SPAM
    assert CommentEvent.objects.filter(comment=comment, kind="spam", actor=editor).exists()


def test_the_banner_warns_when_akismet_is_not_configured(editor_client):
    for url in (CHANGELIST, reverse("admin:index")):
        assert "Akismet is not set up" in editor_client.get(url).content.decode()


def test_the_banner_warns_when_the_last_check_failed(editor_client, exercise, akismet_via):
    comment = CommentFactory(on=exercise, pending=True)
    akismet_via(LocalTransport(closed_port()))
    with api.connect() as (client, alerts):
        tasks.check_now(comment, client=client, alerts=alerts)
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "The last spam check failed (unreachable" in html
    assert "Akismet is not set up" not in html


def test_no_banner_once_akismet_answers_again_after_a_failure(
    editor_client, exercise, configured_akismet, fake_akismet, monkeypatch
):
    first, second = CommentFactory(on=exercise, pending=True), CommentFactory(on=exercise, pending=True)
    with api.connect(transport=LocalTransport(closed_port())) as (client, alerts):
        tasks.check_now(first, client=client, alerts=alerts)
    assert "comments-banner" in editor_client.get(CHANGELIST).content.decode()
    fake_akismet.ham()
    with api.connect(transport=fake_akismet.transport()) as (client, alerts):
        tasks.check_now(second, client=client, alerts=alerts)
    assert "comments-banner" not in editor_client.get(CHANGELIST).content.decode()


def test_the_admin_pages_use_no_inline_styles_or_scripts(editor_client, exercise):
    comment = CommentFactory(on=exercise)
    for url in (CHANGELIST, reverse("admin:comments_comment_change", args=[comment.pk])):
        html = editor_client.get(url).content.decode()
        assert " style=" not in html
        assert "<script>" not in html
