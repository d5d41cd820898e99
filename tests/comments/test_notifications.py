"""E-mail: moderators for held comments, the page's author, and people waiting for replies."""

import akismet
import pytest

from comments import lifecycle, notifications, tasks

from .factories import CommentFactory, reply_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _moderators(settings):
    settings.COMMENTS_MODERATORS = ["editor@backcare.example.org"]
    settings.SITE_URL = "https://backcare.example.org"


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def check(comment, client, run_tasks):
    with run_tasks():
        tasks.check_now(comment, client=client)
        tasks.enqueue_on_commit(tasks.send_notifications, comment.pk)


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_moderators_get_one_email_for_a_held_comment(akismet_sync_client, exercise, mailoutbox, run_tasks):
    comment = CommentFactory(on=exercise, pending=True, name="Mair")
    check(comment, akismet_sync_client, run_tasks)
    notifications.send_due(comment)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["editor@backcare.example.org"]
    assert mailoutbox[0].subject == "[BackCare] Please moderate a comment on “Knee walking”"
    assert f"https://backcare.example.org/admin/comments/comment/{comment.pk}/change/" in mailoutbox[0].body
    assert "first comment from this e-mail address" in mailoutbox[0].body


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_moderators_get_no_email_for_spam(akismet_sync_client, exercise, mailoutbox, run_tasks):
    check(CommentFactory(on=exercise, pending=True), akismet_sync_client, run_tasks)
    assert mailoutbox == []


def test_moderators_hear_about_a_failed_check_once_however_often_it_fails(exercise, mailoutbox, run_tasks):
    comment = CommentFactory(on=exercise, pending=True)
    check(comment, None, run_tasks)
    check(comment, None, run_tasks)
    assert len(mailoutbox) == 1
    assert "not-configured" in mailoutbox[0].body


def test_no_email_before_the_check_has_run(exercise, mailoutbox):
    notifications.send_due(CommentFactory(on=exercise, pending=True))
    assert mailoutbox == []


def test_a_subscriber_hears_when_a_reply_is_approved_with_an_unsubscribe_link(
    exercise, mailoutbox, run_tasks
):
    parent = CommentFactory(on=exercise, name="Gwen", email="gwen@example.org", subscribed=True)
    reply = reply_to(parent, name="Lesley", email="lesley@example.org", pending=True)
    with run_tasks():
        lifecycle.approve([reply], actor=None)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["gwen@example.org"]
    assert message.subject == "[BackCare] Lesley replied to your comment on “Knee walking”"
    assert "https://backcare.example.org/comments/unsubscribe/" in message.body
    assert f"https://backcare.example.org/exercises/knee-walking/#comment-{reply.pk}" in message.body


def test_no_reply_email_to_someone_who_did_not_ask(exercise, mailoutbox, run_tasks):
    parent = CommentFactory(on=exercise, subscribed=False)
    with run_tasks():
        lifecycle.approve([reply_to(parent, pending=True)], actor=None)
    assert mailoutbox == []


def test_no_reply_email_for_answering_yourself(exercise, mailoutbox, run_tasks):
    parent = CommentFactory(on=exercise, email="gwen@example.org", subscribed=True)
    with run_tasks():
        lifecycle.approve([reply_to(parent, email="gwen@example.org", pending=True)], actor=None)
    assert mailoutbox == []


def test_approving_twice_sends_the_reply_email_once(exercise, mailoutbox, run_tasks):
    parent = CommentFactory(on=exercise, subscribed=True)
    reply = reply_to(parent, pending=True)
    with run_tasks():
        lifecycle.approve([reply], actor=None)
        lifecycle.trash([reply], actor=None)
        lifecycle.approve([reply], actor=None)
    assert len(mailoutbox) == 1


def test_the_pages_author_gets_approved_comments_when_it_names_one(
    exercise, mailoutbox, run_tasks, monkeypatch
):
    monkeypatch.setattr(type(exercise), "comments_author_email", "teacher@example.org", raising=False)
    comment = CommentFactory(on=exercise, pending=True, name="Tomos")
    with run_tasks():
        lifecycle.approve([comment], actor=None)
    assert [m.to for m in mailoutbox] == [["teacher@example.org"]]
    assert mailoutbox[0].subject == "[BackCare] New comment on “Knee walking”"


def test_the_author_gets_nothing_when_the_setting_is_off(
    exercise, mailoutbox, run_tasks, monkeypatch, settings
):
    settings.COMMENTS_NOTIFY_AUTHOR = False
    monkeypatch.setattr(type(exercise), "comments_author_email", "teacher@example.org", raising=False)
    with run_tasks():
        lifecycle.approve([CommentFactory(on=exercise, pending=True)], actor=None)
    assert mailoutbox == []


def test_sent_email_is_recorded_in_the_audit_history(exercise, mailoutbox, run_tasks):
    parent = CommentFactory(on=exercise, subscribed=True)
    reply = reply_to(parent, pending=True)
    with run_tasks():
        lifecycle.approve([reply], actor=None)
    assert reply.events.get(kind="notified").detail == {"sent": ["subscriber"]}


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_the_moderator_email_counts_the_queue_by_reason_including_too_fast(
    akismet_sync_client, exercise, mailoutbox, run_tasks
):
    CommentFactory(on=exercise, pending=True, held_reason="sent too fast after the page loaded")
    CommentFactory(on=exercise, pending=True, held_reason="sent too fast after the page loaded")
    comment = CommentFactory(on=exercise, pending=True, name="Mair")
    check(comment, akismet_sync_client, run_tasks)
    body = mailoutbox[0].body
    assert "- sent too fast after the page loaded: 2" in body
    assert "- first comment from this e-mail address: 1" in body
    assert "https://backcare.example.org/admin/comments/comment/?status__exact=pending" in body


def test_a_welsh_subscriber_hears_about_a_reply_in_welsh_with_links_to_the_welsh_pages(
    exercise, mailoutbox, run_tasks
):
    exercise.title_cy = "Cerdded y pengliniau"
    exercise.save()
    parent = CommentFactory(
        on=exercise, name="Gwen", email="gwen@example.org", subscribed=True, language="cy"
    )
    reply = reply_to(parent, name="Lesley", email="lesley@example.org", pending=True)
    with run_tasks():
        lifecycle.approve([reply], actor=None)

    message = mailoutbox[0]
    assert message.subject == "[BackCare] Mae Lesley wedi ateb eich sylw ar “Cerdded y pengliniau”"
    assert "Darllenwch ef ar y dudalen:" in message.body
    assert f"https://backcare.example.org/cy/exercises/knee-walking/#comment-{reply.pk}" in message.body
    assert "https://backcare.example.org/cy/comments/unsubscribe/" in message.body
