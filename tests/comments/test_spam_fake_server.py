"""Every Akismet answer, through the real akismet.SyncClient talking to a fake server on 127.0.0.1."""

from datetime import timedelta

import pytest
from django.utils import timezone

from akismet_service import api
from comments import spam, tasks
from comments.models import Comment
from tests.fake_akismet import LocalTransport, closed_port, real_client

from .factories import CommentFactory, events, reply_to

pytestmark = pytest.mark.django_db

WORDPRESS_FIELDS = {
    "api_key",
    "blog",
    "user_ip",
    "user_agent",
    "referrer",
    "permalink",
    "comment_type",
    "comment_author",
    "comment_author_email",
    "comment_author_url",
    "comment_content",
    "comment_date_gmt",
    "comment_post_modified_gmt",
    "blog_lang",
    "blog_charset",
    "honeypot_field_name",
}


@pytest.fixture
def held(exercise):
    return CommentFactory(on=exercise, pending=True, url="https://gwen.example.org/")


def check(comment, fake, **kwargs):
    with real_client(fake.transport()) as (client, alerts):
        return tasks.check_now(comment, client=client, alerts=alerts, **kwargs)


def test_comment_check_sends_the_full_context_wordpress_sends(configured_akismet, fake_akismet, held):
    check(held, fake_akismet)

    received = fake_akismet.last
    assert received.path == "/1.1/comment-check"
    assert set(received.fields) >= WORDPRESS_FIELDS
    assert received.fields["user_ip"] == "192.0.2.10"
    assert received.fields["comment_type"] == "comment"
    assert received.fields["comment_author_email"] == held.email
    assert received.fields["comment_author_url"] == "https://gwen.example.org/"
    assert received.fields["honeypot_field_name"] == "your_phone"
    assert received.fields["blog_lang"] == "en_gb"
    assert received.fields["blog_charset"] == "UTF-8"
    assert received.fields["comment_date_gmt"].endswith("+00:00")
    assert "recheck_reason" not in received.fields
    assert "is_test" not in received.fields


def test_a_reply_is_checked_as_comment_type_reply(configured_akismet, fake_akismet, exercise):
    parent = CommentFactory(on=exercise)
    check(reply_to(parent, status=Comment.Status.PENDING), fake_akismet)
    assert fake_akismet.last.fields["comment_type"] == "reply"


def test_is_test_is_sent_when_configured(configured_akismet, fake_akismet, held, settings):
    settings.AKISMET_IS_TEST = True
    check(held, fake_akismet)
    assert fake_akismet.last.fields["is_test"] == "true"


def test_ham_from_a_returning_commenter_is_approved(configured_akismet, fake_akismet, held, exercise):
    CommentFactory(on=exercise, email=held.email)
    fake_akismet.ham()
    check(held, fake_akismet)
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    assert held.spam_verdict == "ham"


def test_spam_goes_to_the_spam_folder(configured_akismet, fake_akismet, held):
    fake_akismet.spam()
    check(held, fake_akismet)
    held.refresh_from_db()
    assert (held.status, held.is_discard) == (Comment.Status.SPAM, False)


def test_discard_is_spam_hidden_from_the_queue(configured_akismet, fake_akismet, held):
    fake_akismet.discard()
    check(held, fake_akismet)
    held.refresh_from_db()
    assert (held.status, held.is_discard) == (Comment.Status.SPAM, True)
    assert held not in Comment.objects.moderation_queue()


@pytest.mark.parametrize(
    ("answer", "failure"),
    [
        ({"body": "oops", "status": 500}, "server-error"),
        ({"body": "invalid"}, "invalid-key"),
        ({"body": "maybe"}, "unexpected-answer"),
        (
            {
                "body": "false",
                "headers": {"X-akismet-alert-code": "10003", "X-akismet-alert-msg": "Suspended"},
            },
            "alert",
        ),
    ],
)
def test_a_faulty_answer_keeps_the_comment_held_and_records_why(
    configured_akismet, fake_akismet, held, answer, failure
):
    fake_akismet.answer(**answer)
    result = check(held, fake_akismet)
    held.refresh_from_db()
    assert result.verdict == api.Verdict.UNKNOWN
    assert held.status == Comment.Status.PENDING
    assert held.last_failure_reason.startswith(failure)
    assert held.next_check_at is not None


def test_the_alert_code_is_captured_in_the_audit_row(configured_akismet, fake_akismet, held):
    fake_akismet.answer(
        "false", headers={"X-akismet-alert-code": "10003", "X-akismet-alert-msg": "Suspended"}
    )
    check(held, fake_akismet)
    event = held.events.get(kind="check-failed")
    assert event.detail["alert_code"] == "10003"
    assert event.detail["alert_message"] == "Suspended"


def test_a_slow_akismet_times_out_and_the_comment_stays_held(
    configured_akismet, fake_akismet, held, settings
):
    settings.AKISMET_TIMEOUT = 0.2
    fake_akismet.answer("false", delay=1.0)
    result = check(held, fake_akismet)
    held.refresh_from_db()
    assert result.failure == api.Failure.TIMEOUT
    assert held.status == Comment.Status.PENDING


