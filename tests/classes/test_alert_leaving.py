"""Course alerts, leaving: one-click signed unsubscribe links, the daily purge of unconfirmed
sign-ups, and export and erasure of a subscriber's data."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes import alert_tokens
from classes.models import AlertSubscription
from tests.classes.alert_helpers import confirmed, publish

pytestmark = pytest.mark.django_db


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
