"""Course alerts: double opt-in sign-up, signed links, one alert per course and per day."""

import io
import logging
import re
import time
from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import akismet
import pytest
from django.core import signing
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from akismet_service import api
from classes import alert_tokens, alerts
from classes.models import AlertSubscription, AnnouncedCourse, Course, PendingAlert
from tests.classes.factories import TeacherFactory, VenueFactory, weekly_course

pytestmark = pytest.mark.django_db

TEST_CONFIG = akismet.Config(key="test-key", url="http://127.0.0.1/")


@pytest.fixture
def gwen():
    return TeacherFactory(name="Gwen Teacher", slug="gwen")


@pytest.fixture
def bryn():
    return TeacherFactory(name="Bryn Teacher", slug="bryn")


@pytest.fixture
def akismet_calls(monkeypatch, akismet_sync_class):
    calls = []

    class RecordingClient(akismet_sync_class):
        def comment_check(self, user_ip, **kwargs):
            calls.append({"user_ip": user_ip, **kwargs})
            return super().comment_check(user_ip, **kwargs)

    monkeypatch.setattr(api, "get_client", lambda **kwargs: RecordingClient(config=TEST_CONFIG))
    return calls


def sign_up(client, capture, *, email="reader@example.org", about="teacher:gwen", **extra):
    with capture(execute=True):
        return client.post(
            reverse("classes:alert_signup"), {"email": email, "about": about, **extra}, **HEADERS
        )


HEADERS = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "Mozilla/5.0 (test)"}


def link_in(message, name: str) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/classes/alerts/" + name + r"/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def confirmed(email="reader@example.org", **choice) -> AlertSubscription:
    return AlertSubscription.objects.create(email=email, confirmed_at=timezone.now(), **choice)


def publish(capture, teachers, *, town=None, online=False, language=Course.Language.ENGLISH, **kwargs):
    venue = VenueFactory(town=town or "Aberystwyth", is_online=online)
    with capture(execute=True):
        return weekly_course(
            timezone.localdate() + timedelta(days=14),
            weeks=4,
            teachers=teachers,
            venue=venue,
            language=language,
            **kwargs,
        )


# --- Signing up ---------------------------------------------------------------


