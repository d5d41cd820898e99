from datetime import timedelta
from smtplib import SMTPServerDisconnected

import akismet
import httpx
import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone

from akismet_service import api
from classes.models import Enquiry
from tests.classes.factories import TeacherFactory

pytestmark = pytest.mark.django_db

TEACHER_EMAIL = "private.teacher@private.example.org"
TEST_CONFIG = akismet.Config(key="test-key", url="http://127.0.0.1/")
MESSAGE = "Hello, is the Tuesday course suitable after a slipped disc?"


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def teacher():
    return TeacherFactory(name="Gwen", slug="gwen", email=TEACHER_EMAIL)


@pytest.fixture
def akismet_calls(monkeypatch, akismet_sync_class):
    """Akismet's own test client (verdict from the akismet_client mark), remembering what it was asked."""
    calls = []

    class RecordingClient(akismet_sync_class):
        def comment_check(self, user_ip, **kwargs):
            calls.append({"user_ip": user_ip, **kwargs})
            return super().comment_check(user_ip, **kwargs)

    monkeypatch.setattr(api, "get_client", lambda **kwargs: RecordingClient(config=TEST_CONFIG))
    return calls


@pytest.fixture
def akismet_down(monkeypatch):
    """A real Akismet client whose server answers every request with a 500."""
    transport = httpx.MockTransport(lambda request: httpx.Response(500, text="Internal error"))
    monkeypatch.setattr(
        api,
        "get_client",
        lambda **kwargs: akismet.SyncClient(
            config=TEST_CONFIG, http_client=api.http_client(transport=transport)
        ),
    )


