"""Course alerts, sending: one alert per course and per day to the subscribers who match, and a
mail server that fails or refuses stops no one else's alert."""

import io
import logging
import re
from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from classes import alerts
from classes.models import AlertSubscription, AnnouncedCourse, Course, PendingAlert
from tests.classes.alert_helpers import confirmed, publish
from tests.classes.factories import weekly_course

pytestmark = pytest.mark.django_db


# --- Alerts when a course is published ---------------------------------------


def test_publishing_a_course_emails_each_matching_subscriber_once_with_one_click_unsubscribe(
    gwen, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed("by-teacher@example.org", teacher=gwen)
    confirmed("by-town@example.org", town="Aberystwyth")
    confirmed("anything@example.org")
    course = publish(django_capture_on_commit_callbacks, [gwen], title="Spring yoga for backs")
    assert sorted(message.to[0] for message in mailoutbox) == [
        "anything@example.org",
        "by-teacher@example.org",
        "by-town@example.org",
    ]
    message = mailoutbox[0]
    assert message.subject == "New BackCare course: Spring yoga for backs"
    assert course.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://[^>]+/classes/alerts/unsubscribe/[^/]+/>", message.extra_headers["List-Unsubscribe"]
    )
    assert not PendingAlert.objects.exists()


def test_subscribers_for_another_teacher_town_or_language_are_not_told(
    gwen, bryn, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed("bryn-fan@example.org", teacher=bryn)
    confirmed("cardiff@example.org", town="Cardiff")
    confirmed("online@example.org", town="online")
    confirmed("welsh@example.org", language="cy")
    publish(django_capture_on_commit_callbacks, [gwen])
    assert mailoutbox == []


def test_a_bilingual_course_reaches_welsh_and_english_subscribers(
    gwen, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed("welsh@example.org", language="cy")
    confirmed("english@example.org", language="en")
    publish(django_capture_on_commit_callbacks, [gwen], language=Course.Language.BILINGUAL)
    assert sorted(message.to[0] for message in mailoutbox) == ["english@example.org", "welsh@example.org"]


def test_unconfirmed_subscribers_are_not_told(gwen, mailoutbox, django_capture_on_commit_callbacks):
    AlertSubscription.objects.create(email="unsure@example.org", teacher=gwen)
    publish(django_capture_on_commit_callbacks, [gwen])
    assert mailoutbox == []


def test_a_course_saved_three_times_is_announced_once(gwen, mailoutbox, django_capture_on_commit_callbacks):
    confirmed(teacher=gwen)
    course = publish(django_capture_on_commit_callbacks, [gwen])
    for title in ["Renamed", "Renamed again", "And again"]:
        with django_capture_on_commit_callbacks(execute=True):
            course.title = title
            course.save()
    call_command("send_course_alerts", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    assert AnnouncedCourse.objects.filter(course=course).count() == 1


def test_a_draft_course_sends_nothing_until_it_is_published(
    gwen, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed(teacher=gwen)
    course = publish(django_capture_on_commit_callbacks, [gwen], is_published=False)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        course.is_published = True
        course.save()
    assert len(mailoutbox) == 1


def test_a_subscriber_gets_at_most_one_alert_a_day_and_later_courses_wait_for_the_next(
    gwen, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed(teacher=gwen)
    confirmed(town="Aberystwyth")  # the same person asked twice: still one e-mail
    publish(django_capture_on_commit_callbacks, [gwen], title="First")
    publish(django_capture_on_commit_callbacks, [gwen], title="Second")
    publish(django_capture_on_commit_callbacks, [gwen], title="Third")
    assert [message.subject for message in mailoutbox] == ["New BackCare course: First"]

    assert alerts.send_due_alerts(now=timezone.now() + timedelta(hours=23)) == 0
    assert alerts.send_due_alerts(now=timezone.now() + timedelta(hours=25)) == 1
    assert mailoutbox[1].subject == "2 new BackCare courses"
    assert "Second" in mailoutbox[1].body
    assert "Third" in mailoutbox[1].body
    assert not PendingAlert.objects.exists()


def test_a_course_taken_off_the_site_before_its_alert_is_not_sent(
    gwen, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed(teacher=gwen)
    publish(django_capture_on_commit_callbacks, [gwen], title="First")
    second = publish(django_capture_on_commit_callbacks, [gwen], title="Second")
    Course.objects.filter(pk=second.pk).update(is_published=False)
    assert alerts.send_due_alerts(now=timezone.now() + timedelta(hours=25)) == 0
    assert len(mailoutbox) == 1


def test_a_mail_server_that_is_down_fails_no_save_and_the_alert_goes_on_the_next_run(
    gwen, settings, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed(teacher=gwen)
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.classes.test_enquiries.BrokenMailBackend"}}
    course = publish(django_capture_on_commit_callbacks, [gwen])
    assert Course.objects.get(pk=course.pk).is_published
    assert PendingAlert.objects.count() == 1
    assert AlertSubscription.objects.get().last_sent_at is None

    settings.MAILERS = working
    call_command("send_course_alerts", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    assert not PendingAlert.objects.exists()


def test_alerts_go_out_in_batches_sharing_a_mail_connection(
    gwen, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(alerts, "BATCH", 2)
    for n in range(5):
        confirmed(f"reader{n}@example.org", teacher=gwen)
    publish(django_capture_on_commit_callbacks, [gwen])
    assert len(mailoutbox) == 5


class RefusingOneAddress(LocmemBackend):
    """The mail server refuses one address and takes every other."""

    def send_messages(self, messages):
        if any("refused@example.org" in message.to for message in messages):
            raise SMTPRecipientsRefused({"refused@example.org": (550, b"No such user")})
        return super().send_messages(messages)


def test_a_course_title_with_a_line_break_is_sent_on_one_line_and_stops_no_one_elses_alert(
    gwen, bryn, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed("aaa@example.org", teacher=gwen)
    confirmed("bbb@example.org", teacher=bryn)
    publish(django_capture_on_commit_callbacks, [gwen], title="Yoga\r\nBcc: everyone@example.org")
    publish(django_capture_on_commit_callbacks, [bryn], title="Spring yoga")
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects == {
        "aaa@example.org": "New BackCare course: Yoga Bcc: everyone@example.org",
        "bbb@example.org": "New BackCare course: Spring yoga",
    }
    assert all(message.bcc == [] for message in mailoutbox)


def test_one_address_the_mail_server_refuses_does_not_stop_the_alert_run(
    gwen, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingOneAddress"}}
    monkeypatch.setattr(alerts, "BATCH", 1)
    for email in ["aaa@example.org", "refused@example.org", "zzz@example.org"]:
        confirmed(email, teacher=gwen)
    with caplog.at_level(logging.ERROR, logger="classes.alerts"):
        publish(django_capture_on_commit_callbacks, [gwen])
    assert sorted(message.to[0] for message in mailoutbox) == ["aaa@example.org", "zzz@example.org"]
    assert "Could not send the course alert" in caplog.text
    assert PendingAlert.objects.get().subscription.email == "refused@example.org"


@pytest.mark.parametrize(
    ("language", "message"), [("en", "A course title is one line"), ("cy", "Un llinell")]
)
def test_a_course_title_with_a_line_break_is_refused_in_the_admin_with_a_clear_message(
    client, gwen, language, message
):
    from django.contrib.auth import get_user_model

    from tests.classes.conftest import change_form_data

    course = weekly_course(timezone.localdate() + timedelta(days=14), teachers=[gwen], title="Spring yoga")
    editor = get_user_model().objects.create_superuser("ed", "ed@backcare.example.org", "a-long-back-pass")
    client.force_login(editor)
    if language == "cy":
        client.post(reverse("admin_language"), {"language": "cy"})
    data = change_form_data(course, title_en_gb="Yoga\r\nBcc: everyone@example.org")
    response = client.post(reverse("admin:classes_course_change", args=[course.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Course.objects.get(pk=course.pk).title == "Spring yoga"