def test_signing_up_stores_nothing_active_and_emails_a_confirmation_link(
    client, gwen, mailoutbox, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("classes:alert_sent")
    subscription = AlertSubscription.objects.get()
    assert subscription.teacher == gwen
    assert subscription.confirmed_at is None
    assert subscription.ip_address == "192.0.2.10"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["reader@example.org"]
    assert "new courses by Gwen Teacher" in mailoutbox[0].body
    link_in(mailoutbox[0], "confirm")


def test_the_sign_up_page_is_prefilled_from_the_teachers_page_link(client, gwen):
    html = client.get(reverse("classes:alert_signup") + "?teacher=gwen").content.decode()
    assert '<option value="teacher:gwen" selected>' in html


@pytest.mark.parametrize("email", ["", "not-an-address", "reader@", "a" * 250 + "@example.org"])
def test_a_bad_address_gets_a_clear_message_and_keeps_the_choice(
    client, gwen, email, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, email=email)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please check the form" in html
    assert "Your e-mail address:" in html
    assert '<option value="teacher:gwen" selected>' in html
    assert not AlertSubscription.objects.exists()


def test_a_choice_that_is_not_on_the_list_is_refused_clearly(
    client, gwen, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, about="teacher:nobody")
    assert "Select a valid choice" in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_signing_up_twice_keeps_one_sign_up(client, gwen, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks, email="  Reader@Example.org ")
    assert AlertSubscription.objects.count() == 1
    assert len(mailoutbox) == 2  # the second brings a fresh link for the same sign-up


def test_signing_up_again_after_confirming_sends_nothing_and_says_the_same(
    client, gwen, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed(teacher=gwen)
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("classes:alert_sent")
    assert mailoutbox == []
    assert AlertSubscription.objects.count() == 1


def test_one_inbox_gets_at_most_three_confirmation_emails_a_day(
    client, gwen, bryn, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CLASSES_ALERT_RATE_LIMIT = 100
    for about in ["teacher:gwen", "teacher:bryn", "any", "town:online", "town:Aberystwyth"]:
        sign_up(client, django_capture_on_commit_callbacks, about=about)
    assert len(mailoutbox) == 3


def test_fifty_sign_ups_from_one_address_store_only_the_hourly_allowance(
    client, gwen, django_capture_on_commit_callbacks
):
    statuses = [
        sign_up(client, django_capture_on_commit_callbacks, email=f"bot{n}@example.org").status_code
        for n in range(50)
    ]
    assert statuses.count(302) == 5
    assert statuses.count(429) == 45
    assert AlertSubscription.objects.count() == 5
    refused = sign_up(client, django_capture_on_commit_callbacks, email="kept@example.org")
    html = refused.content.decode()
    assert "please try again in an hour" in html
    assert 'value="kept@example.org"' in html


def test_sign_ups_from_one_ipv6_network_share_an_allowance(client, gwen, django_capture_on_commit_callbacks):
    for n in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("classes:alert_signup"),
                {"email": f"v6-{n}@example.org", "about": "any"},
                REMOTE_ADDR=f"2001:db8:1:2::{n + 1}",
            )
    assert response.status_code == 429


def test_the_sign_up_allowance_still_holds_after_the_cache_restarted_empty(
    client, gwen, settings, django_capture_on_commit_callbacks
):
    """One rule for every public form (akismet_service.visitors): the database always counts too.

    Before it, a sign-up asked the database only when the cache was unreachable,
    so a cache restarted empty (or evicting) gave a flooder a fresh allowance.
    """
    from django.core.cache import cache

    settings.CLASSES_ALERT_RATE_LIMIT = 2
    statuses = [
        sign_up(client, django_capture_on_commit_callbacks, email=f"bot{n}@example.org").status_code
        for n in range(2)
    ]
    cache.clear()
    statuses.append(sign_up(client, django_capture_on_commit_callbacks, email="bot9@example.org").status_code)
    assert statuses == [302, 302, 429]
    assert AlertSubscription.objects.count() == 2


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_a_sign_up_akismet_calls_spam_is_deleted_and_gets_no_email(
    client, gwen, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("classes:alert_sent")
    assert mailoutbox == []
    assert not AlertSubscription.objects.exists()


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_sign_up_is_checked_by_akismet_as_a_signup(
    client, gwen, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    (call,) = akismet_calls
    assert call["comment_type"] == "signup"
    assert call["user_ip"] == "192.0.2.10"
    assert call["comment_author_email"] == "reader@example.org"
    assert AlertSubscription.objects.get().verdict == AlertSubscription.Verdict.HAM
    assert len(mailoutbox) == 1


def test_without_akismet_the_confirmation_is_still_sent(
    client, gwen, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    assert AlertSubscription.objects.get().verdict == AlertSubscription.Verdict.UNKNOWN
    assert len(mailoutbox) == 1


# --- Confirming ---------------------------------------------------------------


@pytest.fixture
def confirm_url(client, gwen, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    return link_in(mailoutbox[0], "confirm")


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(client, confirm_url):
    response = client.get(confirm_url)
    assert response.status_code == 200
    assert "Yes, send me alerts" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert AlertSubscription.objects.get().confirmed_at is None


def test_pressing_the_button_starts_the_alerts_and_forgets_the_sign_ups_address(client, confirm_url):
    response = client.post(confirm_url)
    assert "You are on the list" in response.content.decode()
    subscription = AlertSubscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.ip_address is None
    assert subscription.user_agent == ""


def test_a_confirmation_link_used_twice_keeps_the_first_confirmation(client, confirm_url):
    client.post(confirm_url)
    first = AlertSubscription.objects.get().confirmed_at
    response = client.post(confirm_url)
    assert response.status_code == 200
    assert AlertSubscription.objects.get().confirmed_at == first


def test_a_tampered_confirmation_link_is_refused_with_a_clear_message(client, confirm_url):
    token = confirm_url.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = client.post(reverse("classes:alert_confirm", args=[tampered]))
    assert response.status_code == 400
    assert "The link is not complete" in response.content.decode()
    assert AlertSubscription.objects.get().confirmed_at is None


def test_a_confirmation_link_for_another_sign_up_cannot_be_forged(client, confirm_url):
    subscription = AlertSubscription.objects.get()
    forged = signing.dumps(
        {"id": subscription.pk, "h": alert_tokens.email_digest("reader@example.org")}, salt="x"
    )
    assert client.post(reverse("classes:alert_confirm", args=[forged])).status_code == 400


def test_a_confirmation_link_older_than_a_week_is_refused_as_too_old(client, gwen, monkeypatch):
    subscription = AlertSubscription.objects.create(email="late@example.org", teacher=gwen)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 8 * 24 * 3600)
    token = alert_tokens.confirm_token(subscription)
    monkeypatch.setattr(time, "time", real_time)
    response = client.post(reverse("classes:alert_confirm", args=[token]))
    assert response.status_code == 400
    assert "The link is too old" in response.content.decode()
    assert AlertSubscription.objects.get().confirmed_at is None


def test_a_link_for_an_address_that_was_changed_since_confirms_nothing(client, confirm_url):
    AlertSubscription.objects.update(email="corrected@example.org")
    response = client.post(confirm_url)
    assert response.status_code == 400
    assert "no longer on the list" in response.content.decode()
    assert AlertSubscription.objects.get().confirmed_at is None


def test_signing_up_with_a_corrected_address_needs_its_own_confirmation(
    client, confirm_url, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, email="corrected@example.org")
    client.post(confirm_url)
    assert AlertSubscription.objects.get(email="reader@example.org").confirmed_at is not None
    assert AlertSubscription.objects.get(email="corrected@example.org").confirmed_at is None


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


# --- Unsubscribing ------------------------------------------------------------


@pytest.fixture
def unsubscribe_url(gwen, mailoutbox, django_capture_on_commit_callbacks):
    confirmed(teacher=gwen)
    confirmed(town="Aberystwyth")
    confirmed("someone-else@example.org", teacher=gwen)
    publish(django_capture_on_commit_callbacks, [gwen])
    message = next(message for message in mailoutbox if message.to == ["reader@example.org"])
    return message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")


def test_one_click_unsubscribe_by_post_deletes_every_alert_for_that_address_only(unsubscribe_url):
    mail_provider = Client(enforce_csrf_checks=True)
    response = mail_provider.post(
        unsubscribe_url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert list(AlertSubscription.objects.values_list("email", flat=True)) == ["someone-else@example.org"]


def test_opening_the_unsubscribe_link_shows_a_button_and_changes_nothing(client, unsubscribe_url):
    response = client.get(unsubscribe_url)
    assert "Yes, stop them" in response.content.decode()
    assert AlertSubscription.objects.count() == 3


def test_an_unsubscribe_link_used_twice_is_harmless(client, unsubscribe_url):
    client.post(unsubscribe_url)
    response = client.post(unsubscribe_url)
    assert response.status_code == 200
    assert "Course alerts stopped" in response.content.decode()


def test_links_never_show_the_address(unsubscribe_url, confirm_url_for_reader):
    for link in [unsubscribe_url, confirm_url_for_reader]:
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert "reader" not in signing.b64_decode(token.split(":")[0].encode()).decode()


@pytest.fixture
def confirm_url_for_reader(gwen):
    subscription = AlertSubscription.objects.create(email="reader-new@example.org", teacher=gwen)
    return reverse("classes:alert_confirm", args=[alert_tokens.confirm_token(subscription)])


def test_a_tampered_unsubscribe_link_is_refused_and_deletes_nothing(client, unsubscribe_url):
    tampered = unsubscribe_url.replace(unsubscribe_url[-6:-1], "zzzzz")
    response = client.post(tampered)
    assert response.status_code == 400
    assert AlertSubscription.objects.count() == 3


def test_an_expired_unsubscribe_link_points_to_the_latest_email(client, gwen, monkeypatch):
    subscription = confirmed(teacher=gwen)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 400 * 24 * 3600)
    token = alert_tokens.unsubscribe_token(subscription)
    monkeypatch.setattr(time, "time", real_time)
    response = client.post(reverse("classes:alert_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "use the link in the latest alert e-mail" in response.content.decode()


# --- Keeping and erasing ------------------------------------------------------


def test_unconfirmed_sign_ups_are_deleted_after_a_week_by_the_daily_purge(gwen, capsys):
    old = AlertSubscription.objects.create(email="old@example.org", teacher=gwen)
    AlertSubscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    AlertSubscription.objects.create(email="new@example.org", teacher=gwen)
    kept = confirmed("kept@example.org", teacher=gwen)
    AlertSubscription.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=80))
    call_command("purge_course_alerts")
    assert "1 unconfirmed sign-up(s) deleted" in capsys.readouterr().out
    assert sorted(AlertSubscription.objects.values_list("email", flat=True)) == [
        "kept@example.org",
        "new@example.org",
    ]


def test_the_export_and_erase_commands_cover_course_alerts(gwen, capsys):
    confirmed(teacher=gwen)
    confirmed("other@example.org", teacher=gwen)
    call_command("export_personal_data", "Reader@example.org")
    out = capsys.readouterr().out
    assert '"asked_for": "new courses by Gwen Teacher"' in out
    assert "other@example.org" not in out
    call_command("erase_personal_data", "reader@example.org")
    assert "1 course alert(s)" in capsys.readouterr().out
    assert list(AlertSubscription.objects.values_list("email", flat=True)) == ["other@example.org"]


def test_the_privacy_page_says_how_long_unconfirmed_sign_ups_are_kept(client, monkeypatch):
    monkeypatch.setattr(alert_tokens, "CONFIRM_DAYS", 10)
    html = client.get(reverse("privacy")).content.decode()
    assert "A sign-up you do not confirm: 10 days, then deleted." in html


# --- Where readers find it ----------------------------------------------------


def test_the_teachers_page_offers_alerts_for_that_teacher(client, gwen):
    html = client.get(gwen.get_absolute_url()).content.decode()
    assert reverse("classes:alert_signup") + "?teacher=gwen" in html


def test_the_empty_class_list_offers_alerts(client):
    html = client.get(reverse("classes:list")).content.decode()
    assert "No courses are listed just now" in html
    assert "ask us to e-mail you" in html


def test_a_course_page_offers_alerts_for_its_teacher(client, gwen, django_capture_on_commit_callbacks):
    course = publish(django_capture_on_commit_callbacks, [gwen])
    html = client.get(course.get_absolute_url()).content.decode()
    assert reverse("classes:alert_signup") + "?teacher=gwen" in html


def test_with_welsh_on_the_site_a_reader_can_ask_for_welsh_language_courses_only(
    client, gwen, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
    assert "In which language?" in client.get(reverse("classes:alert_signup")).content.decode()
    sign_up(client, django_capture_on_commit_callbacks, about="any", language="cy")
    subscription = AlertSubscription.objects.get()
    assert subscription.language == "cy"
    assert subscription.choice_label == "any new course (Welsh)"


def test_without_welsh_on_the_site_the_language_question_is_not_asked(settings):
    from classes.forms import AlertSignupForm

    settings.LANGUAGES = [("en-gb", "English")]
    assert "language" not in AlertSignupForm(teachers=[], towns=[]).fields


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