def send(client, teacher, django_capture_on_commit_callbacks, **overrides):
    data = {"name": "Reader", "email": "reader@example.org", "message": MESSAGE} | overrides
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("classes:enquiry", args=[teacher.slug]), data, REMOTE_ADDR="192.0.2.10")


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_enquiry_akismet_calls_ham_is_emailed_to_the_teacher(
    client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    response = send(client, teacher, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("classes:enquiry_sent", args=[teacher.slug])
    [email] = mailoutbox
    assert email.to == [TEACHER_EMAIL]
    assert email.reply_to == ["reader@example.org"]
    assert email.subject == "BackCare enquiry from Reader"
    assert MESSAGE in email.body
    assert Enquiry.objects.get().sent_at is not None


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_enquiry_is_checked_as_a_contact_form_with_the_senders_details(
    client, teacher, akismet_calls, django_capture_on_commit_callbacks
):
    send(client, teacher, django_capture_on_commit_callbacks)
    [call] = akismet_calls
    assert call["user_ip"] == "192.0.2.10"
    assert call["comment_type"] == "contact-form"
    assert call["comment_content"] == MESSAGE
    assert call["comment_author_email"] == "reader@example.org"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_spam_is_not_sent_but_is_kept(
    client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    response = send(client, teacher, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("classes:enquiry_sent", args=[teacher.slug])
    assert mailoutbox == []
    enquiry = Enquiry.objects.get()
    assert enquiry.verdict == Enquiry.Verdict.SPAM
    assert enquiry.sent_at is None


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.DISCARD)
def test_blatant_spam_is_not_sent(
    client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, teacher, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert Enquiry.objects.get().verdict == Enquiry.Verdict.DISCARD


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_a_spammer_sees_the_same_thanks_as_everyone_else(
    client, teacher, akismet_calls, django_capture_on_commit_callbacks
):
    response = send(client, teacher, django_capture_on_commit_callbacks)
    spam_thanks = client.get(response["Location"]).content
    assert spam_thanks == client.get(reverse("classes:enquiry_sent", args=[teacher.slug])).content
    assert b"Thank you for your message" in spam_thanks


def test_when_akismet_is_down_the_enquiry_is_still_sent_marked_unchecked(
    client, teacher, akismet_down, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, teacher, django_capture_on_commit_callbacks)
    [email] = mailoutbox
    assert email.subject == "[not spam-checked] BackCare enquiry from Reader"
    enquiry = Enquiry.objects.get()
    assert enquiry.verdict == Enquiry.Verdict.UNKNOWN
    assert enquiry.check_detail.startswith("server-error")


def test_when_akismet_is_not_configured_the_enquiry_is_still_sent_marked_unchecked(
    client, teacher, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.delenv("PYTHON_AKISMET_API_KEY", raising=False)
    send(client, teacher, django_capture_on_commit_callbacks)
    [email] = mailoutbox
    assert email.subject.startswith("[not spam-checked]")


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_when_mail_fails_the_enquiry_is_kept_unsent_with_the_error(
    client, teacher, akismet_calls, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailBackend"}}
    response = send(client, teacher, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.message == MESSAGE
    assert enquiry.sent_at is None
    assert enquiry.send_attempts == 1
    assert "Connection unexpectedly closed" in enquiry.last_error


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_editor_can_send_an_unsent_enquiry_again(
    client, editor_client, teacher, akismet_calls, settings, mailoutbox, django_capture_on_commit_callbacks
):
    original = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailBackend"}}
    send(client, teacher, django_capture_on_commit_callbacks)
    settings.MAILERS = original
    enquiry = Enquiry.objects.get()
    editor_client.post(
        reverse("admin:classes_enquiry_changelist"),
        {"action": "send_again", "_selected_action": [enquiry.pk]},
    )
    assert len(mailoutbox) == 1
    enquiry.refresh_from_db()
    assert enquiry.sent_at is not None


def test_a_form_with_errors_keeps_what_was_typed(
    client, teacher, akismet_calls, django_capture_on_commit_callbacks
):
    response = send(client, teacher, django_capture_on_commit_callbacks, email="not an address")
    html = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in html
    assert 'value="Reader"' in html
    assert "Enter a valid email address." in html
    assert Enquiry.objects.count() == 0


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_the_sixth_enquiry_in_an_hour_from_one_address_is_refused_and_keeps_its_text(
    client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(5):
        assert send(client, teacher, django_capture_on_commit_callbacks).status_code == 302
    response = send(client, teacher, django_capture_on_commit_callbacks, message="My sixth message")
    assert response.status_code == 429
    assert "My sixth message" in response.content.decode()
    assert "try again in an hour" in response.content.decode()
    assert Enquiry.objects.count() == 5
    assert len(mailoutbox) == 5


def test_the_teachers_address_is_never_on_the_enquiry_pages(
    client, teacher, akismet_calls, django_capture_on_commit_callbacks
):
    form = client.get(reverse("classes:enquiry", args=[teacher.slug])).content.decode()
    error = send(client, teacher, django_capture_on_commit_callbacks, email="bad").content.decode()
    thanks = client.get(reverse("classes:enquiry_sent", args=[teacher.slug])).content.decode()
    for html in (form, error, thanks):
        assert "Gwen" in html
        assert TEACHER_EMAIL not in html


def test_the_enquiry_limit_counts_one_ipv6_slash_64_as_one_sender(
    client, settings, django_capture_on_commit_callbacks
):
    settings.CLASSES_ENQUIRY_RATE_LIMIT = 2
    teacher = TeacherFactory(slug="rhian")
    statuses = []
    for n, address in enumerate(["2001:db8:ab:cd::1", "2001:db8:ab:cd::2", "2001:db8:ab:cd::3"]):
        data = {
            "name": "Reader",
            "email": f"reader{n}@example.org",
            "message": f"Is the course on Tuesdays? ({n})",
        }
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(
                client.post(
                    reverse("classes:enquiry", args=[teacher.slug]), data, REMOTE_ADDR=address
                ).status_code
            )
    assert statuses == [302, 302, 429]


def test_an_enquiry_whose_delivery_task_failed_to_enqueue_is_saved_then_delivered_by_the_sweep(
    client, teacher, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_enqueue(*args, **kwargs):
        raise ConnectionError("the task queue is down")

    with monkeypatch.context() as patched:
        patched.setattr(task_backends["default"], "enqueue", broken_enqueue)
        response = send(client, teacher, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.verdict, enquiry.sent_at) == (Enquiry.Verdict.PENDING, None)

    call_command("sweep_enquiries")
    assert mailoutbox == []  # five minutes have not passed: its own task may still run
    Enquiry.objects.filter(pk=enquiry.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    call_command("sweep_enquiries")
    enquiry.refresh_from_db()
    assert enquiry.sent_at is not None
    assert [message.to for message in mailoutbox] == [[TEACHER_EMAIL]]


def test_the_enquiry_task_closes_its_akismet_client(teacher, configured_akismet, fake_akismet, monkeypatch):
    from classes import tasks
    from classes.models import Enquiry as EnquiryModel

    made = []
    real_get_client = api.get_client

    def recording_get_client(**kwargs):
        made.append(real_get_client(**{**kwargs, "transport": fake_akismet.transport()}))
        return made[-1]

    monkeypatch.setattr(api, "get_client", recording_get_client)
    fake_akismet.ham()
    enquiry = EnquiryModel.objects.create(
        teacher=teacher, name="Reader", email="r@example.org", message=MESSAGE
    )
    tasks.deliver_enquiry.call(enquiry.pk)
    assert len(made) == 1
    assert made[0]._http_client.is_closed


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_enquiry_from_the_welsh_pages_tells_akismet_and_the_teacher_it_is_welsh(
    client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cy/classes/teachers/{teacher.slug}/enquire/",
            {"name": "Darllenydd", "email": "reader@example.org", "message": "Oes lle ar y cwrs nesaf?"},
            REMOTE_ADDR="192.0.2.10",
        )

    assert response["Location"] == f"/cy/classes/teachers/{teacher.slug}/enquire/sent/"
    assert akismet_calls[0]["blog_lang"] == "cy"
    assert Enquiry.objects.get().language == "cy"
    [email] = mailoutbox
    assert email.subject == "BackCare enquiry from Darllenydd"
    assert "Written on the Welsh pages: they may prefer a reply in Welsh." in email.body


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_enquiry_describing_warning_signs_is_held_and_the_writer_sees_urgent_advice(
    client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    message = "Can I join? I have numbness around my bottom and trouble passing urine since Monday."
    response = send(client, teacher, django_capture_on_commit_callbacks, message=message)
    assert response.status_code == 302
    assert response.url.startswith(reverse("safety:help_now"))
    assert "NHS 111 Wales" in client.get(response.url).content.decode()
    enquiry = Enquiry.objects.get()
    assert enquiry.message == message
    assert "trouble passing urine" in enquiry.held_reason
    assert enquiry.sent_at is None
    assert mailoutbox == []


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_editor_can_send_a_held_enquiry_to_the_teacher(
    client, editor_client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, teacher, django_capture_on_commit_callbacks, message="Both legs numb after a car accident")
    enquiry = Enquiry.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:classes_enquiry_changelist"),
            {"action": "send_again", "_selected_action": [enquiry.pk]},
        )
    assert len(mailoutbox) == 1


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_enquiry_whose_name_has_a_line_break_is_delivered_with_the_subject_on_one_line(
    client, teacher, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    response = send(
        client, teacher, django_capture_on_commit_callbacks, name="Ann\r\nBcc: everyone@example.org"
    )
    assert response.status_code == 302
    [email] = mailoutbox
    assert email.subject == "BackCare enquiry from Ann Bcc: everyone@example.org"
    assert email.bcc == []
    assert Enquiry.objects.get().sent_at is not None
