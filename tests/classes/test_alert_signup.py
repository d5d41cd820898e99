"""Course alerts, joining: double opt-in sign-up, its limits, the signed confirmation link, and
where readers are offered it."""

import time

import akismet
import pytest
from django.core import signing
from django.urls import reverse

from akismet_service import api
from classes import alert_tokens
from classes.models import AlertSubscription
from tests.classes.alert_helpers import TEST_CONFIG, confirmed, link_in, publish, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def akismet_calls(monkeypatch, akismet_sync_class):
    calls = []

    class RecordingClient(akismet_sync_class):
        def comment_check(self, user_ip, **kwargs):
            calls.append({"user_ip": user_ip, **kwargs})
            return super().comment_check(user_ip, **kwargs)

    monkeypatch.setattr(api, "get_client", lambda **kwargs: RecordingClient(config=TEST_CONFIG))
    return calls


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