def test_an_unreachable_akismet_schedules_a_recheck_in_twenty_minutes(configured_akismet, held):
    now = timezone.now()
    with real_client(LocalTransport(closed_port())) as (client, alerts):
        result = tasks.check_now(held, client=client, alerts=alerts, now=now)
    held.refresh_from_db()
    assert result.failure == api.Failure.UNREACHABLE
    assert held.next_check_at == now + timedelta(minutes=20)
    assert held.first_failure_reason.startswith("unreachable")


def test_a_key_problem_schedules_the_recheck_in_six_hours(configured_akismet, fake_akismet, held):
    now = timezone.now()
    fake_akismet.answer("invalid")
    check(held, fake_akismet, now=now)
    held.refresh_from_db()
    assert held.next_check_at == now + timedelta(hours=6)


def test_after_an_outage_the_recheck_sends_recheck_reason_and_approves(
    configured_akismet, fake_akismet, held, exercise
):
    CommentFactory(on=exercise, email=held.email)
    fake_akismet.answer("down", status=503)
    check(held, fake_akismet)
    held.refresh_from_db()
    fake_akismet.ham()

    with real_client(fake_akismet.transport()) as (client, alerts):
        rechecked = tasks.recheck_due(client=client, alerts=alerts, now=held.next_check_at)

    held.refresh_from_db()
    assert rechecked == [held]
    assert fake_akismet.last.fields["recheck_reason"] == "recheck_queue"
    assert held.status == Comment.Status.APPROVED
    assert held.first_failure_reason.startswith("server-error")
    assert events(held)[-2:] == ["rechecked", "approved"]


def test_the_recheck_pass_runs_through_the_task_with_the_real_client(
    akismet_via, fake_akismet, held, django_capture_on_commit_callbacks
):
    Comment.objects.filter(pk=held.pk).update(next_check_at=timezone.now() - timedelta(minutes=1))
    akismet_via(fake_akismet.transport())
    fake_akismet.spam()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.recheck_comments.enqueue()
    held.refresh_from_db()
    assert held.status == Comment.Status.SPAM
    assert fake_akismet.paths() == ["/1.1/comment-check"]


def test_submit_spam_reaches_akismet_with_the_comment(configured_akismet, fake_akismet, held):
    with real_client(fake_akismet.transport()) as (client, _alerts):
        outcome = api.submit_spam(spam.submission_for(held), client=client)
    assert outcome.sent
    assert fake_akismet.last.path == "/1.1/submit-spam"
    assert fake_akismet.last.fields["comment_content"] == held.text


def test_a_failed_submit_reports_the_failure_instead_of_raising(configured_akismet, fake_akismet, held):
    fake_akismet.answer("error", status=502)
    with real_client(fake_akismet.transport()) as (client, _alerts):
        outcome = api.submit_ham(spam.submission_for(held), client=client)
    assert (outcome.sent, outcome.failure) == (False, api.Failure.SERVER_ERROR)


def test_verify_key_accepts_a_valid_key(configured_akismet, fake_akismet):
    fake_akismet.answer("valid")
    with real_client(fake_akismet.transport()) as (client, _alerts):
        assert api.verify_key(client=client).failure is None
    assert fake_akismet.last.path == "/1.1/verify-key"


def test_verify_key_reports_an_invalid_key(configured_akismet, fake_akismet):
    fake_akismet.answer("invalid")
    with real_client(fake_akismet.transport()) as (client, _alerts):
        assert api.verify_key(client=client).failure == api.Failure.INVALID_KEY


def test_the_akismet_api_url_setting_sends_checks_to_another_server(fake_akismet, settings, monkeypatch):
    monkeypatch.setenv("PYTHON_AKISMET_API_KEY", "test-key")
    settings.AKISMET_API_URL = f"http://127.0.0.1:{fake_akismet.port}"
    fake_akismet.spam()
    client = api.get_client()
    try:
        result = api.check(api.Submission(user_ip="203.0.113.9", content="Cheap pills"), client=client)
    finally:
        api.close(client)
    assert result.verdict == api.Verdict.SPAM
    assert fake_akismet.last.fields["comment_content"] == "Cheap pills"


def test_a_welsh_comment_on_a_welsh_page_is_shown_there_and_akismet_hears_it_is_welsh(
    akismet_via, fake_akismet, exercise, post_comment, client, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    fake_akismet.ham()
    akismet_via(fake_akismet.transport())

    response = post_comment(exercise, language="cy", text="Diolch, mae hyn wedi helpu fy nghefn yn fawr.")

    assert response.status_code == 302
    assert response["Location"].startswith("/cy/exercises/knee-walking/#comment-")
    assert fake_akismet.last.fields["blog_lang"] == "cy"
    assert fake_akismet.last.fields["permalink"].endswith("/cy/exercises/knee-walking/")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.language == "cy"
    page = client.get("/cy/exercises/knee-walking/").content.decode()
    assert '<div class="comment__text" lang="cy"><p>Diolch, mae hyn wedi helpu fy nghefn yn fawr.</p>' in page


def test_an_english_comment_tells_akismet_the_page_is_british_english(
    akismet_via, fake_akismet, exercise, post_comment
):
    fake_akismet.ham()
    akismet_via(fake_akismet.transport())

    post_comment(exercise)

    assert fake_akismet.last.fields["blog_lang"] == "en_gb"


def test_the_submission_carries_the_pages_modification_time(held, exercise):
    submission = spam.submission_for(held)
    assert submission.post_modified_gmt == exercise.updated_at
    assert submission.comment_type == "comment"
