"""Unsubscribe links: signed, expiring, for this purpose only, and acting only on POST."""

import pytest
from django.core import signing
from django.urls import reverse

from comments import tokens

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(exercise):
    return CommentFactory(on=exercise, subscribed=True)


def url(token: str) -> str:
    return reverse("comments:unsubscribe", args=[token])


def test_get_shows_a_confirmation_and_changes_nothing(client, subscribed):
    response = client.get(url(tokens.unsubscribe_token(subscribed.pk)))
    subscribed.refresh_from_db()
    assert response.status_code == 200
    assert "Yes, stop these e-mails" in response.content.decode()
    assert subscribed.subscribed is True


def test_post_unsubscribes(client, subscribed):
    response = client.post(url(tokens.unsubscribe_token(subscribed.pk)))
    subscribed.refresh_from_db()
    assert response.status_code == 200
    assert subscribed.subscribed is False
    assert subscribed.events.filter(kind="unsubscribed").exists()


def test_the_confirmation_form_is_protected_against_cross_site_posts(subscribed):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url(tokens.unsubscribe_token(subscribed.pk)))
    subscribed.refresh_from_db()
    assert response.status_code == 403
    assert subscribed.subscribed is True


def test_a_tampered_token_is_refused(client, subscribed):
    token = tokens.unsubscribe_token(subscribed.pk)
    response = client.post(url(token[:-2] + ("AA" if not token.endswith("AA") else "BB")))
    subscribed.refresh_from_db()
    assert response.status_code == 400
    assert subscribed.subscribed is True


def test_an_expired_token_is_refused(client, subscribed, settings, monkeypatch):
    token = tokens.unsubscribe_token(subscribed.pk)
    monkeypatch.setattr(tokens, "UNSUBSCRIBE_MAX_AGE_DAYS", -1)
    response = client.post(url(token))
    subscribed.refresh_from_db()
    assert response.status_code == 400
    assert subscribed.subscribed is True


def test_a_token_signed_for_another_purpose_is_refused(client, subscribed):
    token = signing.dumps({"c": subscribed.pk}, salt=tokens.AUTHOR_COOKIE_SALT)
    response = client.post(url(token))
    subscribed.refresh_from_db()
    assert response.status_code == 400
    assert subscribed.subscribed is True
