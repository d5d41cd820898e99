"""Mail that bounces: a bounce message marks the address, and nothing more is mailed to it."""

import io
import mailbox
import sys
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.core.mail import mailers
from django.core.management import call_command
from django.utils import timezone

from classes import alerts
from classes.models import AlertSubscription, PendingAlert
from comments import notifications
from comments.models import Comment
from mailing import bounces
from mailing.models import BouncingAddress
from tests.classes.factories import TeacherFactory, VenueFactory, weekly_course
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db

BOUNCE = Path(__file__).with_name("postfix-bounce.eml")
GONE = "gone.reader@example.net"


def record_bounces(*args: str, stdin: bytes | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("record_bounces", *args, stdout=out)
    return out.getvalue()


def test_a_bounce_message_on_stdin_marks_the_address_that_failed_for_good(monkeypatch):
    out = record_bounces(stdin=BOUNCE.read_bytes(), monkeypatch=monkeypatch)

    mark = BouncingAddress.objects.get()
    assert mark.email == GONE
    assert mark.status == "5.1.1"
    assert "User unknown" in mark.diagnostic
    assert f"Bouncing, no longer mailed: {GONE}" in out


def test_a_delayed_message_does_not_mark_its_address(monkeypatch):
    record_bounces(stdin=BOUNCE.read_bytes(), monkeypatch=monkeypatch)
    assert not BouncingAddress.objects.filter(email="slow.reader@example.com").exists()


def test_bounces_are_read_from_a_maildir_and_an_mbox(tmp_path):
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(BOUNCE.read_bytes())
    ordinary = EmailMessage()
    ordinary["Subject"] = "Out of office"
    ordinary.set_content("I am away until Monday.")
    maildir.add(ordinary)
    box = mailbox.mbox(tmp_path / "bounces.mbox")
    box.add(BOUNCE.read_bytes().replace(b"Gone.Reader@example.net", b"other@example.org"))
    box.close()

    record_bounces(str(tmp_path / "Maildir"), str(tmp_path / "bounces.mbox"))

    assert sorted(BouncingAddress.objects.values_list("email", flat=True)) == [GONE, "other@example.org"]


def test_the_same_bounce_read_twice_keeps_one_mark(monkeypatch):
    record_bounces(stdin=BOUNCE.read_bytes(), monkeypatch=monkeypatch)
    record_bounces(stdin=BOUNCE.read_bytes(), monkeypatch=monkeypatch)
    assert BouncingAddress.objects.count() == 1


def test_the_next_alert_run_skips_a_bouncing_address_and_mails_the_others(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    gwen = TeacherFactory(name="Gwen")
    for email in (GONE, "reader@example.org"):
        AlertSubscription.objects.create(email=email, teacher=gwen, confirmed_at=timezone.now())
    record_bounces(stdin=BOUNCE.read_bytes(), monkeypatch=monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        weekly_course(
            timezone.localdate() + timedelta(days=14), weeks=4, teachers=[gwen], venue=VenueFactory()
        )
    alerts.send_due_alerts(now=timezone.now() + timedelta(hours=25))

    assert [message.to for message in mailoutbox] == [["reader@example.org"]]
    assert PendingAlert.objects.filter(subscription__email=GONE).exists()  # waits for the mark to go


def test_a_cleared_address_is_mailed_again(monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    gwen = TeacherFactory(name="Gwen")
    AlertSubscription.objects.create(email=GONE, teacher=gwen, confirmed_at=timezone.now())
    record_bounces(stdin=BOUNCE.read_bytes(), monkeypatch=monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        weekly_course(
            timezone.localdate() + timedelta(days=14), weeks=4, teachers=[gwen], venue=VenueFactory()
        )
    assert mailoutbox == []

    out = io.StringIO()
    call_command("clear_bounce", "Gone.Reader@example.net", stdout=out)
    alerts.send_due_alerts(now=timezone.now() + timedelta(hours=25))

    assert "Removed 1 bouncing mark(s)." in out.getvalue()
    assert [message.to for message in mailoutbox] == [[GONE]]


def test_no_confirmation_link_is_mailed_to_a_bouncing_address(mailoutbox):
    BouncingAddress.objects.create(email=GONE, last_bounced_at=timezone.now())
    signup = AlertSubscription.objects.create(email=GONE, teacher=TeacherFactory())
    assert alerts.send_confirmation(signup) is False
    assert mailoutbox == []


def test_no_reply_notification_is_mailed_to_a_bouncing_address(mailoutbox, settings):
    settings.COMMENTS_NOTIFY_AUTHOR = False
    parent = CommentFactory(email="Gone.Reader@example.net", subscribed=True, status=Comment.Status.APPROVED)
    BouncingAddress.objects.create(email=GONE, last_bounced_at=timezone.now())
    reply = CommentFactory(parent=parent, on=parent.target, status=Comment.Status.APPROVED)

    assert "subscriber" not in notifications.send_due(reply)
    assert mailoutbox == []


def test_mail_leaves_with_the_bounce_address_as_envelope_sender_and_the_sites_from(settings):
    class Recorder:
        def sendmail(self, sender, recipients, message):
            self.sent = (sender, recipients, message)

    settings.MAILERS = {
        "default": {
            "BACKEND": "mailing.backends.BounceAddressBackend",
            "OPTIONS": {"host": "127.0.0.1", "bounce_address": "bounces@backcare.example.org"},
        }
    }
    backend = mailers.default
    backend.connection = Recorder()
    backend._send(
        DjangoEmailMessage("Hello", "Body", "BackCare <hello@backcare.example.org>", ["r@example.org"])
    )

    sender, recipients, message = backend.connection.sent
    assert sender == "bounces@backcare.example.org"
    assert recipients == ["r@example.org"]
    assert b"From: BackCare <hello@backcare.example.org>" in message


def test_is_bouncing_ignores_case():
    BouncingAddress.objects.create(email=GONE, last_bounced_at=timezone.now())
    assert bounces.is_bouncing("GONE.reader@example.NET")
    assert bounces.deliverable(["Gone.Reader@example.net", "ok@example.org"]) == ["ok@example.org"]
